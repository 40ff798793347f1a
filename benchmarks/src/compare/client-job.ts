import type { Case } from './cases.js';
import type { NodeSubject } from './protocol.js';

/** What one client run is asked to do: a case of the comparison, for one subject at one address. */
export interface ClientJob extends Omit<Case, 'suite'> {
  readonly subject: NodeSubject;
  /** A port (tcp), a path (unix) or zeromq's two endpoints. */
  readonly address: string;
}

/** Frames a stream client hands over in one call where the subject takes several (sendMany, a packed write). */
export const STREAM_BATCH = 64;

/** Where a Node client connects. */
export const target = (job: ClientJob) =>
  job.transport === 'tcp' ? { host: '127.0.0.1', port: Number(job.address) } : { path: job.address };
