import { workerData } from 'node:worker_threads';
import { runPoller } from './poller-loop.js';
import { C_EXITED, type PollerWorkerData } from './poller-control.js';

/**
 * The poller thread's entry (see `PollerThread`): it runs the poll loop until its owner closes it,
 * then lets its port go and ends by itself. It is never terminated: ending by itself, it lets go of
 * every connection, and a thread parked in a C-library call would not end at `terminate()` before
 * the call returned.
 */
const data = workerData as PollerWorkerData;
const control = new Int32Array(data.control);
process.once('exit', () => {
  Atomics.store(control, C_EXITED, 1);
  Atomics.notify(control, C_EXITED);
});
try {
  runPoller(data);
} finally {
  data.port.close();
}
