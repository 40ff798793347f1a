import { workerData } from 'node:worker_threads';
import { ErrorCode } from '@net/core';
import { plain } from './plain-error.js';
import type { ServedConnection } from './served-connection.js';
import { endQuietly, runServiceThread } from './svc-thread-loop.js';
import { T_EXITED, T_READY, T_STOPPED, type SvcThreadData } from './svc-thread-control.js';
import { loadHandler } from './thread-handler.js';

/**
 * A service thread's entry (see `SvcThreads`): it loads the user's handler module, says so, and
 * serves until its owner closes it, then lets its port go and ends by itself. It is never
 * terminated: ending by itself, it closes what it serves, and a thread parked in a C-library call
 * would not end at `terminate()` before the call returned.
 */
const data = workerData as SvcThreadData;
const control = new Int32Array(data.control);
// The connections this thread serves: a thread that ends without being stopped (a handler that
// calls `process.exit()`) closes them as it goes, as not every runtime tells the other threads.
const served: ServedConnection[] = [];
process.once('exit', () => {
  for (const connection of served.splice(0)) endQuietly(connection, undefined);
  Atomics.store(control, T_EXITED, 1);
  Atomics.notify(control, T_EXITED);
});
try {
  let handler;
  try {
    handler = await loadHandler(data.handler);
  } catch (error) {
    data.reports.postMessage({ op: 'failed', error: plain(error, ErrorCode.INVALID_ARGUMENT) });
    Atomics.store(control, T_READY, -1);
    Atomics.notify(control, T_READY);
  }
  if (handler !== undefined) {
    Atomics.store(control, T_READY, 1);
    Atomics.notify(control, T_READY);
    data.reports.postMessage({ op: 'ready' });
    runServiceThread(data, handler, served);
  }
} finally {
  // Also when it never served: whoever stops it waits for this word.
  Atomics.store(control, T_STOPPED, 1);
  Atomics.notify(control, T_STOPPED);
  data.port.close();
  data.reports.close();
}
