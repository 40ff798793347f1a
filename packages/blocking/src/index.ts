export { Clt } from './clt.js';
export { CltReceiver, CltSender } from './clt-halves.js';
export { Svc } from './svc.js';
export type { BlockingCallOptions, CltOptions, ConnectionOptions, SvcOptions } from './options.js';
export { REJECTED, WOULD_BLOCK, type AcceptResult, type CallOptions, type Received, type RecvResult, type SendStatus } from '@net/sync';

/** The name of this flavour. */
export const FLAVOUR = 'blocking' as const;

export * from '@net/core';
