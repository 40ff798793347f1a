export { checkSyncSocketSupport, detachDescriptor, readSome, setDescriptorBlocking, WOULD_BLOCK_IO, writeSome } from './node-internals.js';
export { type BrokeredSocket, type ConnectRequestOptions, SocketBroker, type WatchReport } from './socket-broker.js';
export { socketBroker, socketHostKind } from './shared-broker.js';
export type { SocketHost } from './socket-host.js';
export { END_OF_STREAM, REJECTED, WOULD_BLOCK, type AcceptResult, type IdleStrategy, idleStep, type Received, type RecvResult, type SendStatus } from './status.js';
export { type CallOptions, deadlineAfter, deadlineOf, isPast, ONE_ATTEMPT, timedOut } from './call-options.js';
export { SyncConnection, type SyncConnectionSetup } from './sync-connection.js';
export { SyncAcceptor, type SyncAcceptorSetup } from './sync-acceptor.js';
export { SyncPool } from './sync-pool.js';
export {
  newSyncConnection,
  resolveSyncOptions,
  type ResolvedSyncOptions,
  type SyncCltOptions,
  type SyncConnectionOptions,
  type SyncSvcOptions,
} from './sync-options.js';
export { connectSync } from './sync-connect.js';
export { SyncService } from './sync-service.js';
export { SyncCltBase } from './sync-clt-base.js';
export { SyncSvcBase } from './sync-svc-base.js';
export { type ClosableClient, HalfHolders, HeldHalf } from './held-half.js';

// The synchronous runtime's defaults, re-exported by both synchronous flavours.
export {
  BROKER_CONNECT_SLACK_MS,
  BROKER_LINGER_MS,
  BROKER_LIVENESS_CHECK_MS,
  BROKER_REQUEST_TIMEOUT_MS,
  DEFAULT_MAX_BATCH_BYTES,
  DEFAULT_PROTOCOL_SEND_TIMEOUT_MS,
  DEFAULT_RECV_SPIN_MICROS,
  DEFAULT_WRITE_STALL_TIMEOUT_MS,
} from './limits.js';
