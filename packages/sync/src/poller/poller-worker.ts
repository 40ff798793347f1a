import { workerData } from 'node:worker_threads';
import { runPoller } from './poller-loop.js';
import type { PollerWorkerData } from './poller-control.js';

/**
 * The poller thread's entry (see `PollerThread`): it runs the poll loop until its owner closes it,
 * then lets its port go so that nothing keeps the thread alive.
 */
const data = workerData as PollerWorkerData;
try {
  runPoller(data);
} finally {
  data.port.close();
}
