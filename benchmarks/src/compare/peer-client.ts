import { runEventLoopClient } from './client-event-loop.js';
import { runSyncClient } from './client-sync.js';
import { runZeromqClient } from './client-zeromq.js';
import { runConcurrent } from './peer-concurrent.js';
import type { ClientJob } from './client-job.js';
import type { ClientResult } from './protocol.js';

/** Runs one measurement; returns the result line. */
export function runClient(job: ClientJob): Promise<ClientResult> | ClientResult {
  if (job.connections > 1) return runConcurrent(job);
  switch (job.subject) {
    case 'async':
    case 'raw':
      return runEventLoopClient(job);
    case 'nonblocking':
    case 'blocking':
    case 'blocking-heartbeats':
    case 'blocking-park':
      return runSyncClient(job);
    case 'zeromq':
      return runZeromqClient(job);
  }
}
