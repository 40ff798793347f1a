// A program whose only pending work, once started, is an InboxReceiver's for-await loop: its
// producing thread (unref'd) waits a moment, writes `count` ids and closes the inbox. It prints
// `received <n>` when the loop ends; the process must stay alive for the whole wait and end by
// itself right after, with nothing left holding it.
import { Worker } from 'node:worker_threads';
import { fixedSizeFramer } from '@net/core';
import { FrameInbox, InboxReceiver } from '../../dist/index.js';

const count = Number(process.argv[2]);
const inbox = new FrameInbox({ capacity: 256, maxFrameBytes: 8 });
const codec = {
  framer: fixedSizeFramer(4),
  encode() {},
  decode: (frame) => frame.view.getUint32(frame.offset, true),
};
const receiver = new InboxReceiver(inbox.consumer(), { codec });
const worker = new Worker(new URL('./inbox-exit-worker.mjs', import.meta.url), {
  workerData: { shared: inbox.share(), count, pauseMs: 300 },
});
worker.unref();
let received = 0;
for await (const id of receiver) {
  if (id !== received) throw new Error(`got ${id}, expected ${received}`);
  received++;
}
console.log(`received ${received}`);
