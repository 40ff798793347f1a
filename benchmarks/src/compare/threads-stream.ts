import { once } from 'node:events';
import { type AddressInfo, connect, createServer, type Socket } from 'node:net';
import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import type { Codec } from '@net/core';
import * as asyncNet from '@net/async';
import * as nonblocking from '@net/nonblocking';
import { LengthPrefixParser } from './length-prefix.js';
import { type ClientResult, STREAMED } from './protocol.js';
import { Recorder } from './recorder.js';
import { CONNECT_MS } from './threads-roundtrip.js';
import { wireCodec } from './wire-codec.js';

/** How a stream row of the threads suite reads what a peer streams to it. */
export type StreamWay =
  'poller-thread' | 'poller-thread-async' | 'same-thread-poller' | 'async-socket' | 'postmessage-relay';

/** What one inbound-stream run is asked to do. */
export interface StreamJob {
  readonly way: StreamWay;
  readonly port: number;
  readonly count: number;
  readonly warmup: number;
  readonly budgetMs: number;
}

/** What the relaying worker is given: where the stream comes from, and where its frames go. */
export interface RelayJob {
  readonly role: 'relay';
  readonly port: number;
  readonly out: MessagePort;
}

/** Frames the source writes in one `write`: what a busy sender's kernel buffers hold at once. */
const SOURCE_BATCH = 1_024;

/**
 * The source of the inbound stream: a `node:net` server that writes `total` u32 length-prefixed
 * frames of `size` bytes to its first connection as fast as the socket takes them, then ends it.
 * Prints `ready PORT` once it listens.
 */
export async function serveStream(size: number, total: number): Promise<void> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  console.log(`ready ${(server.address() as AddressInfo).port}`);
  const [socket] = (await once(server, 'connection')) as [Socket];
  socket.setNoDelay(true);
  // A consumer whose time budget ended the run closes mid-stream: that is the end, not a failure.
  socket.on('error', () => undefined);
  const frame = 4 + size;
  const batch = Buffer.alloc(frame * SOURCE_BATCH, STREAMED);
  for (let at = 0; at < batch.length; at += frame) batch.writeUInt32BE(size, at);
  for (let sent = 0; sent < total; sent += SOURCE_BATCH) {
    const frames = Math.min(SOURCE_BATCH, total - sent);
    if (!socket.write(batch.subarray(0, frames * frame))) await once(socket, 'drain');
  }
  socket.end();
  server.close();
}

/**
 * Counts an inbound stream's frames, one way per row: a `PollerThread` reads the socket into an
 * inbox this thread reads with `@net/nonblocking`'s `InboxReceiver` spinning; this thread's own
 * `Poller` reads it (`intoSenderWithSpawnedReceiver`, passes from this loop); or a worker owns a
 * `node:net` socket, cuts the frames and posts each to this thread. The rate is from the frame
 * after the warm-up to the last.
 */
export async function runStream(job: StreamJob, program: URL): Promise<ClientResult> {
  const recorder = new Recorder({
    mode: 'stream',
    count: job.count,
    warmup: job.warmup,
    rate: 0,
    budgetMs: job.budgetMs,
  });
  const total = job.warmup + job.count;
  let got = 0;
  // One frame taken: true once the run has its count or its time budget ran out.
  const took = (): boolean => {
    got++;
    if (got === job.warmup) recorder.start();
    return got >= total || (got > job.warmup && (got & 1023) === 0 && recorder.expired());
  };
  if (job.way === 'postmessage-relay') {
    const { port1, port2 } = new MessageChannel();
    const relay: RelayJob = { role: 'relay', port: job.port, out: port2 };
    const worker = new Worker(program, { workerData: relay, transferList: [port2] });
    await new Promise<void>((resolve) => {
      port1.on('message', (frame: Uint8Array) => {
        if (frame[0] === STREAMED && took()) resolve();
      });
    });
    recorder.streamed(got - job.warmup);
    const result = recorder.result();
    port1.close();
    await worker.terminate();
    return result;
  }
  const codec = wireCodec('bytes');
  if (job.way === 'async-socket') {
    let done = false;
    let finish = (): void => undefined;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const end = (): void => {
      done = true;
      finish();
    };
    const clt = await asyncNet.Clt.connect<unknown, unknown>(
      { host: '127.0.0.1', port: job.port },
      { codec, onMessage: () => void (!done && took() && end()), callbacks: { onDisconnected: end } },
    );
    await finished;
    recorder.streamed(got - job.warmup);
    const result = recorder.result();
    await clt.close();
    return result;
  }
  const clt = nonblocking.Clt.connect<unknown, unknown>(
    { host: '127.0.0.1', port: job.port },
    { codec, timeout: CONNECT_MS },
  );
  if (job.way === 'poller-thread' || job.way === 'poller-thread-async') {
    const poller = nonblocking.PollerThread.start();
    const shared = poller.add(clt.split().receiver, { framer: codec.framer });
    const options = { codec: codec as Codec<never, Uint8Array> };
    const inbox =
      job.way === 'poller-thread'
        ? nonblocking.InboxReceiver.attach(shared, options)
        : asyncNet.InboxReceiver.attach(shared, options);
    if (inbox instanceof nonblocking.InboxReceiver) {
      for (;;) {
        const frame = inbox.recvBusywait();
        if (frame === undefined || took()) break;
      }
    } else {
      for (;;) {
        const frame = await inbox.recv();
        if (frame === undefined || took()) break;
      }
    }
    recorder.streamed(got - job.warmup);
    const result = recorder.result();
    inbox.close();
    poller.close();
    clt.close();
    return result;
  }
  const poller = new nonblocking.Poller();
  let done = false;
  const sender = clt.intoSenderWithSpawnedReceiver(poller, {
    onMessage: (frame) => {
      if ((frame as Uint8Array)[0] === STREAMED && took()) done = true;
    },
    onEnd: () => (done = true),
  });
  while (!done) poller.pollOnce();
  recorder.streamed(got - job.warmup);
  const result = recorder.result();
  sender.close();
  clt.close();
  return result;
}

/** The relaying worker: owns a `node:net` socket to the source and posts a copy of each frame's body. */
export function relayFrames(job: RelayJob): void {
  const parser = new LengthPrefixParser((body) => {
    // A copy of the body: a view would clone the whole chunk under it.
    job.out.postMessage(Uint8Array.prototype.slice.call(body));
  });
  const socket = connect(job.port, '127.0.0.1');
  socket.on('data', (chunk: Buffer) => parser.push(chunk));
  socket.on('close', () => job.out.close());
}
