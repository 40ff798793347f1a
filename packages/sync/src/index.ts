/**
 * `@net/sync`: what a user of `@net/nonblocking` or `@net/blocking` can meet from the runtime they
 * share (the statuses, the option types, the base classes of their `Clt`, `Svc` and halves, and
 * which socket path a thread takes). The flavours re-export what a user needs; the runtime itself is
 * in `@net/sync/internal`.
 *
 * @packageDocumentation
 */
export { socketHostKind } from './shared-broker.js';
export {
  END_OF_STREAM,
  REJECTED,
  WOULD_BLOCK,
  type AcceptResult,
  type IdleStrategy,
  type Received,
  type RecvResult,
  type SendStatus,
} from './status.js';
export type { CallOptions } from './call-options.js';
export type { SyncCltOptions, SyncConnectionOptions, SyncSvcOptions } from './sync-options.js';
export type { IoPath } from './descriptor-io.js';
export { SyncCltBase } from './sync-clt-base.js';
export { SyncSvcBase } from './sync-svc-base.js';
export { type ClosableClient, HeldHalf } from './held-half.js';
export { ReceiverHalf, SenderHalf } from './clt-half-bases.js';
export type { AdoptOptions, HalfTransfer, HalfSide } from './transfer/half-transfer.js';
export {
  DEFAULT_FRAMES_PER_TURN,
  DEFAULT_POLLER_INBOX_CAPACITY,
  type PollerAddOptions,
  PollerThread,
  type PollerThreadOptions,
  type TransferableReceiver,
} from './poller/poller-thread.js';
export type { PollerIdle } from './poller/poller-control.js';
export {
  FrameInbox,
  type FrameInboxOptions,
  type InboxRole,
  type SharedFrameInbox,
  InboxConsumer,
  InboxProducer,
  InboxReceiverBase,
  type InboxReceiverOptions,
} from '@net/core';

// The defaults of the options the synchronous flavours share (each flavour re-exports those its options take).
export {
  DEFAULT_MAX_BATCH_BYTES,
  DEFAULT_PROTOCOL_SEND_TIMEOUT_MS,
  DEFAULT_RECV_SPIN_MICROS,
  DEFAULT_WRITE_STALL_TIMEOUT_MS,
} from './limits.js';
export { SvcThreads } from './svc-threads/svc-threads.js';
export {
  DEFAULT_MESSAGES_PER_TURN,
  DEFAULT_THREAD_SEND_TIMEOUT_MS,
  MAX_SERVICE_THREADS,
  type SvcThreadsOptions,
  type SvcThreadStats,
} from './svc-threads/svc-threads-options.js';
export {
  defineHandler,
  type HandlerModule,
  type ThreadConn,
  type ThreadHandler,
} from './svc-threads/thread-handler.js';
