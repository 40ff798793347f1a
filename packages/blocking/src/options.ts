import type { CallOptions, SyncCltOptions, SyncConnectionOptions, SyncSvcOptions } from '@net/sync';

/** Options every blocking connection takes, on either side. */
export type ConnectionOptions<Send, Recv> = SyncConnectionOptions<Send, Recv>;
/** Options of `Clt.connect`. */
export type CltOptions<Send, Recv> = SyncCltOptions<Send, Recv>;
/** Options of `Svc.bind`. */
export type SvcOptions<Send, Recv> = SyncSvcOptions<Send, Recv>;
/** The options of a blocking call; an alias of `CallOptions` kept for code written before it. */
export type BlockingCallOptions = CallOptions;
