import type { CodecName, Mode, NodeSubject, Transport } from './protocol.js';

/** A subject of the comparison: one of the Node peers, or the C program in one of its modes. */
export interface Subject {
  /** The name in tables and in the results file. */
  readonly name: string;
  readonly kind: { readonly node: NodeSubject } | { readonly c: 'poll' | 'block' };
  /** How it waits, printed beside the spinning subjects. */
  readonly idleStrategy?: string;
  /** The suites it cannot run, with the reason printed in the report. */
  readonly cannot?: Partial<Record<Case['suite'], string>>;
}

const C_NO_RATE = 'the C program has no fixed-rate mode';
const C_BYTES = 'the C program sends bytes';
const C_ONE = 'the C program serves one connection';

/** Every subject, in table order. */
export const SUBJECTS: readonly Subject[] = [
  { name: '@net/nonblocking', kind: { node: 'nonblocking' }, idleStrategy: 'spin' },
  { name: '@net/blocking', kind: { node: 'blocking' }, cannot: { concurrency: 'a blocking client parks its thread on one connection (one thread per connection)' } },
  { name: '@net/async', kind: { node: 'async' } },
  { name: 'node:net', kind: { node: 'raw' }, cannot: { codecs: "codecs are @net's; node:net sends bytes" } },
  {
    name: 'C busy-poll',
    kind: { c: 'poll' },
    idleStrategy: 'spin',
    cannot: { rate: C_NO_RATE, codecs: C_BYTES, concurrency: C_ONE },
  },
  { name: 'C blocking', kind: { c: 'block' }, cannot: { rate: C_NO_RATE, codecs: C_BYTES, concurrency: C_ONE } },
  { name: 'zeromq.js', kind: { node: 'zeromq' }, cannot: { rate: 'Request/Reply keeps one message in flight', codecs: 'zeromq.js sends bytes', concurrency: 'not measured for zeromq.js' } },
];

/** One measurement: a mode over a transport with a message size. */
export interface Case {
  /** Which table it belongs to. */
  readonly suite: 'roundtrip' | 'sizes' | 'codecs' | 'concurrency' | 'stream' | 'rate';
  readonly mode: Mode;
  readonly transport: Transport;
  readonly size: number;
  readonly count: number;
  readonly warmup: number;
  /** Offered messages per second (fixed rate), else 0. */
  readonly rate: number;
  /** The flavours' codec. */
  readonly codec: CodecName;
  /** Connections doing round trips at once. */
  readonly connections: number;
}

/** How much work a run does. */
export type Depth = 'quick' | 'default' | 'full';

/**
 * The case grid for a depth, transports and sizes. The default run (about two minutes on two
 * cores) measures round trips over every transport and the other suites over the first; `full`
 * runs every suite over every transport with three times the counts and a 100,000/s rate.
 */
export function casesFor(depth: Depth, transports: readonly Transport[], sizes: readonly number[]): Case[] {
  const scale = depth === 'quick' ? 0.025 : depth === 'full' ? 3 : 1;
  const n = (count: number) => Math.max(50, Math.round(count * scale));
  const cases: Case[] = [];
  for (const transport of transports) {
    cases.push({ suite: 'roundtrip', mode: 'pingpong', transport, size: 128, count: n(20_000), warmup: n(2_000), rate: 0, codec: 'bytes', connections: 1 });
  }
  const sizeTransports = depth === 'full' ? transports : transports.slice(0, 1);
  for (const transport of sizeTransports) {
    for (const size of sizes) {
      if (size === 128) continue;
      cases.push({ suite: 'sizes', mode: 'pingpong', transport, size, count: n(size > 10_000 ? 2_000 : 5_000), warmup: n(500), rate: 0, codec: 'bytes', connections: 1 });
    }
  }
  for (const transport of sizeTransports) {
    for (const codec of ['json', 'struct'] as const) {
      cases.push({ suite: 'codecs', mode: 'pingpong', transport, size: 128, count: n(5_000), warmup: n(500), rate: 0, codec, connections: 1 });
    }
  }
  for (const transport of sizeTransports) {
    for (const connections of depth === 'quick' ? [10, 100] : [10, 100, 1_000]) {
      const count = Math.max(n(20_000), connections * 4);
      cases.push({ suite: 'concurrency', mode: 'pingpong', transport, size: 128, count, warmup: Math.max(n(2_000), connections), rate: 0, codec: 'bytes', connections });
    }
  }
  for (const transport of sizeTransports) {
    cases.push({ suite: 'stream', mode: 'stream', transport, size: 128, count: n(500_000), warmup: 0, rate: 0, codec: 'bytes', connections: 1 });
  }
  const rates = depth === 'full' ? [10_000, 100_000] : [10_000];
  for (const rate of rates.flatMap((r) => sizeTransports.map((transport) => ({ r, transport })))) {
    const seconds = depth === 'quick' ? 0.25 : depth === 'full' ? 3 : 1;
    cases.push({ suite: 'rate', mode: 'rate', transport: rate.transport, size: 128, count: Math.round(rate.r * seconds), warmup: Math.round(rate.r * seconds * 0.5), rate: rate.r, codec: 'bytes', connections: 1 });
  }
  return cases;
}

/** A short label for a case in progress lines and the results file. */
export function caseLabel(c: Case): string {
  if (c.mode === 'rate') return `${c.transport} ${c.size}B at ${c.rate}/s`;
  if (c.suite === 'codecs') return `${c.transport} ${c.codec} order`;
  if (c.connections > 1) return `${c.transport} ${c.size}B x${c.connections}`;
  return `${c.transport} ${c.size}B`;
}
