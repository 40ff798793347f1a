import { runEventLoopClient } from './client-event-loop.js';
import { runSyncClient } from './client-sync.js';
import { runZeromqClient } from './client-zeromq.js';
import { closeIdleConnections, openIdleConnections } from './idle-connections.js';
import { runConcurrent } from './peer-concurrent.js';
import type { ClientJob } from './client-job.js';
import type { ClientResult } from './protocol.js';

/**
 * Runs one measurement; returns the result line. A `hold` job opens its idle connections and never
 * returns: the service reports, and the harness ends this process. A job with `idle` connections
 * opens them first and keeps them silent while its busy connection is measured.
 */
export async function runClient(job: ClientJob): Promise<ClientResult> {
  if (job.mode === 'hold') {
    await openIdleConnections(job, job.count);
    return new Promise<never>(() => undefined);
  }
  if (job.idle === 0) return runBusy(job);
  const idle = await openIdleConnections(job, job.idle);
  try {
    return await runBusy(job);
  } finally {
    closeIdleConnections(idle);
  }
}

function runBusy(job: ClientJob): Promise<ClientResult> | ClientResult {
  if (job.connections > 1) return runConcurrent(job);
  switch (job.subject) {
    case 'async':
    case 'raw':
      return runEventLoopClient(job);
    case 'nonblocking':
    case 'nonblocking-polled':
    case 'blocking':
    case 'blocking-heartbeats':
    case 'blocking-park':
      return runSyncClient(job);
    case 'zeromq':
      return runZeromqClient(job);
  }
}
