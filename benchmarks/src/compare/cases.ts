import type { OtherRuntimeName } from '../util/other-runtime.js';
import { GARBAGE_VARIANT, garbageCases } from './garbage-suite.js';
import type { CodecName, Mode, NodeSubject, Transport } from './protocol.js';

/** A subject of the comparison: one of the Node peers, or the C program in one of its modes. */
export interface Subject {
  /** The name in tables and in the results file. */
  readonly name: string;
  /** The short name `--subjects` takes. */
  readonly id: string;
  readonly kind: { readonly node: NodeSubject } | { readonly c: 'poll' | 'block' };
  /** The runtime its peers run on: Node (the one running the comparison) unless `bun` or `deno`. */
  readonly runtime?: OtherRuntimeName;
  /**
   * The socket path its synchronous peers are told to take (`NET_SYNC_SOCKETS`), where it is not the
   * runtime's own choice; such a row runs only where it differs from that choice.
   */
  readonly socketPath?: 'broker';
  /** How a spinning subject waits, printed with the machine; blocking subjects have none. */
  readonly idleStrategy?: string;
  /** True when its client reports the I/O path it measured through, printed after the strategy. */
  readonly reportsIoPath?: boolean;
  /** The suites it cannot run, with the reason printed in the report. */
  readonly cannot?: Partial<Record<Suite, string>>;
  /**
   * Share of a case's count this subject runs. The slow subject gets fewer messages so that it
   * does not take most of the run: its rates and percentiles need fewer samples to settle.
   */
  readonly countScale?: number;
}

const VARIANT = 'a variant of @net/blocking, measured on round trips only';
const C_BYTES = 'the C program sends bytes';
const C_ONE = 'the C program serves one connection';
const ONE_CONNECTION_SERVICES: Partial<Record<Suite, string>> = { idle: C_ONE, 'idle-pool': C_ONE };
const ROUND_TRIPS_ONLY: Partial<Record<Suite, string>> = {
  sizes: VARIANT,
  codecs: VARIANT,
  concurrency: VARIANT,
  stream: VARIANT,
  rate: VARIANT,
  idle: VARIANT,
  'idle-pool': VARIANT,
  garbage: GARBAGE_VARIANT,
};
const POLLED = 'a variant of @net/nonblocking, measured beside idle connections only';
const IDLE_POOL_ONLY: Partial<Record<Suite, string>> = {
  roundtrip: POLLED,
  sizes: POLLED,
  codecs: POLLED,
  concurrency: POLLED,
  stream: POLLED,
  rate: POLLED,
  garbage: POLLED,
  idle: 'the service of @net/nonblocking with one option changed: it holds idle connections alike',
};
const ZEROMQ_ONE = 'not measured for zeromq.js';
const ELSEWHERE: Partial<Record<Suite, string>> = {
  idle: 'service memory is measured on Node',
  'idle-pool': 'the pool beside idle connections is measured on Node',
};
const ON_BUN = ELSEWHERE;
const PARKS = 'a blocking client parks its thread on one connection (one thread per connection)';
const BROKER_PATH =
  'a variant on the Node path (the broker thread and WASI), measured on round trips and the stream only';
const BROKER_ONLY: Partial<Record<Suite, string>> = {
  sizes: BROKER_PATH,
  codecs: BROKER_PATH,
  concurrency: BROKER_PATH,
  rate: BROKER_PATH,
  idle: BROKER_PATH,
  'idle-pool': BROKER_PATH,
};

/** Every subject, in table order. */
export const SUBJECTS: readonly Subject[] = [
  {
    name: '@net/nonblocking',
    id: 'nonblocking',
    kind: { node: 'nonblocking' },
    idleStrategy: "idleStrategy 'spin' on both sides: retries a failed read at once, never yields the core",
    reportsIoPath: true,
  },
  // The pool of the same flavour with the hand-over of idle connections to the broker thread off:
  // every pass polls every connection, which is what the hand-over saves.
  {
    name: '@net/nonblocking, idle polled',
    id: 'nonblocking-polled',
    kind: { node: 'nonblocking-polled' },
    cannot: IDLE_POOL_ONLY,
  },
  { name: '@net/blocking', id: 'blocking', kind: { node: 'blocking' }, cannot: { concurrency: PARKS } },
  // The same flavour with a heartbeat pending on both sides (1 s interval, never due in a busy
  // ping-pong), and with recvSpinMicros 0 (every receive parks at once, as a C blocking socket does).
  {
    name: '@net/blocking, heartbeats on',
    id: 'blocking-heartbeats',
    kind: { node: 'blocking-heartbeats' },
    cannot: ROUND_TRIPS_ONLY,
  },
  { name: '@net/blocking, no spin', id: 'blocking-park', kind: { node: 'blocking-park' }, cannot: ROUND_TRIPS_ONLY },
  { name: '@net/async', id: 'async', kind: { node: 'async' } },
  { name: 'node:net', id: 'net', kind: { node: 'raw' }, cannot: { codecs: "codecs are @net's; node:net sends bytes" } },
  // The same programs with Bun as the runtime: the synchronous flavours then call the C library
  // directly (bun:ffi), and @net/async and node:net run on Bun's own event loop.
  {
    name: '@net/nonblocking on Bun',
    id: 'nonblocking-bun',
    kind: { node: 'nonblocking' },
    runtime: 'bun',
    idleStrategy: "idleStrategy 'spin' on both sides",
    reportsIoPath: true,
    cannot: ON_BUN,
  },
  {
    name: '@net/blocking on Bun',
    id: 'blocking-bun',
    kind: { node: 'blocking' },
    runtime: 'bun',
    cannot: { ...ON_BUN, concurrency: PARKS },
  },
  {
    name: '@net/blocking, no spin, on Bun',
    id: 'blocking-park-bun',
    kind: { node: 'blocking-park' },
    runtime: 'bun',
    cannot: ROUND_TRIPS_ONLY,
  },
  { name: '@net/async on Bun', id: 'async-bun', kind: { node: 'async' }, runtime: 'bun', cannot: ON_BUN },
  {
    name: 'node:net on Bun',
    id: 'net-bun',
    kind: { node: 'raw' },
    runtime: 'bun',
    cannot: { ...ON_BUN, codecs: "codecs are @net's; node:net sends bytes" },
  },
  // On Deno the synchronous flavours call the C library through Deno.dlopen.
  {
    name: '@net/nonblocking on Deno',
    id: 'nonblocking-deno',
    kind: { node: 'nonblocking' },
    runtime: 'deno',
    idleStrategy: "idleStrategy 'spin' on both sides",
    reportsIoPath: true,
    cannot: ELSEWHERE,
  },
  {
    name: '@net/blocking on Deno',
    id: 'blocking-deno',
    kind: { node: 'blocking' },
    runtime: 'deno',
    cannot: { ...ELSEWHERE, concurrency: PARKS },
  },
  { name: '@net/async on Deno', id: 'async-deno', kind: { node: 'async' }, runtime: 'deno', cannot: ELSEWHERE },
  {
    name: 'node:net on Deno',
    id: 'net-deno',
    kind: { node: 'raw' },
    runtime: 'deno',
    cannot: { ...ELSEWHERE, codecs: "codecs are @net's; node:net sends bytes" },
  },
  // Where the comparison's Node calls the C library itself (node:ffi, Node 26 on), the same
  // synchronous flavours on Node's other path, side by side: the measure of which path is faster.
  {
    name: '@net/nonblocking, broker path',
    id: 'nonblocking-broker',
    kind: { node: 'nonblocking' },
    socketPath: 'broker',
    idleStrategy: "idleStrategy 'spin' on both sides",
    reportsIoPath: true,
    cannot: BROKER_ONLY,
  },
  {
    name: '@net/blocking, broker path',
    id: 'blocking-broker',
    kind: { node: 'blocking' },
    socketPath: 'broker',
    cannot: BROKER_ONLY,
  },
  {
    name: 'C busy-poll',
    id: 'c-poll',
    kind: { c: 'poll' },
    idleStrategy: 'non-blocking sockets, read() retried at once on EAGAIN on both sides, never yields the core',
    cannot: { codecs: C_BYTES, concurrency: C_ONE, ...ONE_CONNECTION_SERVICES },
  },
  {
    name: 'C blocking',
    id: 'c-block',
    kind: { c: 'block' },
    cannot: { codecs: C_BYTES, concurrency: C_ONE, ...ONE_CONNECTION_SERVICES },
  },
  {
    name: 'zeromq.js',
    id: 'zeromq',
    kind: { node: 'zeromq' },
    countScale: 0.2,
    cannot: {
      rate: 'Request/Reply keeps one message in flight',
      codecs: 'zeromq.js sends bytes',
      concurrency: ZEROMQ_ONE,
      idle: ZEROMQ_ONE,
      'idle-pool': ZEROMQ_ONE,
      garbage: ZEROMQ_ONE,
    },
  },
];

/**
 * Why `subject` does not run `c`, or undefined when it does: its reason for the case's suite, and
 * for the garbage suite's codec cases its reason for the codec suite (a subject that sends bytes).
 */
export function whyNotRun(subject: Subject, c: Case): string | undefined {
  return (
    subject.cannot?.[c.suite] ?? (c.suite === 'garbage' && c.codec !== 'bytes' ? subject.cannot?.codecs : undefined)
  );
}

/** True when `subject` runs at least one of `cases` (a run leaves out the subjects that run none). */
export function runsAny(subject: Subject, cases: readonly Case[]): boolean {
  return cases.some((c) => whyNotRun(subject, c) === undefined);
}

/** Which table a case belongs to. */
export type Suite =
  'roundtrip' | 'sizes' | 'codecs' | 'concurrency' | 'stream' | 'rate' | 'idle' | 'idle-pool' | 'garbage' | 'threads';

/** The suites a run has unless `--suites` names others, in table order. */
export const DEFAULT_SUITES: readonly Suite[] = ['roundtrip', 'sizes', 'codecs', 'concurrency', 'stream', 'rate'];
/**
 * The suites that run only when `--suites` names them: the service's memory per idle connection,
 * a round trip on one connection among many idle ones to the same service, and the garbage of a
 * long ping-pong and stream. They answer questions about holding connections and about garbage,
 * not about speed, and take longer than the default run should. The threads suite (one
 * connection's reads on another thread, `threads-suite.ts`) has rows of its own, not subjects.
 */
export const ON_REQUEST_SUITES: readonly Suite[] = ['idle', 'idle-pool', 'garbage', 'threads'];

/** One measurement: a mode over a transport with a message size. */
export interface Case {
  readonly suite: Suite;
  readonly mode: Mode;
  readonly transport: Transport;
  readonly size: number;
  /** Messages measured (round trips, streamed frames or scheduled sends). */
  readonly count: number;
  /** Messages before the measured ones, not recorded. */
  readonly warmup: number;
  /** Offered messages per second (fixed rate), else 0. */
  readonly rate: number;
  /** The flavours' codec. */
  readonly codec: CodecName;
  /** Connections doing round trips at once (in `hold` mode: connections held open). */
  readonly connections: number;
  /** Connections the client opens to the same service and leaves silent, besides its busy ones. */
  readonly idle: number;
  /** The measured part of a one-connection case ends after this many ms, `count` reached or not. */
  readonly budgetMs: number;
  /**
   * Runs of the case, every subject taking its turn in each (1 when absent); the figures are the
   * run with the median throughput, and the lowest and highest throughput go beside them.
   */
  readonly rounds?: number;
}

/** How much work a run does. */
export type Depth = 'quick' | 'default' | 'full';

/** The connection counts of the many-connection suite; 1 connection is the round-trip case. */
export const CONNECTIONS: Record<Depth, readonly number[]> = {
  quick: [10, 100],
  default: [10, 100, 1_000],
  full: [10, 100, 1_000],
};
/**
 * Time budget of one case's measured part. On a quiet machine every case ends by its count well
 * within it; on a loaded one a starved spinning pair would otherwise take minutes per case.
 */
export const BUDGET_MS: Record<Depth, number> = { quick: 1_000, default: 3_000, full: 20_000 };
/** Connections held open in the idle-memory suite, before the machine's limits lower it. */
export const IDLE_CONNECTIONS: Record<Depth, number> = { quick: 1_000, default: 10_000, full: 10_000 };
/** Idle connections beside the busy one in the idle-pool suite. */
export const IDLE_BESIDE_BUSY: Record<Depth, number> = { quick: 100, default: 1_000, full: 1_000 };
/**
 * Runs of each stream case. A 500,000-message stream lasts about a tenth of a second, and on a
 * quiet two-core machine one run of the same build read from 1.3x to 1.8x hand-batched node:net:
 * where the scheduler put the two processes decides more than the code. The median of five runs,
 * the subjects taking turns, is what the stream goals are judged on.
 */
export const STREAM_ROUNDS: Record<Depth, number> = { quick: 1, default: 5, full: 5 };
/** The offered rates of the fixed-rate suite, messages per second. */
export const RATES: readonly number[] = [10_000, 100_000];

/** What decides a run's case grid. */
export interface Grid {
  readonly depth: Depth;
  readonly transports: readonly Transport[];
  readonly sizes: readonly number[];
  /** The suites to run, in any order. */
  readonly suites: readonly Suite[];
  /** The most idle connections this machine lets the idle-memory suite hold. */
  readonly idleLimit: number;
}

/**
 * Unrecorded round trips before the measured ones, the same for every subject, C included. A JIT
 * keeps compiling a ping-pong's functions for several thousand messages (on Node 20 the last ones
 * were seen at about 9,000, on the server side), each compile a job on a helper thread that, with
 * client and server both spinning on two cores, takes a core from one of them for up to
 * milliseconds: after 2,000 round trips those jobs fell in the measured part and set its p99.9.
 */
export const ROUND_TRIP_WARMUP = 20_000;

/**
 * The case grid. The default run (about two minutes on two cores) measures round trips over every
 * transport and the other default suites over the first; `full` runs every suite over every
 * transport with three times the counts and streams every size; `quick` runs every suite with a
 * few hundred messages (a check that the harness works). The on-request suites come after the others.
 */
export function casesFor(grid: Grid): Case[] {
  const { depth, transports, sizes } = grid;
  const scale = depth === 'quick' ? 0.02 : depth === 'full' ? 3 : 1;
  const n = (count: number) => Math.max(50, Math.round(count * scale));
  const base = { rate: 0, codec: 'bytes', connections: 1, idle: 0, budgetMs: BUDGET_MS[depth] } as const;
  const cases: Case[] = [];
  for (const transport of transports)
    cases.push({
      ...base,
      suite: 'roundtrip',
      mode: 'pingpong',
      transport,
      size: 128,
      count: n(20_000),
      warmup: n(ROUND_TRIP_WARMUP),
    });
  const others = depth === 'full' ? transports : transports.slice(0, 1);
  for (const transport of others) {
    for (const size of sizes) {
      if (size !== 128)
        cases.push({
          ...base,
          suite: 'sizes',
          mode: 'pingpong',
          transport,
          size,
          count: n(size > 10_000 ? 2_000 : 5_000),
          warmup: n(500),
        });
    }
    for (const codec of ['json', 'struct'] as const)
      cases.push({
        ...base,
        suite: 'codecs',
        mode: 'pingpong',
        transport,
        size: 128,
        count: n(5_000),
        warmup: n(500),
        codec,
      });
    for (const connections of CONNECTIONS[depth]) {
      const count = Math.max(n(20_000), connections * 4);
      cases.push({
        ...base,
        suite: 'concurrency',
        mode: 'pingpong',
        transport,
        size: 128,
        count,
        warmup: Math.max(n(2_000), connections),
        connections,
      });
    }
    for (const size of depth === 'full' ? sizes : [128]) {
      // About the same bytes for every size: a 64 KiB stream of 500,000 frames would take minutes.
      const count = n(Math.min(500_000, Math.round(64_000_000 / size)));
      const stream = {
        suite: 'stream',
        mode: 'stream',
        transport,
        size,
        count,
        warmup: Math.round(count / 10),
      } as const;
      cases.push({ ...base, ...stream, rounds: STREAM_ROUNDS[depth] });
    }
    for (const rate of RATES) {
      const seconds = depth === 'quick' ? 0.1 : depth === 'full' ? 3 : 1;
      cases.push({
        ...base,
        suite: 'rate',
        mode: 'rate',
        transport,
        size: 128,
        count: Math.round(rate * seconds),
        warmup: Math.round(rate * seconds * 0.25),
        rate,
      });
    }
  }
  for (const transport of others) {
    const held = Math.min(IDLE_CONNECTIONS[depth], grid.idleLimit);
    if (held > 0)
      cases.push({
        ...base,
        suite: 'idle',
        mode: 'hold',
        transport,
        size: 0,
        count: held,
        warmup: 0,
        connections: held,
      });
    cases.push({
      ...base,
      suite: 'idle-pool',
      mode: 'pingpong',
      transport,
      size: 128,
      count: n(5_000),
      warmup: n(500),
      idle: IDLE_BESIDE_BUSY[depth],
    });
  }
  cases.push(...garbageCases(depth, others, scale));
  return cases.filter((c) => grid.suites.includes(c.suite));
}

/** A case as a subject runs it: the counts scaled by {@link Subject.countScale}. */
export function scaledFor(subject: Subject, c: Case): Case {
  const scale = subject.countScale ?? 1;
  if (scale === 1 || c.mode === 'rate' || c.mode === 'hold') return c;
  return { ...c, count: Math.max(50, Math.round(c.count * scale)), warmup: Math.round(c.warmup * scale) };
}

/** A short label for a case in progress lines and the results file. */
export function caseLabel(c: Case): string {
  if (c.mode === 'rate') return `${c.transport} ${c.size}B at ${c.rate}/s`;
  if (c.mode === 'hold') return `${c.transport} x${c.connections} idle`;
  if (c.suite === 'garbage' || c.suite === 'threads') {
    const what = c.codec === 'bytes' ? `${c.size}B` : `${c.codec} order`;
    const many = c.connections > 1 ? ` x${c.connections}` : '';
    return `${c.transport} ${what}${many} ${c.mode === 'stream' ? 'stream' : 'round trips'}`;
  }
  if (c.idle > 0) return `${c.transport} ${c.size}B beside ${c.idle} idle`;
  if (c.suite === 'codecs') return `${c.transport} ${c.codec} order`;
  if (c.connections > 1) return `${c.transport} ${c.size}B x${c.connections}`;
  return `${c.transport} ${c.size}B`;
}
