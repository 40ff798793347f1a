import * as blocking from '@net/blocking';
import * as nonblocking from '@net/nonblocking';
import { socketHostKind } from '@net/sync';
import { type ClientJob, STREAM_BATCH, target } from './client-job.js';
import { body, type ClientResult, ECHOED, type NodeSubject, STREAMED } from './protocol.js';
import { Recorder } from './recorder.js';
import { wireCodec, wireMessage } from './wire-codec.js';

/** What the two synchronous flavours' clients do in a run, each in its own way of waiting. */
interface SyncPort {
  send(message: unknown): void;
  sendMany(messages: readonly unknown[]): void;
  recv(): void;
  /** Receives one message if it comes within `waitMs` (the spinning client just tries once). */
  tryRecv(waitMs: number | undefined): boolean;
  /** How the connection reads and writes, where the flavour says (read before it closes). */
  ioPath(): string | undefined;
  close(): void;
}

/** The spinning flavour waits with this, on both sides; the report prints it. */
export const NONBLOCKING_IDLE = 'spin' as const;

function nonblockingPort(job: ClientJob): SyncPort {
  const clt = nonblocking.Clt.connect<unknown, unknown>(target(job), {
    codec: wireCodec(job.codec),
    idleStrategy: NONBLOCKING_IDLE,
  });
  return {
    send: (message) => void clt.sendBusywait(message),
    sendMany: (messages) => void clt.sendManyBusywait(messages),
    recv: () => void clt.recvBusywait(),
    tryRecv: () => clt.recv() !== nonblocking.WOULD_BLOCK,
    // On the C library, the interface it is reached through (bun:ffi, node:ffi, deno:ffi).
    ioPath: () => (clt.ioPath === 'ffi' ? socketHostKind() : clt.ioPath),
    close: () => clt.close(),
  };
}

/** Options of the `@net/blocking` variants, on both sides. */
export type BlockingVariant = Pick<blocking.CltOptions<unknown, unknown>, 'protocol' | 'recvSpinMicros'>;

/**
 * The options that make a subject a variant of `@net/blocking`: a heartbeat every second (only
 * ever sent on a connection idle that long, so never in a busy ping-pong; a body the server counts
 * and does not echo), or no spin before a receive parks.
 */
export function blockingVariant(subject: NodeSubject): BlockingVariant {
  if (subject === 'blocking-park') return { recvSpinMicros: 0 };
  if (subject !== 'blocking-heartbeats') return {};
  const beat = body(1, STREAMED);
  return { protocol: { heartbeatInterval: 1_000, sendHeartbeat: (sender) => sender.send(beat) } };
}

function blockingPort(job: ClientJob): SyncPort {
  const clt = blocking.Clt.connect<unknown, unknown>(target(job), {
    codec: wireCodec(job.codec),
    ...blockingVariant(job.subject),
  });
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
    // A blocking connection switches paths with its waits: no one path describes a run.
    ioPath: () => undefined,
    close: () => clt.close(),
  };
}

/**
 * Messages between two checks of the time budget in a ping-pong or a stream: each check reads a
 * clock, which on some runtimes makes a boxed double (16 bytes on Node 26), so a check per batch
 * would be garbage the subject is charged with (2.5 MB over a 10M-message stream, a few young
 * collections); one every 1,024 messages is 16 bytes per 1,024, and a run past its budget overruns
 * by at most 1,024 messages.
 */
const BUDGET_CHECK_EVERY = 1_024;

/**
 * The same for a stream, whose messages take a few hundred ns each: a check every 1,024 read the
 * clock about 10,000 times over 10M messages, and on Node 26 each read makes up to 80 bytes (the
 * call's own checks and the boxed result), most of what the whole stream allocated. One every 65,536
 * is a few KB per run, and a run past its budget overruns by at most some tens of ms.
 */
const STREAM_BUDGET_CHECK_EVERY = 65_536;

/**
 * Streams `count` frames in batches of {@link STREAM_BATCH} (fewer once `expired`), then waits for
 * the echo of one more; returns the frames sent.
 */
function stream(
  port: SyncPort,
  count: number,
  batch: readonly unknown[],
  echoed: unknown,
  expired: () => boolean,
): number {
  let sent = 0;
  while (sent < count && (sent % STREAM_BUDGET_CHECK_EVERY !== 0 || !expired())) {
    const take = Math.min(batch.length, count - sent);
    port.sendMany(take === batch.length ? batch : batch.slice(0, take));
    sent += take;
  }
  port.send(echoed);
  port.recv();
  return sent;
}

/** The most messages a fixed-rate client sends in one write when it finds them due together. */
const RATE_BATCH = 64;

/**
 * The client of `@net/nonblocking` (busy-waiting calls) or `@net/blocking` (parking calls), on one
 * connection: ping-pong, a one-way stream sent with `sendMany`, or a fixed offered rate.
 */
export function runSyncClient(job: ClientJob): ClientResult {
  const port =
    job.subject === 'nonblocking' || job.subject === 'nonblocking-polled' ? nonblockingPort(job) : blockingPort(job);
  const recorder = new Recorder(job);
  const echoed = wireMessage(job.codec, job.size, ECHOED);
  if (job.mode === 'stream') {
    const batch = Array.from({ length: STREAM_BATCH }, () => body(job.size, STREAMED));
    stream(port, job.warmup, batch, echoed, () => false);
    recorder.start();
    recorder.streamed(stream(port, job.count, batch, echoed, () => recorder.expired()));
  } else if (job.mode === 'pingpong') {
    for (let i = -job.warmup; i < job.count; i++) {
      recorder.beginRoundTrip(i);
      port.send(echoed);
      port.recv();
      recorder.endRoundTrip(i);
      if (i >= 0 && i % BUDGET_CHECK_EVERY === BUDGET_CHECK_EVERY - 1 && recorder.expired()) break;
      if (i < -1 && i % BUDGET_CHECK_EVERY === 0 && recorder.warmupExpired()) i = -1;
    }
  } else {
    const dueBatches = Array.from({ length: RATE_BATCH + 1 }, (_, n) => Array<unknown>(n).fill(echoed));
    recorder.start();
    let total = recorder.rateTotal;
    let received = 0;
    for (let sent = 0; received < total;) {
      if (sent < total && recorder.isDue(sent)) {
        if (recorder.expired()) {
          total = sent;
          continue;
        }
        // Everything already due goes in one write, as a synchronous user keeps a rate: one system
        // call per message would cap the rate the client can offer below the one asked of it.
        let due = 1;
        while (due < RATE_BATCH && sent + due < total && recorder.isDue(sent + due)) due++;
        if (due === 1) port.send(echoed);
        else port.sendMany(dueBatches[due]);
        sent += due;
        // Replies already there are taken before the next send: a client that only sends while
        // behind schedule fills both sockets' buffers, and it and its server then wait on each other.
        while (received < sent && port.tryRecv(0)) recorder.replied(received++);
        continue;
      }
      if (port.tryRecv(sent < total ? recorder.msUntilDue(sent) : undefined)) recorder.replied(received++);
    }
  }
  const ioPath = port.ioPath();
  const result = recorder.result();
  port.close();
  return ioPath === undefined ? result : { ...result, ioPath };
}
