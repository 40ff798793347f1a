/**
 * The client program of the plain `node:net` baseline: `net.connect` with `noDelay`, frames built by
 * hand (u32 length prefix), replies cut by a {@link LengthPrefixParser} on `'data'`.
 *
 *   raw-client.js --writes each|batched
 *
 * `--writes each` makes one `socket.write` per message (what most code does); `--writes batched`
 * packs frames into one buffer of up to {@link BATCH_BYTES} per `write` (what careful code does for
 * a burst). Both honour `write()`'s return value and wait for `'drain'`.
 *
 * Commands: `connect { address }`; `pingpong { count, firstSeq }`; `blast { count }`;
 * `open-idle { address, count, concurrency }`; `close-idle`; `close`.
 */
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { createHistogram } from 'node:perf_hooks';
import { Args } from '../../util/cli.js';
import { serveCommands } from '../harness.js';
import {
  type BlastResult,
  FRAME_BYTES,
  isReplyTo,
  nowNs,
  type PingPongParams,
  type PingPongRound,
  REQUEST_MASK,
  requestBodies,
  type ServerAddress,
  summarizeHistogram,
  writeFrame,
} from '../workload.js';
import { LengthPrefixParser } from './length-prefix.js';

/** Largest buffer one batched `write` carries. */
export const BATCH_BYTES = 64 * 1024;

const args = new Args(process.argv.slice(2), ['writes']);
const writes = args.string('writes') ?? 'each';
if (writes !== 'each' && writes !== 'batched') throw new Error(`--writes each|batched, got '${writes}'`);

const bodies = requestBodies();
let socket: Socket | undefined;
/** Where the bodies of received frames go; replaced by each command. */
let onBody: (body: Buffer) => void = unexpected;
let failure: Error | undefined;
const idle: Socket[] = [];

function unexpected(body: Buffer): void {
  failure ??= new Error(`a frame of ${body.length} bytes arrived when none was expected`);
}

function open(address: ServerAddress): Socket {
  return address.transport === 'unix' ? connect({ path: address.path }) : connect({ host: address.host, port: address.port, noDelay: true });
}

function connected(): Socket {
  if (socket === undefined) throw new Error('not connected');
  if (failure !== undefined) throw failure;
  return socket;
}

function pingPong({ count, firstSeq }: PingPongParams): Promise<PingPongRound> {
  const sock = connected();
  const histogram = createHistogram();
  let done = 0;
  let mismatches = 0;
  let request = bodies[0]!;
  let sentAt = 0n;
  const send = (): void => {
    request = bodies[(firstSeq + done) & REQUEST_MASK]!;
    sentAt = process.hrtime.bigint();
    const frame = Buffer.allocUnsafe(FRAME_BYTES);
    writeFrame(request, frame, 0);
    sock.write(frame);
  };
  return new Promise<PingPongRound>((resolve, reject) => {
    const startedAt = process.hrtime.bigint();
    const onClose = (): void => reject(new Error(`the connection closed after ${done} of ${count} round trips`));
    sock.once('close', onClose);
    onBody = (body) => {
      const now = process.hrtime.bigint();
      histogram.record(Number(now - sentAt));
      if (!isReplyTo(request, body)) mismatches++;
      if (++done < count) {
        send();
        return;
      }
      onBody = unexpected;
      sock.off('close', onClose);
      resolve({ latency: summarizeHistogram(histogram), replies: done, mismatches, elapsedNs: Number(now - startedAt) });
    };
    send();
  });
}

async function blastEach(sock: Socket, count: number): Promise<BlastResult> {
  let waits = 0;
  const startAt = nowNs();
  for (let i = 0; i < count; i++) {
    const frame = Buffer.allocUnsafe(FRAME_BYTES);
    writeFrame(bodies[i & REQUEST_MASK]!, frame, 0);
    if (!sock.write(frame)) {
      waits++;
      await once(sock, 'drain');
    }
  }
  return { sent: count, startAt, sendEndAt: nowNs(), waits };
}

async function blastBatched(sock: Socket, count: number): Promise<BlastResult> {
  let waits = 0;
  let batch = Buffer.allocUnsafe(BATCH_BYTES);
  let position = 0;
  const startAt = nowNs();
  for (let i = 0; i < count; i++) {
    if (position + FRAME_BYTES > BATCH_BYTES) {
      // The socket keeps the buffer until the kernel has taken it: the next batch gets a new one.
      const more = sock.write(batch.subarray(0, position));
      batch = Buffer.allocUnsafe(BATCH_BYTES);
      position = 0;
      if (!more) {
        waits++;
        await once(sock, 'drain');
      }
    }
    position += writeFrame(bodies[i & REQUEST_MASK]!, batch, position);
  }
  if (position > 0) sock.write(batch.subarray(0, position));
  return { sent: count, startAt, sendEndAt: nowNs(), waits };
}

async function openIdle({ address, count, concurrency }: { address: ServerAddress; count: number; concurrency: number }): Promise<number> {
  let started = 0;
  const worker = async (): Promise<void> => {
    while (started < count) {
      started++;
      const idleSocket = open(address);
      await once(idleSocket, 'connect');
      idleSocket.on('error', () => {
        // The service closing first is the normal end of this test.
      });
      idle.push(idleSocket);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return idle.length;
}

serveCommands({
  connect: async ({ address }: { address: ServerAddress }): Promise<void> => {
    const sock = open(address);
    await once(sock, 'connect');
    sock.setNoDelay(true);
    const parser = new LengthPrefixParser((body) => onBody(body));
    sock.on('data', (chunk: Buffer) => {
      try {
        parser.push(chunk);
      } catch (error) {
        failure ??= error as Error;
        sock.destroy();
      }
    });
    sock.on('error', (error) => (failure ??= error));
    socket = sock;
  },
  pingpong: (params: PingPongParams) => pingPong(params),
  blast: ({ count }: { count: number }) => (writes === 'batched' ? blastBatched(connected(), count) : blastEach(connected(), count)),
  'open-idle': openIdle,
  'close-idle': async (): Promise<void> => {
    // The service closes first (so the TIME_WAIT states are on its side, not on this side's ports);
    // whatever has not closed after a grace period is destroyed.
    const sockets = idle.splice(0);
    const closing = sockets.filter((s) => !s.closed).map((s) => once(s, 'close').catch(() => {}));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(closing), new Promise((resolve) => (timer = setTimeout(resolve, 3_000)))]);
    clearTimeout(timer);
    for (const s of sockets) s.destroy();
  },
  close: async (): Promise<void> => {
    for (const s of idle.splice(0)) s.destroy();
    const sock = socket;
    socket = undefined;
    if (sock === undefined || sock.closed) return;
    const closed = once(sock, 'close');
    sock.end();
    const timer = setTimeout(() => sock.destroy(), 2_000);
    await closed.catch(() => {});
    clearTimeout(timer);
  },
});
