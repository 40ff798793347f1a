export { Clt } from './clt.js';
export { CltConnector } from './clt-connector.js';
export { CltReceiver, CltSender } from './clt-halves.js';
export { Svc } from './svc.js';
export { InboxReceiver, type InboxReceiverOptions } from './inbox-receiver.js';
export { Poller, type PollerOptions, type ReceiverHandlers } from './poller.js';
export type { CltOptions, SvcOptions, ConnectionOptions } from './options.js';
export {
  FrameInbox,
  InboxConsumer,
  InboxProducer,
  PollerThread,
  REJECTED,
  SvcThreads,
  defineHandler,
  DEFAULT_MESSAGES_PER_TURN,
  DEFAULT_THREAD_SEND_TIMEOUT_MS,
  MAX_SERVICE_THREADS,
  type HandlerModule,
  type SvcThreadsOptions,
  type SvcThreadStats,
  type ThreadConn,
  type ThreadHandler,
  WOULD_BLOCK,
  type FrameInboxOptions,
  type InboxRole,
  type SharedFrameInbox,
  type AcceptResult,
  type AdoptOptions,
  type HalfTransfer,
  type PollerAddOptions,
  type PollerIdle,
  type PollerThreadOptions,
  type TransferableReceiver,
  type CallOptions,
  type IdleStrategy,
  type Received,
  type RecvResult,
  type SendStatus,
} from '@net/sync';

/** The name of this flavour. */
export const FLAVOUR = 'nonblocking' as const;

// What a user of this flavour meets from `@net/core` (one list for all three flavours).
export * from '@net/core/flavour';
export { DEFAULT_IDLE_POLLS_BEFORE_WATCH, DEFAULT_POLLER_MESSAGES_PER_PASS } from './limits.js';
export { DEFAULT_FRAMES_PER_TURN, DEFAULT_POLLER_INBOX_CAPACITY } from '@net/sync';
export { DEFAULT_MAX_BATCH_BYTES, DEFAULT_PROTOCOL_SEND_TIMEOUT_MS, DEFAULT_WRITE_STALL_TIMEOUT_MS } from '@net/sync';
