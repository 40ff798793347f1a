export { Clt } from './clt.js';
export { CltSender, CltReceiver } from './clt-halves.js';
export { Svc } from './svc.js';
export type { Received } from './svc-pool.js';
export type { RecvOptions } from './message-inbox.js';
export type { CltOptions, SvcOptions, ConnectionOptions } from './options.js';
export type { ReconnectOptions } from './reconnect-policy.js';

/** The name of this flavour. */
export const FLAVOUR = 'async' as const;

export * from '@net/core';
