export { Clt } from './clt.js';
export { CltConnector } from './clt-connector.js';
export { CltReceiver, CltSender } from './clt-halves.js';
export { Svc } from './svc.js';
export { Poller, type PollerOptions, type ReceiverHandlers } from './poller.js';
export type { CltOptions, SvcOptions, ConnectionOptions } from './options.js';
export { REJECTED, WOULD_BLOCK, type AcceptResult, type CallOptions, type IdleStrategy, type Received, type RecvResult, type SendStatus } from '@net/sync';

/** The name of this flavour. */
export const FLAVOUR = 'nonblocking' as const;

export * from '@net/core';
