/**
 * A goal that is one subject's figure over another's in the same run: `a`'s `metric` over `b`'s,
 * at most `limit` (`atMost`) or at least it.
 */
export interface RatioGoal {
  /** What is aimed at, in words, as the goals table prints it. */
  readonly goal: string;
  /** The figure compared (`p50`, `p99`, `cpu_per_message`, `throughput`, ...). */
  readonly metric: string;
  readonly a: string;
  readonly b: string;
  readonly limit: number;
  readonly atMost: boolean;
}

/** The round-trip goals, judged in this order on the run's first round-trip case. */
export const ROUNDTRIP_GOALS: readonly RatioGoal[] = [
  {
    goal: '@net/nonblocking round-trip p50 within 1.3x of C busy-poll',
    metric: 'p50',
    a: '@net/nonblocking',
    b: 'C busy-poll',
    limit: 1.3,
    atMost: true,
  },
  // The tails: what a collection or a scheduler hiccup costs shows at p99 and p99.9, not at p50.
  {
    goal: '@net/nonblocking round-trip p99 within 1.5x of C busy-poll',
    metric: 'p99',
    a: '@net/nonblocking',
    b: 'C busy-poll',
    limit: 1.5,
    atMost: true,
  },
  {
    goal: '@net/nonblocking round-trip p99.9 within 3x of C busy-poll',
    metric: 'p99.9',
    a: '@net/nonblocking',
    b: 'C busy-poll',
    limit: 3,
    atMost: true,
  },
  {
    goal: '@net/blocking round-trip p50 within 1.1x of C blocking',
    metric: 'p50',
    a: '@net/blocking',
    b: 'C blocking',
    limit: 1.1,
    atMost: true,
  },
  // The default spins before it parks, which C blocking does not: the same flavour parking at once is the like-for-like figure.
  {
    goal: '@net/blocking with no spin (parks at once) round-trip p50 within 1.1x of C blocking',
    metric: 'p50',
    a: '@net/blocking, no spin',
    b: 'C blocking',
    limit: 1.1,
    atMost: true,
  },
  {
    goal: '@net/blocking round-trip p50 with heartbeats on within 1.1x of heartbeats off',
    metric: 'p50',
    a: '@net/blocking, heartbeats on',
    b: '@net/blocking',
    limit: 1.1,
    atMost: true,
  },
  {
    goal: '@net/blocking CPU per round trip with heartbeats on within 1.1x of heartbeats off',
    metric: 'cpu_per_message',
    a: '@net/blocking, heartbeats on',
    b: '@net/blocking',
    limit: 1.1,
    atMost: true,
  },
  {
    goal: '@net/async round-trip p50 within 1.05x of node:net',
    metric: 'p50',
    a: '@net/async',
    b: 'node:net',
    limit: 1.05,
    atMost: true,
  },
  {
    goal: '@net/nonblocking on Bun round-trip p50 within 1.15x of C busy-poll',
    metric: 'p50',
    a: '@net/nonblocking on Bun',
    b: 'C busy-poll',
    limit: 1.15,
    atMost: true,
  },
  {
    goal: '@net/blocking on Bun round-trip p50 within 1.1x of C blocking',
    metric: 'p50',
    a: '@net/blocking on Bun',
    b: 'C blocking',
    limit: 1.1,
    atMost: true,
  },
  {
    goal: '@net/blocking on Bun with no spin (parks at once) round-trip p50 within 1.1x of C blocking',
    metric: 'p50',
    a: '@net/blocking, no spin, on Bun',
    b: 'C blocking',
    limit: 1.1,
    atMost: true,
  },
  {
    goal: '@net/async on Bun round-trip p50 within 1.05x of node:net on Bun',
    metric: 'p50',
    a: '@net/async on Bun',
    b: 'node:net on Bun',
    limit: 1.05,
    atMost: true,
  },
];

/** The stream goals against hand-batched node:net, judged after the ones against zeromq.js. */
export const STREAM_GOALS: readonly RatioGoal[] = [
  {
    goal: '@net/nonblocking one-way throughput at least 1.5x hand-batched node:net',
    metric: 'throughput',
    a: '@net/nonblocking',
    b: 'node:net',
    limit: 1.5,
    atMost: false,
  },
  {
    goal: '@net/async one-way throughput at least 1.2x hand-batched node:net',
    metric: 'throughput',
    a: '@net/async',
    b: 'node:net',
    limit: 1.2,
    atMost: false,
  },
  {
    goal: '@net/nonblocking on Bun one-way throughput at least hand-batched node:net on Bun',
    metric: 'throughput',
    a: '@net/nonblocking on Bun',
    b: 'node:net on Bun',
    limit: 1,
    atMost: false,
  },
];
