// Starts a worker that adopts a half of a connection (a package's `test-support/half-worker.mjs`)
// and gives the test a way to ask it things, one request and one answer at a time.
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

/**
 * Starts `script` with the package build at `flavour` as its `workerData.flavour`, waits for its
 * ready message, and registers its termination with `cleanups`.
 */
export async function startHalfWorker(cleanups, script, flavour) {
  const worker = new Worker(script, { workerData: { flavour: flavour.href } });
  cleanups.add(() => void worker.terminate());
  const [ready] = await once(worker, 'message');
  if (ready?.ready !== true) throw new Error(`the half worker said ${JSON.stringify(ready)} before it was ready`);
  const ask = async (request, transfer = []) => {
    worker.postMessage(request, [...transfer]);
    const [answer] = await once(worker, 'message');
    return answer;
  };
  return { worker, ask };
}

/**
 * `startHalfWorker` for the package whose test file is at `testUrl`: its
 * `src/test-support/half-worker.mjs` on its build in `dist/`.
 */
export function packageHalfWorker(cleanups, testUrl) {
  return () =>
    startHalfWorker(cleanups, new URL('./test-support/half-worker.mjs', testUrl), new URL('../dist/index.js', testUrl));
}
