// The producing thread of the lost-wake-up test: writes `bursts` bursts of 1 to 4 frames
// (inbox-frames.mjs), each staged frame by frame and published at once, then waits until the
// consumer has read the whole burst before the next one. The consumer therefore finds the inbox
// empty and parks around every publish: a wake-up lost there leaves it parked. It runs the
// package's built code, as a user's thread would.
import { parentPort, workerData } from 'node:worker_threads';
import { FrameInbox } from '../../dist/index.js';
import { fillFrame } from './inbox-frames.mjs';

const { shared, bursts, read, giveUpMs } = workerData;
const producer = FrameInbox.attach(shared, 'producer');
const readCount = new Int32Array(read);
const max = producer.maxFrameBytes;
const scratch = new Uint8Array(max);
const giveUp = performance.now() + giveUpMs;
let id = 0;
try {
  for (let burst = 0; burst < bursts; burst++) {
    const size = 1 + (burst % 4);
    for (let i = 0; i < size; i++, id++) {
      const length = fillFrame(scratch, 0, id, max);
      if (!producer.tryStage(scratch, 0, length)) throw new Error(`no room for frame ${id} of a small burst`);
    }
    producer.publish();
    // Some bursts go out at once, some after a pause: the consumer is caught spinning, flagging or parked.
    if (burst % 3 === 0) for (const until = performance.now() + 0.02; performance.now() < until;);
    for (let seen = Atomics.load(readCount, 0); seen < id; seen = Atomics.load(readCount, 0)) {
      if (performance.now() > giveUp) throw new Error(`the consumer stopped at ${seen} of ${id} frames`);
      Atomics.wait(readCount, 0, seen, 100);
    }
  }
  parentPort.postMessage({ written: id });
} catch (error) {
  parentPort.postMessage({ error: String(error) });
} finally {
  producer.close();
}
