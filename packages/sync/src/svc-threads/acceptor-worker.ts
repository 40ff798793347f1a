import { workerData } from 'node:worker_threads';
import { ErrorCode } from '@net/core';
import { runAcceptor } from './acceptor-loop.js';
import { plain } from './plain-error.js';
import { A_EXITED, A_STOPPED, type AcceptorData } from './svc-thread-control.js';
import { loadHandler } from './thread-handler.js';

/**
 * The accepting thread's entry (see `SvcThreads`): it loads the handler module for its codec,
 * listens and hands connections to the service threads until its owner closes it, then lets its
 * ports go and ends by itself (never terminated: see svc-thread-worker.ts). The reports port is
 * listened on, so the thread's event loop stays up while it accepts.
 */
const data = workerData as AcceptorData;
const control = new Int32Array(data.control);
process.once('exit', () => {
  Atomics.store(control, A_EXITED, 1);
  Atomics.notify(control, A_EXITED);
});
data.reports.on('message', () => undefined);
try {
  const handler = await loadHandler(data.handler).catch((error: unknown) => {
    data.reports.postMessage({ op: 'failed', error: plain(error, ErrorCode.INVALID_ARGUMENT) });
    return undefined;
  });
  if (handler !== undefined) await runAcceptor(data, handler);
} finally {
  // Also when it never listened: whoever stops it waits for this word.
  Atomics.store(control, A_STOPPED, 1);
  Atomics.notify(control, A_STOPPED);
  for (const thread of data.threads) thread.port.close();
  data.reports.close();
}
