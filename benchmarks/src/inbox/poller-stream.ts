// One connection's stream into a consumer thread, two ways: a PollerThread reads the socket and
// copies each frame into a FrameInbox that a worker reads with @net/nonblocking's InboxReceiver
// spinning; or a worker owns a node:net socket and relays each frame to the consumer worker with
// postMessage. The peer is a node:net server on this thread writing fixed-size frames as fast as
// the socket takes them. It prints each way's frames per second, measured by the consumer from
// its first frame to its last. Not part of any test run (no timing is asserted anywhere); run it
// with `pnpm --filter @net/benchmarks bench:poller [count]`.
import { once } from 'node:events';
import { type AddressInfo, connect, createServer, type Socket } from 'node:net';
import { MessageChannel, type MessagePort, Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { Codec } from '@net/core';
import {
  Clt,
  fixedSizeFramer,
  InboxReceiver,
  PollerThread,
  type SharedFrameInbox,
  WOULD_BLOCK,
} from '@net/nonblocking';

type Way = 'poller' | 'postMessage';
interface Job {
  readonly role: 'consumer' | 'relay';
  readonly count: number;
  readonly shared?: SharedFrameInbox;
  readonly port?: MessagePort;
  readonly serverPort?: number;
}

const FRAME_BYTES = 16;
// The consumer decodes a frame's first word, as a typed consumer would read a field.
const idCodec: Codec<never, number> = {
  framer: fixedSizeFramer(FRAME_BYTES),
  encode: () => undefined,
  decode: (frame) => frame.view.getUint32(frame.offset, true),
};

/** Counts `count` frames from the inbox or the port; the frames per second from the first to the last. */
async function consume(job: Job): Promise<number> {
  let first = 0;
  if (job.shared !== undefined) {
    const receiver = InboxReceiver.attach(job.shared, { codec: idCodec });
    for (let got = 0; got < job.count;) {
      const id = receiver.recv();
      if (id === WOULD_BLOCK || id === undefined) continue;
      if (got++ === 0) first = performance.now();
    }
    receiver.close();
  } else {
    let got = 0;
    await new Promise<void>((resolve) => {
      job.port!.on('message', (frame: Uint8Array) => {
        new DataView(frame.buffer, frame.byteOffset).getUint32(0, true);
        if (got++ === 0) first = performance.now();
        if (got === job.count) resolve();
      });
    });
    job.port!.close();
  }
  return job.count / ((performance.now() - first) / 1000);
}

/** Owns a node:net socket to the peer and posts each frame it cuts to the consumer. */
function relay(job: Job): void {
  let pending: Buffer = Buffer.alloc(0);
  const socket = connect(job.serverPort!, '127.0.0.1');
  socket.on('data', (chunk: Buffer) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    let at = 0;
    for (; at + FRAME_BYTES <= pending.length; at += FRAME_BYTES) {
      // A copy of the 16 bytes: a view would clone the whole chunk under it.
      job.port!.postMessage(Uint8Array.prototype.slice.call(pending, at, at + FRAME_BYTES));
    }
    pending = pending.subarray(at);
  });
  socket.on('close', () => job.port!.close());
}

function start(job: Job, transfer: MessagePort[]): Promise<number> {
  const worker = new Worker(new URL(import.meta.url), { workerData: job, transferList: transfer });
  return new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

/** A peer that writes `count` frames to the first connection, honouring backpressure. */
async function peer(count: number): Promise<{ port: number; done: Promise<unknown> }> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const done = (once(server, 'connection') as Promise<[Socket]>).then(async ([socket]) => {
    const batch = Buffer.alloc(FRAME_BYTES * 1024);
    for (let sent = 0; sent < count; sent += 1024) {
      for (let i = 0; i < 1024; i++) batch.writeUInt32LE(sent + i, i * FRAME_BYTES);
      if (!socket.write(Buffer.from(batch))) await once(socket, 'drain');
    }
    socket.end();
    server.close();
  });
  return { port: (server.address() as AddressInfo).port, done };
}

async function run(way: Way, count: number): Promise<number> {
  const { port, done } = await peer(count);
  if (way === 'postMessage') {
    const { port1, port2 } = new MessageChannel();
    const consumer = start({ role: 'consumer', count, port: port1 }, [port1]);
    void start({ role: 'relay', count, port: port2, serverPort: port }, [port2]);
    await done;
    return consumer;
  }
  const poller = PollerThread.start();
  const clt = Clt.connect<never, number>({ port }, { codec: idCodec });
  const shared = poller.add(clt.split().receiver, { framer: idCodec.framer, capacity: 1 << 16 });
  const consumer = start({ role: 'consumer', count, shared }, []);
  await done;
  const perSecond = await consumer;
  poller.close();
  clt.close();
  return perSecond;
}

if (isMainThread) {
  const count = Number(process.argv[2] ?? 1_000_000);
  console.log(`${count} frames of ${FRAME_BYTES} bytes from a socket to a consumer thread (frames/s)`);
  const base = await run('postMessage', count);
  const poller = await run('poller', count);
  console.log(`postMessage relay  ${Math.round(base).toString().padStart(10)}/s`);
  console.log(`poller thread      ${Math.round(poller).toString().padStart(10)}/s (x${(poller / base).toFixed(2)})`);
} else {
  const job = workerData as Job;
  if (job.role === 'relay') relay(job);
  else parentPort!.postMessage(await consume(job));
}
