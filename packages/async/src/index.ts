export { Clt } from './clt.js';
export { CltSender, CltReceiver } from './clt-halves.js';
export { Svc } from './svc.js';
export { InboxReceiver } from './inbox-receiver.js';
export {
  FrameInbox,
  InboxConsumer,
  InboxProducer,
  type FrameInboxOptions,
  type InboxReceiverOptions,
  type InboxRole,
  type SharedFrameInbox,
} from '@net/core';
export type { Received } from '@net/core';
export type { RecvOptions } from './message-inbox.js';
export type { CltOptions, SvcOptions, ConnectionOptions } from './options.js';
export type { ReconnectOptions } from './reconnect-policy.js';

/** The name of this flavour. */
export const FLAVOUR = 'async' as const;

// What a user of this flavour meets from `@net/core` (one list for all three flavours).
export * from '@net/core/flavour';
export {
  DEFAULT_CLOSE_TIMEOUT_MS,
  DEFAULT_FLUSH_THRESHOLD,
  DEFAULT_HIGH_WATER_MARK,
  DEFAULT_LOW_WATER_MARK,
  DEFAULT_MAX_BUFFERED_BYTES,
  DEFAULT_MAX_QUEUED_MESSAGES,
  DEFAULT_RECONNECT_FACTOR,
  DEFAULT_RECONNECT_INITIAL_DELAY_MS,
  DEFAULT_RECONNECT_JITTER,
  DEFAULT_RECONNECT_MAX_DELAY_MS,
} from './limits.js';
