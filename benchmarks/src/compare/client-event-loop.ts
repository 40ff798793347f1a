import { connect, type Socket } from 'node:net';
import * as asyncFlavour from '@net/async';
import { LengthPrefixParser } from './length-prefix.js';
import { type ClientJob, STREAM_BATCH, target } from './client-job.js';
import { body, type ClientResult, ECHOED, STREAMED } from './protocol.js';
import { Recorder } from './recorder.js';
import { wireCodec, wireMessage } from './wire-codec.js';

/** What the two event-loop clients (`@net/async`, plain node:net) offer a run. */
interface EventLoopPort {
  /** Sends one frame to echo. */
  sendEchoed(): void;
  /** Waits for the next reply (the subject's own promise, no wrapper). */
  reply(): Promise<unknown>;
  /** Sends `count` stream frames (fewer once `expired`), then one to echo, waits for its reply; returns the frames sent. */
  stream(count: number, expired: () => boolean): Promise<number>;
  /** Calls `onReply` for every reply from now on (fixed rate), instead of {@link reply}. */
  onEveryReply(onReply: () => void): void;
  close(): Promise<void>;
}

async function asyncPort(job: ClientJob): Promise<EventLoopPort> {
  let onEvery: () => void = () => undefined;
  // At a fixed rate replies come through onMessage, the flavour's fastest path; else through recv.
  const onMessage = job.mode === 'rate' ? () => onEvery() : undefined;
  const clt = await asyncFlavour.Clt.connect<unknown, unknown>(target(job), {
    codec: wireCodec(job.codec),
    ...(onMessage === undefined ? {} : { onMessage }),
  });
  const echoed = wireMessage(job.codec, job.size, ECHOED);
  const streamed = body(job.size, STREAMED);
  return {
    sendEchoed: () => void clt.send(echoed),
    reply: () => clt.recv(),
    async stream(count, expired) {
      // One send per message: the flavour coalesces them into large writes by itself.
      let sent = 0;
      while (sent < count && ((sent & 1023) !== 0 || !expired())) {
        sent++;
        if (!clt.send(streamed)) await clt.drained();
      }
      clt.send(echoed);
      await clt.recv();
      return sent;
    },
    onEveryReply: (onReply) => void (onEvery = onReply),
    close: () => clt.close(),
  };
}

async function rawPort(job: ClientJob): Promise<EventLoopPort> {
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
  // Hand-batched: frames packed into one buffer per write, what a careful user writes.
  const one = frame(STREAMED);
  const packed = Buffer.allocUnsafe(STREAM_BATCH * one.length);
  for (let i = 0; i < STREAM_BATCH; i++) one.copy(packed, i * one.length);
  const reply = () => new Promise<void>((resolve) => (onReply = resolve));
  return {
    sendEchoed: () => void socket.write(echoed),
    reply,
    async stream(count, expired) {
      let sent = 0;
      while (sent < count && (((sent / STREAM_BATCH) & 15) !== 0 || !expired())) {
        const take = Math.min(STREAM_BATCH, count - sent);
        sent += take;
        if (!socket.write(take === STREAM_BATCH ? packed : packed.subarray(0, take * one.length)))
          await new Promise((resolve) => socket.once('drain', resolve));
      }
      const done = reply();
      socket.write(echoed);
      await done;
      return sent;
    },
    onEveryReply: (callback) => void (onReply = callback),
    close: async () => void socket.destroy(),
  };
}

/**
 * Sends `total` messages each at its scheduled moment, checking once per turn of the event loop
 * (which reads the replies in between); a late turn sends every message that fell due meanwhile.
 */
function paced(recorder: Recorder, total: number, send: () => void): Promise<number> {
  return new Promise((resolve) => {
    let next = 0;
    const pump = (): void => {
      if (recorder.expired()) total = next;
      while (next < total && recorder.isDue(next)) {
        send();
        next++;
      }
      if (next < total) setImmediate(pump);
      else resolve(next);
    };
    recorder.start();
    pump();
  });
}

/**
 * The client of `@net/async` or of plain node:net with hand-written framing (the baseline), on
 * one connection: ping-pong (a promise per reply, as both are written in practice), a one-way
 * stream, or a fixed offered rate.
 */
export async function runEventLoopClient(job: ClientJob): Promise<ClientResult> {
  const port = job.subject === 'async' ? await asyncPort(job) : await rawPort(job);
  const recorder = new Recorder(job);
  if (job.mode === 'stream') {
    await port.stream(job.warmup, () => false);
    recorder.start();
    recorder.streamed(await port.stream(job.count, () => recorder.expired()));
  } else if (job.mode === 'pingpong') {
    for (let i = -job.warmup; i < job.count; i++) {
      recorder.beginRoundTrip(i);
      const reply = port.reply();
      port.sendEchoed();
      await reply;
      recorder.endRoundTrip(i);
      if (i >= 0 && (i & 63) === 63 && recorder.expired()) break;
    }
  } else {
    // Sends go out on schedule whatever the replies do; each reply is timed from its send's
    // scheduled moment, so a stall shows in every message it delays.
    let total = recorder.rateTotal;
    let received = 0;
    let allIn: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (allIn = resolve));
    port.onEveryReply(() => {
      recorder.replied(received++);
      if (received === total) allIn();
    });
    total = await paced(recorder, total, port.sendEchoed);
    if (received < total) await finished;
  }
  const result = recorder.result();
  await port.close();
  return result;
}
