// A connection whose heartbeats a PollerThread keeps while the consuming thread is busy: the
// consumer (its receiver given to the poller thread, the thread computing in bursts that block it
// whole), the peer that times every beat it gets, and the summary of those times. Used by the
// threads suite's heartbeat row (`heartbeat-row.ts`) and by the standalone
// `bench:poller-heartbeat` script.
import { once } from 'node:events';
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import {
  Clt,
  ErrorCode,
  InboxReceiver,
  jsonCodec,
  NetError,
  PollerThread,
  type Protocol,
  WOULD_BLOCK,
} from '@net/nonblocking';

/** The messages on the wire: a beat, the peer's own traffic, and the consumer's start and end marks. */
export type BeatMsg = { hb?: 1; n?: number; go?: 1; end?: 1 };

/** Bytes of one beat as the peer sees it: a JSON line. */
const BEAT = '{"hb":1}';
const GO = '{"go":1}';
const END = '{"end":1}';
/** How long the consumer waits for the poller thread to take its connection before it gives up. */
const ADD_WAIT_MS = 30_000;

/** How a busy-consumer run is set: the protocol's interval and silence limit, the bursts and how long. */
export interface BusyBeatSettings {
  /** The protocol's `heartbeatInterval`, ms. */
  readonly intervalMs: number;
  /** The protocol's `peerSilenceIntervals`, and the peer's own silence limit in intervals. */
  readonly silenceIntervals: number;
  /** Each burst of computing on the consumer thread, ms. */
  readonly burstMs: number;
  /** How long the consumer stays busy, ms. */
  readonly busyMs: number;
}

/** What the consumer thread saw. */
export interface BusyConsumerResult {
  /** True when its inbox failed with `NET_ERR_PEER_SILENT`. */
  readonly silent: boolean;
  /** The peer's frames it took from its inbox between bursts. */
  readonly received: number;
}

/**
 * The consumer: connects to `port` with a protocol that beats every interval, gives the receiver
 * to a PollerThread, says `go` once the poller thread has it, then computes in bursts for
 * `busyMs`, taking what its inbox has between bursts; says `end` and closes. Runs on the calling
 * thread, which is blocked throughout (no timer, no receive, no send of its own in a burst).
 */
export function consumeBusy(port: number, settings: BusyBeatSettings): BusyConsumerResult {
  const protocol: Protocol<BeatMsg, BeatMsg> = {
    heartbeatInterval: settings.intervalMs,
    peerSilenceIntervals: settings.silenceIntervals,
    sendHeartbeat: (sender) => sender.send({ hb: 1 }),
  };
  const poller = PollerThread.start();
  const clt = Clt.connect<BeatMsg, BeatMsg>({ port }, { codec: jsonCodec<BeatMsg>(), protocol });
  const { sender, receiver } = clt.split();
  const inbox = InboxReceiver.attach<BeatMsg>(poller.add(receiver, { framer: jsonCodec().framer }), {
    codec: jsonCodec<BeatMsg>(),
  });
  // The poller thread starts as a worker; the run is timed from when it reads the connection.
  const waitUntil = performance.now() + ADD_WAIT_MS;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (poller.connections === 0) {
    if (performance.now() > waitUntil) throw new Error('the poller thread did not take the connection');
    Atomics.wait(pause, 0, 0, 1);
  }
  sender.sendBusywait({ go: 1 });
  let silent = false;
  let received = 0;
  const end = performance.now() + settings.busyMs;
  while (!silent && performance.now() < end) {
    for (const burstEnd = performance.now() + settings.burstMs; performance.now() < burstEnd;);
    try {
      while (inbox.recv() !== WOULD_BLOCK) received++;
    } catch (error) {
      if (!(NetError.isNetError(error) && error.code === ErrorCode.PEER_SILENT)) throw error;
      silent = true;
    }
  }
  if (!silent) sender.sendBusywait({ end: 1 });
  inbox.close();
  poller.close();
  clt.close();
  return { silent, received };
}

/** What the peer makes of the beats it got between the consumer's `go` and `end`. */
export interface BeatSummary {
  /** Beats received. */
  readonly beats: number;
  /** Beats a beat every interval would have made in that time. */
  readonly expected: number;
  /** The largest gap between two beats (or a mark and a beat), in intervals. */
  readonly largestGap: number;
  /** Gaps over two intervals: beats late by more than one interval. */
  readonly late: number;
  /** True when a gap went over the silence limit: the peer's own check would have ended the connection. */
  readonly silenceFired: boolean;
}

/**
 * Sums up beat arrival times (ms, any clock) between `start` (the `go` mark) and `end` (the `end`
 * mark, or when the stream ended), for a heartbeat every `intervalMs` and a silence limit of
 * `silenceIntervals` intervals (0: none).
 */
export function summarizeBeats(
  arrivals: readonly number[],
  start: number,
  end: number,
  intervalMs: number,
  silenceIntervals: number,
): BeatSummary {
  const points = [start, ...arrivals.filter((t) => t >= start && t <= end), end];
  let largest = 0;
  let late = 0;
  for (let i = 1; i < points.length; i++) {
    const gap = points[i] - points[i - 1];
    largest = Math.max(largest, gap);
    if (gap > 2 * intervalMs) late++;
  }
  return {
    beats: points.length - 2,
    expected: Math.floor((end - start) / intervalMs),
    largestGap: largest / intervalMs,
    late,
    silenceFired: silenceIntervals > 0 && largest > silenceIntervals * intervalMs,
  };
}

/** A peer listening on loopback for one consumer. */
export interface BeatPeer {
  readonly port: number;
  /** Resolves with the summary once the consumer said `end` or its stream ended. */
  readonly done: Promise<BeatSummary>;
  /** Stops listening and drops the connection. */
  stop(): void;
}

/**
 * The peer: accepts one connection, notes when each beat arrives, and sends a frame of its own
 * every interval so that the consumer's silence check stays quiet while the peer talks.
 */
export async function startBeatPeer(settings: BusyBeatSettings): Promise<BeatPeer> {
  const server: Server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  let socket: Socket | undefined;
  let timer: NodeJS.Timeout | undefined;
  const done = new Promise<BeatSummary>((resolve) => {
    server.once('connection', (accepted: Socket) => {
      socket = accepted;
      const arrivals: number[] = [];
      let start = -1;
      let pending = '';
      const finish = (end: number): void => {
        clearInterval(timer);
        resolve(summarizeBeats(arrivals, start < 0 ? end : start, end, settings.intervalMs, settings.silenceIntervals));
      };
      accepted.setEncoding('utf8');
      accepted.on('data', (chunk: string) => {
        const now = performance.now();
        const lines = (pending + chunk).split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) {
          if (line === BEAT) arrivals.push(now);
          else if (line === GO) start = now;
          else if (line === END) finish(now);
        }
      });
      accepted.once('end', () => finish(performance.now()));
      accepted.on('error', () => finish(performance.now()));
      let n = 0;
      timer = setInterval(() => accepted.write(`{"n":${n++}}\n`), settings.intervalMs);
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    done,
    stop: () => {
      clearInterval(timer);
      socket?.destroy();
      server.close();
    },
  };
}
