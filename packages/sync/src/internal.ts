/**
 * `@net/sync/internal`: the synchronous runtime the two flavours are built from (descriptor I/O,
 * the broker thread, connections, acceptors, pools and services), kept out of `@net/sync` so that a
 * user never meets calls that bypass framing. UNSTABLE: anything here may change or go in any
 * release, without a major version; import it only to build a flavour of your own, and pin the
 * version.
 *
 * @packageDocumentation
 */
export {
  checkSyncSocketSupport,
  detachDescriptor,
  readSome,
  setDescriptorBlocking,
  WOULD_BLOCK_IO,
  writeSome,
} from './node-internals.js';
export { type BrokeredSocket, type ConnectRequestOptions, SocketBroker, type WatchReport } from './socket-broker.js';
export { socketBroker } from './shared-broker.js';
export type { SocketHost } from './socket-host.js';
export { idleStep } from './status.js';
export { deadlineAfter, deadlineOf, isPast, ONE_ATTEMPT, timedOut } from './call-options.js';
export { SyncConnection, type SyncConnectionSetup } from './sync-connection.js';
export { SyncAcceptor, type SyncAcceptorSetup } from './sync-acceptor.js';
export { SyncPool } from './sync-pool.js';
export { newSyncConnection, resolveSyncOptions, type ResolvedSyncOptions } from './sync-options.js';
export {
  BROKER_CONNECT_SLACK_MS,
  BROKER_LINGER_MS,
  BROKER_LIVENESS_CHECK_MS,
  BROKER_REQUEST_TIMEOUT_MS,
  BROKER_START_TIMEOUT_MS,
} from './limits.js';
export { WATCH_REPORT_SLOT_BYTES, WATCH_REPORT_SLOTS } from './watch-report-area.js';
export { connectSync } from './sync-connect.js';
export { SyncService } from './sync-service.js';
export { connectionOf } from './sync-clt-base.js';
export { HalfHolders, holdersOf } from './held-half.js';
export { adoptHalfAs, type CltClass, type HalfClass, splitInto } from './clt-half-bases.js';
export { adoptHalf, type HalfSide, transferHalf } from './transfer/half-transfer.js';
export { emptyTurns } from './svc-threads/served-connection.js';
export { noteThisConsumer } from './poller/consumer-liveness.js';
