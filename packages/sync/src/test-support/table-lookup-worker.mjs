// A resolver thread for tests: answers from a table instead of asking a name server, so that the
// tests look nothing up beyond this machine. Same shared layout as name-resolver.ts: the id of the
// last request answered (word 0), the answer's length (word 1), its JSON text from byte 8.
import { parentPort, workerData } from 'node:worker_threads';

const words = new Int32Array(workerData.answer);
const bytes = new Uint8Array(workerData.answer, 8);
const TABLE = {
  'db.test': { address: '127.0.0.1', family: 4 },
  'v6.test': { address: '::1', family: 6 },
  'missing.test': { code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND missing.test' },
  'again.test': { code: 'EAI_AGAIN', message: 'getaddrinfo EAI_AGAIN again.test' },
};

function answer(id, reply) {
  const { written } = new TextEncoder().encodeInto(JSON.stringify(reply), bytes);
  Atomics.store(words, 1, written);
  Atomics.store(words, 0, id);
  Atomics.notify(words, 0);
}

parentPort.on('message', ({ id, host }) => {
  if (host === 'silent.test') return; // a name server that never answers
  if (host === 'late.test') return void setTimeout(() => answer(id, { address: '10.9.9.9', family: 4 }), 200);
  answer(id, TABLE[host] ?? { code: 'ENOTFOUND', message: `no ${host} in the table` });
});
