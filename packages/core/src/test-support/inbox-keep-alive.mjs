// A program whose only pending work is one awaited inbox read (`ref` or `unref`, the first
// argument): it prints `read <length>` if the frame arrives before the process ends.
import { Worker } from 'node:worker_threads';
import { FrameInbox } from '../../dist/index.js';

const mode = process.argv[2];
const inbox = new FrameInbox({ capacity: 64, maxFrameBytes: 8 });
const consumer = inbox.consumer();
if (mode === 'unref') consumer.unref();
const worker = new Worker(new URL('./inbox-late-producer-worker.mjs', import.meta.url), {
  workerData: { shared: inbox.share(), write: mode === 'ref', pauseMs: 300 },
});
worker.unref();
const got = await consumer.read();
console.log(`read ${got === undefined ? 'end' : got.length}`);
