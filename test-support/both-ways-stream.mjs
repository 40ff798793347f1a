// Two single-threaded synchronous peers that each send a whole stream before reading any of it:
// far more than the kernel's socket buffers hold, so each send waits on the other's reads. One
// peer runs on the test's thread, the other on a worker (both-ways-stream-worker.mjs).
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

/** Frames of `size` bytes, a length field in front, and a receive limit that holds a whole stream. */
export function streamCodec(flavour, size, count) {
  const maxFrameLength = 4 + size;
  // The receive buffer's limit is one frame plus one read; a stream held whole needs this much.
  const framer = flavour.lengthFieldFramer({ maxFrameLength: Math.max(maxFrameLength, 2 * count * (4 + size)) });
  return flavour.bytesCodec({ framer, copy: true });
}

/**
 * Sends `count` numbered frames of `size` bytes on `clt`, then receives the peer's `count`: the
 * first problem as a string, or undefined when all were sent and all came whole and in order.
 * `blocking` says which flavour's calls `clt` has.
 */
export function streamBothWays(clt, blocking, count, size, timeoutMs) {
  const frame = new Uint8Array(size);
  const view = new DataView(frame.buffer);
  for (let n = 0; n < count; n++) {
    view.setUint32(0, n);
    frame[size - 1] = n & 0xff;
    try {
      const status = blocking
        ? (clt.send(frame, { timeout: timeoutMs }), 'completed')
        : clt.sendBusywaitTimeout(frame, timeoutMs);
      if (status !== 'completed') return `send ${n} of ${count}: ${status}`;
    } catch (error) {
      return `send ${n} of ${count} failed: ${error.code ?? ''} ${error.message}`;
    }
  }
  for (let n = 0; n < count; n++) {
    let got;
    try {
      got = blocking ? clt.recv({ timeout: timeoutMs }) : clt.recvBusywaitTimeout(timeoutMs);
    } catch (error) {
      return `receive ${n} of ${count} failed: ${error.code ?? ''} ${error.message}`;
    }
    if (!(got instanceof Uint8Array)) return `receive ${n} of ${count}: ${String(got)}`;
    const seq = new DataView(got.buffer, got.byteOffset, got.length).getUint32(0);
    if (got.length !== size || seq !== n || got[size - 1] !== (n & 0xff))
      return `receive ${n} of ${count}: frame ${seq} of ${got.length} bytes`;
  }
  return undefined;
}

/**
 * Starts the client peer on a worker (both-ways-stream-worker.mjs) with the flavour built at
 * `flavourUrl`; resolves to its problem, or undefined. `cleanups` waits for the worker to end.
 */
export function startStreamClient(cleanups, flavourUrl, options) {
  const worker = new Worker(new URL('./both-ways-stream-worker.mjs', import.meta.url), {
    workerData: { flavourUrl: flavourUrl.href, ...options },
  });
  const exited = once(worker, 'exit');
  cleanups.add(async () => void (await exited));
  return once(worker, 'message').then(([{ problem }]) => problem ?? undefined);
}
