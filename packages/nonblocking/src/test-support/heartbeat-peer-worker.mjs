// The peer of a polled connection, on a thread of its own so that it reads on time whatever the
// test's thread does: it binds a service, accepts one connection and reads it until told to stop,
// timing the heartbeats ({ n: -1 }) and checking that every other message ({ n }) comes whole and
// in order. It ends by itself once told to stop.
import { workerData } from 'node:worker_threads';

const { Svc, jsonCodec, WOULD_BLOCK, END_OF_STREAM } = await import(workerData.flavour);
const words = new Int32Array(workerData.words);
// The shared words: the test sets STOP; this thread fills in the rest and sets DONE last.
const [STOP, PORT, BEATS, LARGEST_GAP, IN_ORDER, BROKEN, DONE] = [0, 1, 2, 3, 4, 5, 6];
const { pauseEvery = 0, pauseMs = 0, expected = Infinity } = workerData;
const nap = new Int32Array(new SharedArrayBuffer(4));

const svc = Svc.bind('127.0.0.1:0', { codec: jsonCodec() });
Atomics.store(words, PORT, svc.port);
Atomics.notify(words, PORT);
const peer = svc.acceptBusywaitTimeout(30_000);
// Gaps count from the first beat: before it, the poller thread may still be starting.
let lastBeat = -1;
let largestGap = 0;
let beats = 0;
let inOrder = 0;
let broken = 0;
const deadline = performance.now() + 120_000;
while (Atomics.load(words, STOP) === 0 && inOrder < expected && broken < 1_000 && performance.now() < deadline) {
  let got;
  try {
    got = peer.recv();
  } catch {
    broken++;
    continue;
  }
  if (got === END_OF_STREAM) break;
  if (got === WOULD_BLOCK) {
    Atomics.wait(nap, 0, 0, 1);
    continue;
  }
  if (got.n === -1) {
    const now = performance.now();
    if (lastBeat >= 0) largestGap = Math.max(largestGap, now - lastBeat);
    lastBeat = now;
    beats++;
  } else if (got.n === inOrder) {
    inOrder++;
    // The socket fills while this thread naps, so the sender's frames are cut mid-way.
    if (pauseEvery > 0 && inOrder % pauseEvery === 0) Atomics.wait(nap, 0, 0, pauseMs);
  } else broken++;
}
if (expected === Infinity && lastBeat >= 0) largestGap = Math.max(largestGap, performance.now() - lastBeat);
Atomics.store(words, BEATS, beats);
Atomics.store(words, LARGEST_GAP, Math.round(largestGap));
Atomics.store(words, IN_ORDER, inOrder);
Atomics.store(words, BROKEN, broken);
peer.close();
svc.close();
Atomics.store(words, DONE, 1);
Atomics.notify(words, DONE);
