import type { SyncCltOptions, SyncConnectionOptions, SyncSvcOptions } from '@net/sync';

/** Options every non-blocking connection takes, on either side. */
export type ConnectionOptions<Send, Recv> = SyncConnectionOptions<Send, Recv>;
/** Options of `Clt.connect`. */
export type CltOptions<Send, Recv> = SyncCltOptions<Send, Recv>;
/** Options of `Svc.bind`. */
export type SvcOptions<Send, Recv> = SyncSvcOptions<Send, Recv>;
