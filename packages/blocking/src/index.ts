export { Clt, type CltOptions } from './clt.js';
export { CltReceiver, CltSender } from './clt-halves.js';
export { Svc, type SvcOptions } from './svc.js';
export type { BlockingCallOptions } from './wait.js';

/** The name of this flavour. */
export const FLAVOUR = 'blocking' as const;

export * from '@net/core';
