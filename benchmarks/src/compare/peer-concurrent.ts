import { connect, type Socket } from 'node:net';
import * as asyncFlavour from '@net/async';
import * as nonblocking from '@net/nonblocking';
import { LengthPrefixParser } from './length-prefix.js';
import { NONBLOCKING_IDLE } from './client-sync.js';
import { type ClientJob, target } from './client-job.js';
import { type ClientResult, ECHOED } from './protocol.js';
import { Recorder } from './recorder.js';
import { wireCodec, wireMessage } from './wire-codec.js';

/**
 * Round trips on many connections at once, against one service: each connection keeps one
 * message in flight, all of them together `count` round trips after `warmup` (not recorded), and
 * every round trip is timed on its own. The subjects that can hold many connections from one
 * thread: async, plain node:net and the non-blocking flavour (which polls them in turn).
 */
export async function runConcurrent(job: ClientJob): Promise<ClientResult> {
  const recorder = new Recorder(job);
  const perConnection = Math.ceil((job.count + job.warmup) / job.connections);
  const warmupPer = Math.ceil(job.warmup / job.connections);
  let warmed = 0;
  const warmedUp = () => {
    if (++warmed === job.connections) recorder.start();
  };
  // Throughput counts every round trip from the first to the last: the warm-ups end at different
  // moments on different connections, so no later starting point is fair to all of them.
  let loopStart = 0;
  if (job.subject === 'async') {
    const clients = await Promise.all(
      Array.from({ length: job.connections }, () =>
        asyncFlavour.Clt.connect<unknown, unknown>(target(job), { codec: wireCodec(job.codec), timeout: 60_000 }),
      ),
    );
    const message = wireMessage(job.codec, job.size, ECHOED);
    loopStart = recorder.now();
    await Promise.all(
      clients.map(async (clt) => {
        for (let i = 0; i < perConnection; i++) {
          if (i === warmupPer) warmedUp();
          const started = recorder.now();
          clt.send(message);
          await clt.recv();
          if (i >= warmupPer) recorder.recordSince(started);
        }
      }),
    );
    recorder.end();
    await Promise.all(clients.map((clt) => clt.close()));
  } else if (job.subject === 'raw') {
    const frame = Buffer.alloc(4 + job.size, ECHOED);
    frame.writeUInt32BE(job.size, 0);
    const sockets = await Promise.all(Array.from({ length: job.connections }, () => openRaw(job)));
    loopStart = recorder.now();
    await Promise.all(
      sockets.map(async (socket) => {
        let onReply: () => void = () => undefined;
        const parser = new LengthPrefixParser(() => onReply());
        socket.on('data', (chunk: Buffer) => parser.push(chunk));
        for (let i = 0; i < perConnection; i++) {
          if (i === warmupPer) warmedUp();
          const started = recorder.now();
          const reply = new Promise<void>((resolve) => (onReply = resolve));
          socket.write(frame);
          await reply;
          if (i >= warmupPer) recorder.recordSince(started);
        }
      }),
    );
    recorder.end();
    for (const socket of sockets) socket.destroy();
  } else if (job.subject === 'nonblocking') {
    const clients = Array.from({ length: job.connections }, () =>
      nonblocking.Clt.connect<unknown, unknown>(target(job), {
        codec: wireCodec(job.codec),
        timeout: 60_000,
        idleStrategy: NONBLOCKING_IDLE,
      }),
    );
    const message = wireMessage(job.codec, job.size, ECHOED);
    if (warmupPer === 0) recorder.start();
    loopStart = recorder.now();
    const sentAt = new Float64Array(clients.length);
    const done = new Int32Array(clients.length);
    for (let k = 0; k < clients.length; k++) {
      sentAt[k] = recorder.now();
      clients[k].sendBusywait(message);
    }
    for (let active = clients.length; active > 0;) {
      for (let k = 0; k < clients.length; k++) {
        if (done[k] === perConnection || clients[k].recv() === nonblocking.WOULD_BLOCK) continue;
        if (done[k] >= warmupPer) recorder.recordSince(sentAt[k]);
        done[k]++;
        if (done[k] === warmupPer) warmedUp();
        if (done[k] === perConnection) {
          active--;
          continue;
        }
        sentAt[k] = recorder.now();
        clients[k].sendBusywait(message);
      }
    }
    recorder.end();
    for (const clt of clients) clt.close();
  } else {
    throw new Error(`${job.subject} does not run many connections from one client thread`);
  }
  const seconds = (recorder.now() - loopStart) / 1e9;
  return { ...recorder.result(), roundTripsPerSecond: (perConnection * job.connections) / seconds };
}

function openRaw(job: ClientJob): Promise<Socket> {
  const socket = job.transport === 'tcp' ? connect(Number(job.address), '127.0.0.1') : connect(job.address);
  socket.setNoDelay(true);
  return new Promise((resolve, reject) => socket.once('connect', () => resolve(socket)).once('error', reject));
}
