export { Clt } from './clt.js';
export { CltReceiver, CltSender } from './clt-halves.js';
export { Svc } from './svc.js';
export type { BlockingCallOptions, CltOptions, ConnectionOptions, SvcOptions } from './options.js';
export { REJECTED, WOULD_BLOCK, type AcceptResult, type CallOptions, type Received, type RecvResult, type SendStatus } from '@net/sync';

/** The name of this flavour. */
export const FLAVOUR = 'blocking' as const;

export * from '@net/core';

// The synchronous runtime's defaults (the shared ones come from @net/core).
export {
  BROKER_CONNECT_SLACK_MS,
  BROKER_LINGER_MS,
  BROKER_LIVENESS_CHECK_MS,
  BROKER_REQUEST_TIMEOUT_MS,
  DEFAULT_MAX_BATCH_BYTES,
  DEFAULT_PROTOCOL_SEND_TIMEOUT_MS,
  DEFAULT_RECV_SPIN_MICROS,
  DEFAULT_WRITE_STALL_TIMEOUT_MS,
} from '@net/sync';
