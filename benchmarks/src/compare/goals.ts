import { type Case, caseLabel } from './cases.js';
import { ROUNDTRIP_GOALS, STREAM_GOALS } from './goal-table.js';
import { judgeHeartbeatGoals } from './heartbeat-goals.js';
import { type Results, YOUNG_GCS } from './results.js';
import {
  POLLER_THREAD,
  POSTMESSAGE_RELAY,
  SAME_THREAD,
  SAME_THREAD_PARKED,
  WORKER_PARK,
  WORKER_SPIN,
} from './threads-suite.js';
import { judgeServiceGoals } from './threads-svc-tables.js';

/** One goal of the comparison and how this run did against it. */
export interface Verdict {
  /** What is aimed at, in words. */
  readonly goal: string;
  /** The ratio measured (or, for a goal in µs, the difference), or undefined when a side did not run. */
  readonly value: number | undefined;
  /** MET, NOT MET or NOT MEASURED. */
  readonly verdict: 'MET' | 'NOT MET' | 'NOT MEASURED';
  /** What `value` is when it is not a ratio: `'µs'` added, or a count (`'young GCs per 1M'`). */
  readonly unit?: string;
}

const FLAVOURS = ['@net/nonblocking', '@net/blocking', '@net/async'] as const;

/**
 * The goals, judged on the first round-trip case and the first stream case of the run: every
 * ratio is between two subjects measured in the same run, so machine noise hits both sides.
 */
export function judgeGoals(results: Results, cases: readonly Case[]): Verdict[] {
  const verdicts: Verdict[] = [];
  const judge = (goal: string, value: number | undefined, limit: number, atMost: boolean, unit?: string): void => {
    const verdict =
      value === undefined ? 'NOT MEASURED' : (atMost ? value <= limit : value >= limit) ? 'MET' : 'NOT MET';
    verdicts.push(unit === undefined ? { goal, value, verdict } : { goal, value, verdict, unit });
  };
  const over = (get: (name: string) => number | undefined, a: string, b: string) => {
    const x = get(a);
    const y = get(b);
    return x === undefined || y === undefined ? undefined : x / y;
  };
  const roundtrip = cases.find((x) => x.suite === 'roundtrip');
  if (roundtrip !== undefined) {
    for (const { goal, metric, a, b, limit, atMost } of ROUNDTRIP_GOALS) {
      const get = (name: string) => results.get(name, 'roundtrip', caseLabel(roundtrip), metric);
      judge(goal, over(get, a, b), limit, atMost);
    }
    const p50 = (name: string) => results.get(name, 'roundtrip', caseLabel(roundtrip), 'p50');
    for (const flavour of FLAVOURS)
      judge(`${flavour} round trip at least 5x faster than zeromq.js (p50)`, over(p50, 'zeromq.js', flavour), 5, false);
  }
  const stream = cases.find((x) => x.suite === 'stream');
  if (stream !== undefined) {
    const rate = (name: string) => results.get(name, 'stream', caseLabel(stream), 'throughput');
    for (const flavour of FLAVOURS)
      judge(`${flavour} one-way throughput at least 20x zeromq.js`, over(rate, flavour, 'zeromq.js'), 20, false);
    const rounds = stream.rounds ?? 1;
    const runs = rounds > 1 ? ` (median of ${rounds} runs)` : '';
    for (const { goal, a, b, limit, atMost } of STREAM_GOALS) judge(`${goal}${runs}`, over(rate, a, b), limit, atMost);
  }
  judgeThreadGoals(results, cases, judge, over);
  verdicts.push(...judgeServiceGoals(results, cases));
  verdicts.push(...judgeGarbageGoals(results, cases));
  verdicts.push(...judgeHeartbeatGoals(results, cases));
  return verdicts;
}

/** The subjects whose receive path is meant to make no garbage with a view codec: both synchronous flavours, on every runtime. */
const NO_GARBAGE = [
  '@net/nonblocking',
  '@net/blocking',
  '@net/nonblocking on Bun',
  '@net/blocking on Bun',
  '@net/nonblocking on Deno',
  '@net/blocking on Deno',
] as const;

/**
 * The garbage goals, judged on the garbage suite when the run has it: with a view codec, no young
 * collection in the client over 1M round trips (the struct order received as views) nor over the
 * 10M-message stream (raw bytes through `bytesCodec({ copy: false })`, itself a view codec: each
 * frame a borrowed view). A count, not a ratio: any collection at all is NOT MET.
 */
function judgeGarbageGoals(results: Results, cases: readonly Case[]): Verdict[] {
  const verdicts: Verdict[] = [];
  const views = cases.find((x) => x.suite === 'garbage' && x.mode === 'pingpong' && x.codec === 'struct-view');
  const stream = cases.find((x) => x.suite === 'garbage' && x.mode === 'stream' && x.codec === 'bytes');
  const judge = (goal: string, c: Case | undefined, subject: string): void => {
    if (c === undefined) return;
    const value = results.get(subject, 'garbage', caseLabel(c), YOUNG_GCS);
    const verdict = value === undefined ? 'NOT MEASURED' : value === 0 ? 'MET' : 'NOT MET';
    verdicts.push({ goal, value, verdict, unit: 'young GCs per 1M' });
  };
  for (const subject of NO_GARBAGE) {
    judge(`${subject} with view codecs: 0 young GCs over 1M struct-view round trips`, views, subject);
    judge(`${subject} with view codecs: 0 young GCs over the 10M-message borrowed-view stream`, stream, subject);
  }
  return verdicts;
}

/**
 * The threads suite's goals: what moving the receive to a worker adds to the round trip's p50
 * (in µs, beside the same client on one thread waiting the same way: spinning or parked), and the PollerThread's stream against a worker
 * relaying with postMessage. The verdicts go in through `judge`.
 */
function judgeThreadGoals(
  results: Results,
  cases: readonly Case[],
  judge: (goal: string, value: number | undefined, limit: number, atMost: boolean, unit?: string) => void,
  over: (get: (name: string) => number | undefined, a: string, b: string) => number | undefined,
): void {
  const roundtrip = cases.find((x) => x.suite === 'threads' && x.mode === 'pingpong');
  if (roundtrip !== undefined) {
    const p50 = (name: string) => results.get(name, 'threads', caseLabel(roundtrip), 'p50');
    const added = (name: string, baseline: string) => {
      const moved = p50(name);
      const same = p50(baseline);
      return moved === undefined || same === undefined ? undefined : moved - same;
    };
    // Each handoff against the same thread waiting the same way: spinning against spinning (no
    // wake-up on either side), parked against parked (the socket's wake-up on both, so what is
    // left is the second wake-up, the sending thread's, and the crossing itself).
    judge(
      'receiver on a worker, spinning, adds at most 1 µs to the round-trip p50 of the same thread spinning',
      added(WORKER_SPIN, SAME_THREAD),
      1,
      true,
      'µs',
    );
    judge(
      'receiver on a worker, parked, adds at most 15 µs to the round-trip p50 of the same thread parked',
      added(WORKER_PARK, SAME_THREAD_PARKED),
      15,
      true,
      'µs',
    );
  }
  const stream = cases.find((x) => x.suite === 'threads' && x.mode === 'stream');
  if (stream !== undefined) {
    const rate = (name: string) => results.get(name, 'threads', caseLabel(stream), 'throughput');
    judge(
      'PollerThread stream into an inbox at least 10x a node:net worker relaying with postMessage',
      over(rate, POLLER_THREAD, POSTMESSAGE_RELAY),
      10,
      false,
    );
  }
}

/** One line per goal: `goal: ...: MET (0.98x)`, `(+0.40 µs)` for time added, or `(0.0 young GCs per 1M)` for a count. */
export function renderGoals(verdicts: readonly Verdict[]): string[] {
  const figure = (v: Verdict, value: number) =>
    v.unit === undefined
      ? `${value.toFixed(2)}x`
      : v.unit === 'µs'
        ? `${value >= 0 ? '+' : ''}${value.toFixed(2)} µs`
        : `${value.toFixed(1)} ${v.unit}`;
  return verdicts.map(
    (v) => `goal: ${v.goal}: ${v.verdict}${v.value === undefined ? ' in this run' : ` (${figure(v, v.value)})`}`,
  );
}
