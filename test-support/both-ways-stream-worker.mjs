// The client peer of a both-ways stream (see both-ways-stream.mjs), on a thread of its own: it
// connects with the flavour it is given, streams, and posts what it found. It ends by itself (a
// thread that loaded node:ffi must not be terminated).
import { parentPort, workerData } from 'node:worker_threads';
import { streamBothWays, streamCodec } from './both-ways-stream.mjs';

const { flavourUrl, blocking, port, count, size, timeoutMs, writeStallTimeout } = workerData;
const flavour = await import(flavourUrl);
let problem;
try {
  const clt = flavour.Clt.connect({ port }, { codec: streamCodec(flavour, size, count), writeStallTimeout });
  problem = streamBothWays(clt, blocking, count, size, timeoutMs);
  clt.close();
} catch (error) {
  problem = `the client failed: ${error.code ?? ''} ${error.message}`;
}
parentPort.postMessage({ problem: problem ?? null });
