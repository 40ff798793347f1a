// The producer of inbox-exit.mjs: after `pauseMs` writes `count` 4-byte ids, then closes the inbox.
import { workerData } from 'node:worker_threads';
import { FrameInbox } from '../../dist/index.js';

const { shared, count, pauseMs } = workerData;
const producer = FrameInbox.attach(shared, 'producer');
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, pauseMs);
const frame = new Uint8Array(4);
const view = new DataView(frame.buffer);
for (let id = 0; id < count; id++) {
  view.setUint32(0, id, true);
  producer.writeWait(frame, 0, 4, 60_000);
}
producer.close();
