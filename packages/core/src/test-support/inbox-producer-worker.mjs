// The producing thread of the cross-thread inbox tests: writes `count` frames (inbox-frames.mjs)
// into the inbox it is handed, parking while it is full, then closes it. It runs the package's
// built code, as a user's thread would.
import { parentPort, workerData } from 'node:worker_threads';
import { FrameInbox } from '../../dist/index.js';
import { fillFrame } from './inbox-frames.mjs';

const { shared, count } = workerData;
const producer = FrameInbox.attach(shared, 'producer');
const max = producer.maxFrameBytes;
// Frames start a few bytes into the scratch buffer, so the offset argument is exercised too.
const scratch = new Uint8Array(max + 3);
try {
  for (let id = 0; id < count; id++) {
    const length = fillFrame(scratch, 3, id, max);
    producer.writeWait(scratch, 3, length, 120_000);
  }
  parentPort.postMessage({ written: count, stalls: producer.stalls });
} catch (error) {
  parentPort.postMessage({ error: String(error) });
} finally {
  // The consumer then sees the end: early, with frames missing, if a write failed.
  producer.close();
}
