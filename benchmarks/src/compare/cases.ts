import type { CodecName, Mode, NodeSubject, Transport } from './protocol.js';

/** A subject of the comparison: one of the Node peers, or the C program in one of its modes. */
export interface Subject {
  /** The name in tables and in the results file. */
  readonly name: string;
  /** The short name `--subjects` takes. */
  readonly id: string;
  readonly kind: { readonly node: NodeSubject } | { readonly c: 'poll' | 'block' };
  /** How a spinning subject waits, printed with the machine; blocking subjects have none. */
  readonly idleStrategy?: string;
  /** The suites it cannot run, with the reason printed in the report. */
  readonly cannot?: Partial<Record<Suite, string>>;
  /**
   * Share of a case's count this subject runs. The slow subject gets fewer messages so that it
   * does not take most of the run: its rates and percentiles need fewer samples to settle.
   */
  readonly countScale?: number;
}

const C_NO_RATE = 'the C program has no fixed-rate mode';
const VARIANT = 'a variant of @net/blocking, measured on round trips only';
const ROUND_TRIPS_ONLY: Partial<Record<Suite, string>> = { sizes: VARIANT, codecs: VARIANT, concurrency: VARIANT, stream: VARIANT, rate: VARIANT };
const C_BYTES = 'the C program sends bytes';
const C_ONE = 'the C program serves one connection';

/** Every subject, in table order. */
export const SUBJECTS: readonly Subject[] = [
  { name: '@net/nonblocking', id: 'nonblocking', kind: { node: 'nonblocking' }, idleStrategy: `idleStrategy 'spin' on both sides: retries a failed read at once, never yields the core; non-blocking I/O through ${process.env.NET_SYNC_READ === 'fs' ? 'fs.readSync/writeSync (NET_SYNC_READ=fs)' : "Node's WASI fd_read/fd_write"}` },
  { name: '@net/blocking', id: 'blocking', kind: { node: 'blocking' }, cannot: { concurrency: 'a blocking client parks its thread on one connection (one thread per connection)' } },
  // The same flavour with a heartbeat pending on both sides (1 s interval, never due in a busy
  // ping-pong), and with recvSpinMicros 0 (every receive parks at once, as a C blocking socket does).
  { name: '@net/blocking, heartbeats on', id: 'blocking-heartbeats', kind: { node: 'blocking-heartbeats' }, cannot: ROUND_TRIPS_ONLY },
  { name: '@net/blocking, no spin', id: 'blocking-park', kind: { node: 'blocking-park' }, cannot: ROUND_TRIPS_ONLY },
  { name: '@net/async', id: 'async', kind: { node: 'async' } },
  { name: 'node:net', id: 'net', kind: { node: 'raw' }, cannot: { codecs: "codecs are @net's; node:net sends bytes" } },
  {
    name: 'C busy-poll',
    id: 'c-poll',
    kind: { c: 'poll' },
    idleStrategy: 'non-blocking sockets, read() retried at once on EAGAIN on both sides, never yields the core',
    cannot: { rate: C_NO_RATE, codecs: C_BYTES, concurrency: C_ONE },
  },
  { name: 'C blocking', id: 'c-block', kind: { c: 'block' }, cannot: { rate: C_NO_RATE, codecs: C_BYTES, concurrency: C_ONE } },
  {
    name: 'zeromq.js',
    id: 'zeromq',
    kind: { node: 'zeromq' },
    countScale: 0.2,
    cannot: { rate: 'Request/Reply keeps one message in flight', codecs: 'zeromq.js sends bytes', concurrency: 'not measured for zeromq.js' },
  },
];

/** Which table a case belongs to. */
export type Suite = 'roundtrip' | 'sizes' | 'codecs' | 'concurrency' | 'stream' | 'rate';

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
  /** Connections doing round trips at once. */
  readonly connections: number;
  /** The measured part of a one-connection case ends after this many ms, `count` reached or not. */
  readonly budgetMs: number;
}

/** How much work a run does. */
export type Depth = 'quick' | 'default' | 'full';

/** The connection counts of the many-connection suite; 1 connection is the round-trip case. */
export const CONNECTIONS: Record<Depth, readonly number[]> = { quick: [10, 100], default: [10, 100, 1_000], full: [10, 100, 1_000] };
/**
 * Time budget of one case's measured part. On a quiet machine every case ends by its count well
 * within it; on a loaded one a starved spinning pair would otherwise take minutes per case.
 */
export const BUDGET_MS: Record<Depth, number> = { quick: 1_000, default: 3_000, full: 20_000 };
/** The offered rates of the fixed-rate suite, messages per second. */
export const RATES: readonly number[] = [10_000, 100_000];

/**
 * The case grid for a depth, transports and sizes. The default run (about two minutes on two
 * cores) measures round trips over every transport and the other suites over the first; `full`
 * runs every suite over every transport with three times the counts and streams every size;
 * `quick` runs every suite with a few hundred messages (a check that the harness works).
 */
export function casesFor(depth: Depth, transports: readonly Transport[], sizes: readonly number[]): Case[] {
  const scale = depth === 'quick' ? 0.02 : depth === 'full' ? 3 : 1;
  const n = (count: number) => Math.max(50, Math.round(count * scale));
  const base = { rate: 0, codec: 'bytes', connections: 1, budgetMs: BUDGET_MS[depth] } as const;
  const cases: Case[] = [];
  for (const transport of transports) cases.push({ ...base, suite: 'roundtrip', mode: 'pingpong', transport, size: 128, count: n(20_000), warmup: n(2_000) });
  const others = depth === 'full' ? transports : transports.slice(0, 1);
  for (const transport of others) {
    for (const size of sizes) {
      if (size !== 128) cases.push({ ...base, suite: 'sizes', mode: 'pingpong', transport, size, count: n(size > 10_000 ? 2_000 : 5_000), warmup: n(500) });
    }
    for (const codec of ['json', 'struct'] as const) cases.push({ ...base, suite: 'codecs', mode: 'pingpong', transport, size: 128, count: n(5_000), warmup: n(500), codec });
    for (const connections of CONNECTIONS[depth]) {
      const count = Math.max(n(20_000), connections * 4);
      cases.push({ ...base, suite: 'concurrency', mode: 'pingpong', transport, size: 128, count, warmup: Math.max(n(2_000), connections), connections });
    }
    for (const size of depth === 'full' ? sizes : [128]) {
      // About the same bytes for every size: a 64 KiB stream of 500,000 frames would take minutes.
      const count = n(Math.min(500_000, Math.round(64_000_000 / size)));
      cases.push({ ...base, suite: 'stream', mode: 'stream', transport, size, count, warmup: Math.round(count / 10) });
    }
    for (const rate of RATES) {
      const seconds = depth === 'quick' ? 0.1 : depth === 'full' ? 3 : 1;
      cases.push({ ...base, suite: 'rate', mode: 'rate', transport, size: 128, count: Math.round(rate * seconds), warmup: Math.round(rate * seconds * 0.25), rate });
    }
  }
  return cases;
}

/** A case as a subject runs it: the counts scaled by {@link Subject.countScale}. */
export function scaledFor(subject: Subject, c: Case): Case {
  const scale = subject.countScale ?? 1;
  if (scale === 1 || c.mode === 'rate') return c;
  return { ...c, count: Math.max(50, Math.round(c.count * scale)), warmup: Math.round(c.warmup * scale) };
}

/** A short label for a case in progress lines and the results file. */
export function caseLabel(c: Case): string {
  if (c.mode === 'rate') return `${c.transport} ${c.size}B at ${c.rate}/s`;
  if (c.suite === 'codecs') return `${c.transport} ${c.codec} order`;
  if (c.connections > 1) return `${c.transport} ${c.size}B x${c.connections}`;
  return `${c.transport} ${c.size}B`;
}
