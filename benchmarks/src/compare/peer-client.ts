import { connect, type Socket } from 'node:net';
import * as asyncFlavour from '@net/async';
import * as blocking from '@net/blocking';
import * as nonblocking from '@net/nonblocking';
import { LengthPrefixParser } from '../flavours/raw/length-prefix.js';
import { runConcurrent } from './peer-concurrent.js';
import { body, type CodecName, DONE, ECHOED, type Mode, type NodeSubject, STREAMED, type Transport } from './protocol.js';
import { Recorder } from './recorder.js';
import { wireCodec, wireMessage } from './wire-codec.js';

/** What one client run is asked to do. */
export interface ClientJob {
  readonly subject: NodeSubject;
  readonly transport: Transport;
  /** A port (tcp), a path (unix) or zeromq's two endpoints. */
  readonly address: string;
  readonly mode: Mode;
  readonly size: number;
  readonly count: number;
  readonly warmup: number;
  /** Offered messages per second (fixed-rate mode). */
  readonly rate: number;
  /** The flavours' codec (the other subjects always send bytes). */
  readonly codec: CodecName;
  /** Connections doing round trips at once (ping-pong mode). */
  readonly connections: number;
}

const BATCH = 64;
/** Where a Node client connects. */
export const target = (job: ClientJob) => (job.transport === 'tcp' ? { host: '127.0.0.1', port: Number(job.address) } : { path: job.address });

/** Runs one measurement; returns the result line. */
export function runClient(job: ClientJob): Promise<object> | object {
  if (job.connections > 1) return runConcurrent(job);
  switch (job.subject) {
    case 'async':
      return runAsync(job);
    case 'nonblocking':
      return runNonblocking(job);
    case 'blocking':
      return runBlocking(job);
    case 'raw':
      return runRaw(job);
    case 'zeromq':
      return runZeromq(job);
  }
}

async function runAsync(job: ClientJob): Promise<object> {
  const clt = await asyncFlavour.Clt.connect<unknown, unknown>(target(job), { codec: wireCodec(job.codec) });
  const recorder = new Recorder(job);
  const echoed = wireMessage(job.codec, job.size, ECHOED);
  if (job.mode === 'stream') {
    const streamed = body(job.size, STREAMED);
    recorder.start();
    for (let i = 0; i < job.count; i++) if (!clt.send(streamed)) await clt.drained();
    clt.send(echoed);
    await clt.recv();
  } else if (job.mode === 'pingpong') {
    for (let i = -job.warmup; i < job.count; i++) {
      recorder.beginRoundTrip(i);
      clt.send(echoed);
      await clt.recv();
      recorder.endRoundTrip(i);
    }
  } else {
    // Sends go out on schedule whatever the replies do; each reply is timed from its send's
    // scheduled moment, so a stall shows in every message it delays.
    const total = recorder.rateTotal;
    const replies = (async () => {
      for (let i = 0; i < total; i++) {
        await clt.recv();
        recorder.replied(i);
      }
    })();
    recorder.start();
    for (let i = 0; i < total; i++) {
      while (!recorder.isDue(i)) await new Promise((resolve) => setImmediate(resolve));
      clt.send(echoed);
    }
    await replies;
  }
  await clt.close();
  return recorder.result();
}

/** What the two synchronous flavours' clients do in a run, each in its own way of waiting. */
interface SyncPort {
  send(message: unknown): void;
  sendMany(messages: readonly unknown[]): void;
  recv(): void;
  /** Receives one message if it comes within `waitMs` (the spinning client just tries once). */
  tryRecv(waitMs: number | undefined): boolean;
  close(): void;
}

function nonblockingPort(job: ClientJob): SyncPort {
  const clt = nonblocking.Clt.connect<unknown, unknown>(target(job), { codec: wireCodec(job.codec) });
  return {
    send: (message) => void clt.sendBusywait(message),
    sendMany: (messages) => void clt.sendManyBusywait(messages),
    recv: () => void clt.recvBusywait(),
    tryRecv: () => clt.recv() !== nonblocking.WOULD_BLOCK,
    close: () => clt.close(),
  };
}

function blockingPort(job: ClientJob): SyncPort {
  const clt = blocking.Clt.connect<unknown, unknown>(target(job), { codec: wireCodec(job.codec) });
  return {
    send: (message) => clt.send(message),
    sendMany: (messages) => clt.sendMany(messages),
    recv: () => void clt.recv(),
    tryRecv(waitMs) {
      // Parks until a reply or the next send's moment, whichever comes first.
      try {
        clt.recv(waitMs === undefined ? undefined : { timeout: waitMs });
        return true;
      } catch (error) {
        if ((error as { code?: string }).code !== 'NET_ERR_TIMEOUT') throw error;
        return false;
      }
    },
    close: () => clt.close(),
  };
}

function runNonblocking(job: ClientJob): object {
  return runSync(job, nonblockingPort(job));
}

function runBlocking(job: ClientJob): object {
  return runSync(job, blockingPort(job));
}

function runSync(job: ClientJob, port: SyncPort): object {
  const recorder = new Recorder(job);
  const echoed = wireMessage(job.codec, job.size, ECHOED);
  if (job.mode === 'stream') {
    const batch = Array.from({ length: BATCH }, () => body(job.size, STREAMED));
    recorder.start();
    for (let sent = 0; sent < job.count; sent += BATCH) port.sendMany(job.count - sent >= BATCH ? batch : batch.slice(0, job.count - sent));
    port.send(echoed);
    port.recv();
  } else if (job.mode === 'pingpong') {
    for (let i = -job.warmup; i < job.count; i++) {
      recorder.beginRoundTrip(i);
      port.send(echoed);
      port.recv();
      recorder.endRoundTrip(i);
    }
  } else {
    recorder.start();
    const total = recorder.rateTotal;
    let received = 0;
    for (let sent = 0; received < total; ) {
      if (sent < total && recorder.isDue(sent)) {
        port.send(echoed);
        sent++;
        continue;
      }
      if (port.tryRecv(sent < total ? recorder.msUntilDue(sent) : undefined)) recorder.replied(received++);
    }
  }
  port.close();
  return recorder.result();
}

async function runRaw(job: ClientJob): Promise<object> {
  const socket: Socket = job.transport === 'tcp' ? connect(Number(job.address), '127.0.0.1') : connect(job.address);
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.setNoDelay(true);
  let onReply: () => void = () => undefined;
  const parser = new LengthPrefixParser(() => onReply());
  socket.on('data', (chunk: Buffer) => parser.push(chunk));
  const frame = (mark: number) => {
    const bytes = Buffer.alloc(4 + job.size, mark);
    bytes.writeUInt32BE(job.size, 0);
    return bytes;
  };
  const echoed = frame(ECHOED);
  const nextReply = () => new Promise<void>((resolve) => (onReply = resolve));
  const recorder = new Recorder(job);
  if (job.mode === 'stream') {
    // Hand-batched: frames packed into one buffer per write, what a careful user writes.
    const one = frame(STREAMED);
    const packed = Buffer.allocUnsafe(BATCH * one.length);
    for (let i = 0; i < BATCH; i++) one.copy(packed, i * one.length);
    recorder.start();
    for (let sent = 0; sent < job.count; sent += BATCH) {
      const take = Math.min(BATCH, job.count - sent);
      if (!socket.write(take === BATCH ? packed : packed.subarray(0, take * (4 + job.size)))) await new Promise((resolve) => socket.once('drain', resolve));
    }
    const done = nextReply();
    socket.write(echoed);
    await done;
  } else if (job.mode === 'pingpong') {
    for (let i = -job.warmup; i < job.count; i++) {
      recorder.beginRoundTrip(i);
      const reply = nextReply();
      socket.write(echoed);
      await reply;
      recorder.endRoundTrip(i);
    }
  } else {
    let received = 0;
    let allIn: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (allIn = resolve));
    const total = recorder.rateTotal;
    onReply = () => {
      recorder.replied(received++);
      if (received === total) allIn();
    };
    recorder.start();
    for (let i = 0; i < total; i++) {
      while (!recorder.isDue(i)) await new Promise((resolve) => setImmediate(resolve));
      socket.write(echoed);
    }
    await finished;
  }
  socket.destroy();
  return recorder.result();
}

async function runZeromq(job: ClientJob): Promise<object> {
  const zmq = await import('zeromq');
  const [replyEndpoint, pullEndpoint] = job.address.split(',') as [string, string];
  const request = new zmq.Request();
  request.connect(replyEndpoint);
  const recorder = new Recorder(job);
  const echoed = Buffer.from(body(job.size, ECHOED));
  if (job.mode === 'stream') {
    const push = new zmq.Push();
    push.connect(pullEndpoint);
    const streamed = Buffer.from(body(job.size, STREAMED));
    recorder.start();
    for (let i = 0; i < job.count; i++) await push.send(streamed);
    await push.send(echoed);
    await request.send(Buffer.from(body(job.size, DONE)));
    await request.receive();
    push.close();
  } else {
    // Request/Reply allows one message in flight: the fixed-rate mode is not offered for it.
    for (let i = -job.warmup; i < job.count; i++) {
      recorder.beginRoundTrip(i);
      await request.send(echoed);
      await request.receive();
      recorder.endRoundTrip(i);
    }
  }
  request.close();
  return recorder.result();
}
