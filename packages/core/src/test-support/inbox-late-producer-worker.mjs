// A producing thread for the keep-alive test: with `write`, writes one 3-byte frame after a pause
// and closes; without, attaches, writes nothing and ends (leaving the inbox open). Either way it
// holds nothing open itself (its owner unrefs it), so only the consumer's wait can keep the
// process alive.
import { workerData } from 'node:worker_threads';
import { FrameInbox } from '../../dist/index.js';

const producer = FrameInbox.attach(workerData.shared, 'producer');
if (workerData.write) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.pauseMs);
  producer.tryWrite(new Uint8Array([1, 2, 3]), 0, 3);
  producer.close();
}
