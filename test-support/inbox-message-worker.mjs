// The producing thread of the InboxReceiver tests (see inbox-messages.mjs): waits for its gate,
// writes `count` 4-byte ids, parking while the inbox is full, a bad frame after each id in
// `badAfter`, then closes the inbox and reports what it wrote.
import { parentPort, workerData } from 'node:worker_threads';
import { FrameInbox } from '../packages/core/dist/index.js';

const { shared, count, badAfter, gate } = workerData;
const producer = FrameInbox.attach(shared, 'producer');
const frame = new Uint8Array(4);
const view = new DataView(frame.buffer);
const bad = new Set(badAfter);
const WRITE_TIMEOUT_MS = 120_000;
try {
  // Bounded: a test that never opens the gate still ends this thread.
  Atomics.wait(gate, 0, 0, WRITE_TIMEOUT_MS);
  for (let id = 0; id < count; id++) {
    view.setUint32(0, id, true);
    producer.writeWait(frame, 0, 4, WRITE_TIMEOUT_MS);
    if (bad.has(id)) producer.writeWait(frame, 0, 3, WRITE_TIMEOUT_MS);
  }
  parentPort.postMessage({ written: count });
} catch (error) {
  parentPort.postMessage({ error: String(error) });
} finally {
  producer.close();
}
