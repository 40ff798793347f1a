import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanups } from '../../../test-support/cleanups.mjs';
import {
  Clt,
  ErrorCode,
  InboxReceiver,
  jsonCodec,
  PollerThread,
  type Protocol,
  type SharedFrameInbox,
  Svc,
} from './index.js';

type Msg = { n: number; pad?: string };
const codec = () => jsonCodec<Msg>();
// The shared words of test-support/heartbeat-peer-worker.mjs.
const [STOP, PORT, BEATS, LARGEST_GAP, IN_ORDER, BROKEN, DONE] = [0, 1, 2, 3, 4, 5, 6];
const INTERVAL_MS = 50;

const cleanups = new Cleanups();
afterEach(() => cleanups.run());

/** A heartbeat of `{ n: -1 }` every `intervalMs`; `silence` intervals of a quiet peer end the connection. */
function beating(intervalMs: number, silence: number): Protocol<Msg, Msg> {
  return {
    heartbeatInterval: intervalMs,
    peerSilenceIntervals: silence,
    sendHeartbeat: (sender) => sender.send({ n: -1 }),
  };
}

/** Parks this thread for `ms`: it reads, sends and polls nothing meanwhile. */
function busy(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** The peer thread (see heartbeat-peer-worker.mjs), and its shared words. */
function startPeer(options: { pauseEvery?: number; pauseMs?: number; expected?: number } = {}): Int32Array {
  const words = new Int32Array(new SharedArrayBuffer(8 * Int32Array.BYTES_PER_ELEMENT));
  const worker = new Worker(new URL('./test-support/heartbeat-peer-worker.mjs', import.meta.url), {
    workerData: { flavour: new URL('../dist/index.js', import.meta.url).href, words: words.buffer, ...options },
  });
  const exited = once(worker, 'exit');
  // It ends by itself once told to stop, having closed its service and connection.
  cleanups.add(async () => {
    Atomics.store(words, STOP, 1);
    await exited;
  });
  Atomics.wait(words, PORT, 0, 30_000);
  if (Atomics.load(words, PORT) === 0) throw new Error('the peer thread did not bind');
  return words;
}

/** Tells the peer thread to stop and waits (bounded) for what it saw. */
function peerReport(
  words: Int32Array,
  stop = true,
): { beats: number; largestGap: number; inOrder: number; broken: number } {
  if (stop) Atomics.store(words, STOP, 1);
  Atomics.wait(words, DONE, 0, 120_000);
  if (Atomics.load(words, DONE) === 0) throw new Error('the peer thread did not report');
  return {
    beats: Atomics.load(words, BEATS),
    largestGap: Atomics.load(words, LARGEST_GAP),
    inOrder: Atomics.load(words, IN_ORDER),
    broken: Atomics.load(words, BROKEN),
  };
}

function started(): PollerThread {
  const poller = PollerThread.start();
  cleanups.add(() => poller.close());
  return poller;
}

function attached(shared: SharedFrameInbox): InboxReceiver<Msg> {
  const inbox = InboxReceiver.attach<Msg>(shared, { codec: codec() });
  cleanups.add(() => inbox.close());
  return inbox;
}

describe('heartbeats of a polled connection', () => {
  it('are sent by the poller thread while the consuming thread is busy for 40 intervals', () => {
    const poller = started();
    const words = startPeer();
    const clt = cleanups.close(
      Clt.connect<Msg, Msg>({ port: Atomics.load(words, PORT) }, { codec: codec(), protocol: beating(INTERVAL_MS, 0) }),
    );
    attached(poller.add(clt.split().receiver, { framer: codec().framer }));
    // Bursts of 20 ms with nothing between them: this thread never reads, sends nor runs a timer.
    for (let i = 0; i < 100; i++) busy(20);
    const seen = peerReport(words);
    expect(seen.broken).toBe(0);
    expect(seen.beats).toBeGreaterThanOrEqual(5);
    // Generous: the beats are due every interval, and no gap may reach 8 of them.
    expect(seen.largestGap).toBeLessThan(8 * INTERVAL_MS);
  }, 60_000);

  it('fail the inbox with NET_ERR_PEER_SILENT when the peer sends nothing, and close the connection for its sender', () => {
    const svc = cleanups.close(Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: codec() }));
    const clt = cleanups.close(
      Clt.connect<Msg, Msg>({ port: svc.port }, { codec: codec(), protocol: beating(INTERVAL_MS, 2) }),
    );
    const peer = svc.acceptBusywaitTimeout(5_000);
    if (typeof peer !== 'object') throw new Error('no connection accepted');
    cleanups.close(peer);
    const { sender, receiver } = clt.split();
    const inbox = attached(started().add(receiver, { framer: codec().framer }));
    expect(() => inbox.recvBusywaitTimeout(20_000)).toThrow(expect.objectContaining({ code: ErrorCode.PEER_SILENT }));
    expect(() => sender.sendBusywait({ n: 1 })).toThrow(expect.objectContaining({ code: ErrorCode.CLOSED }));
  }, 60_000);

  it('never land inside a frame of a sender on another thread: 100,000 frames arrive whole and in order', () => {
    const count = 100_000;
    // Long naps of the peer fill the socket (loopback buffers can hold megabytes), so the sender's
    // frames are cut by full sockets and it stays stuck longer than an interval: beats fall due.
    const words = startPeer({ pauseEvery: 20_000, pauseMs: 500, expected: count });
    const clt = cleanups.close(
      Clt.connect<Msg, Msg>({ port: Atomics.load(words, PORT) }, { codec: codec(), protocol: beating(20, 0) }),
    );
    const { sender, receiver } = clt.split();
    const poller = started();
    attached(poller.add(receiver, { framer: codec().framer }));
    // Until the poller thread (a worker, slow to start on a loaded machine) takes the connection,
    // this thread keeps the beats, and one that fell due while the peer naps would wait for room
    // longer than the protocol's send timeout: the frames start once the beats moved.
    const taken = performance.now() + 30_000;
    while (poller.connections === 0 && performance.now() < taken) busy(1);
    expect(poller.connections).toBe(1);
    // About 100 MB in all, more than loopback's buffers hold: the naps fill them.
    const pad = 'x'.repeat(1000);
    const message: Msg = { n: 0, pad };
    const deadline = performance.now() + 120_000;
    for (let n = 0; n < count;) {
      if (performance.now() > deadline) throw new Error(`stuck at ${n} of ${count}`);
      message.n = n;
      if (sender.send(message) !== 'completed') continue;
      n++;
      // Now and then the sender rests for a few intervals, so beats fall due between frames too.
      if (n % 10_000 === 0) busy(3 * 20);
    }
    const seen = peerReport(words, false);
    expect(seen).toMatchObject({ inOrder: count, broken: 0 });
    expect(seen.beats).toBeGreaterThan(0);
  }, 180_000);

  it('are refused with NET_ERR_UNSUPPORTED when they differ from beat to beat; the giving thread keeps beating', () => {
    const svc = cleanups.close(Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: codec() }));
    let beat = 0;
    const counting: Protocol<Msg, Msg> = {
      heartbeatInterval: INTERVAL_MS,
      peerSilenceIntervals: 0,
      sendHeartbeat: (sender) => sender.send({ n: -1, pad: String(beat++) }),
    };
    const clt = cleanups.close(Clt.connect<Msg, Msg>({ port: svc.port }, { codec: codec(), protocol: counting }));
    const peer = svc.acceptBusywaitTimeout(5_000);
    if (typeof peer !== 'object') throw new Error('no connection accepted');
    cleanups.close(peer);
    const { sender, receiver } = clt.split();
    expect(() => started().add(receiver, { framer: codec().framer })).toThrow(
      expect.objectContaining({ code: ErrorCode.UNSUPPORTED }),
    );
    // This thread's own beats go on: the peer hears one while the sender is idle.
    const seen = peer.recvBusywaitTimeout(10_000);
    expect(seen).toMatchObject({ n: -1 });
    expect(sender.isOpen).toBe(true);
  }, 60_000);
});
