import { lookup } from 'node:dns';
import { parentPort, workerData } from 'node:worker_threads';
import { ANSWER_BYTES, ANSWER_LENGTH, ANSWERED, type LookupAnswer, type LookupRequest } from './name-resolver.js';

// The resolver's thread: looks names up with the runtime's own `dns.lookup` (getaddrinfo on a
// thread of its pool, as `net.connect` does), and writes each answer into the memory it shares
// with the thread that asked, which is parked in Atomics.wait on it.
const words = new Int32Array(workerData.answer as SharedArrayBuffer);
const bytes = new Uint8Array(workerData.answer as SharedArrayBuffer, ANSWER_BYTES);
const encoder = new TextEncoder();

function answer(id: number, reply: LookupAnswer): void {
  const { written } = encoder.encodeInto(JSON.stringify(reply), bytes);
  Atomics.store(words, ANSWER_LENGTH, written ?? 0);
  Atomics.store(words, ANSWERED, id);
  Atomics.notify(words, ANSWERED);
}

// eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- this module only runs as a worker thread
parentPort!.on('message', ({ id, host }: LookupRequest) => {
  try {
    lookup(host, (error, address, family) => {
      if (error) answer(id, { code: error.code ?? 'ENOTFOUND', message: error.message });
      else answer(id, { address, family });
    });
  } catch (error) {
    answer(id, { code: 'EINVAL', message: error instanceof Error ? error.message : String(error) });
  }
});
