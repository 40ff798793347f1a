// What the InboxReceiver tests of every flavour share: a producing thread (inbox-message-worker.mjs)
// that writes message `id` as a 4-byte frame holding `id`, and the codec that reads them back.
// Frames of any other length are what a bad producer wrote: the codec refuses them.
import { Worker } from 'node:worker_threads';
import { ErrorCode, fixedSizeFramer, NetError } from '../packages/core/dist/index.js';
import { FrameInbox } from '../packages/core/dist/index.js';

/** Decodes a 4-byte frame into the number it holds; refuses any other length with `NET_ERR_DECODE`. */
export const idCodec = {
  framer: fixedSizeFramer(4),
  usesView: true,
  encode() {
    throw new NetError(ErrorCode.ENCODE, 'idCodec only decodes');
  },
  decode(frame) {
    if (frame.length !== 4) throw new NetError(ErrorCode.DECODE, `an id takes 4 bytes, got ${frame.length}`);
    return frame.view.getUint32(frame.offset, true);
  },
};

/**
 * Creates an inbox, attaches this thread as its consumer and starts a worker producing into it:
 * `count` messages (ids 0 ..), with a 3-byte frame no codec decodes after each id in `badAfter`,
 * then it closes the inbox. With `gated`, the worker writes nothing until `open()` is called.
 */
export function startInboxProducer({ count, badAfter = [], gated = false, capacity = 1024 }) {
  const inbox = new FrameInbox({ capacity, maxFrameBytes: 16 });
  const consumer = inbox.consumer();
  const gate = new Int32Array(new SharedArrayBuffer(4));
  if (!gated) gate[0] = 1;
  const worker = new Worker(new URL('./inbox-message-worker.mjs', import.meta.url), {
    workerData: { shared: inbox.share(), count, badAfter, gate },
  });
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  const report = new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return {
    consumer,
    report,
    open() {
      Atomics.store(gate, 0, 1);
      Atomics.notify(gate, 0);
    },
    // Ends the worker by its own path rather than terminate(): the closed inbox fails its next
    // write, and an open gate lets a gated one get there. worker.terminate() here brought Node 26
    // down now and then, with a failed V8 check, once the worker had finished.
    async stop() {
      consumer.close();
      Atomics.store(gate, 0, 1);
      Atomics.notify(gate, 0);
      await exited;
    },
  };
}
