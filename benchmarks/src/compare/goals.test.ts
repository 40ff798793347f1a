import { describe, expect, it } from 'vitest';
import { type Case, caseLabel, casesFor } from './cases.js';
import { judgeGoals, renderGoals, type Verdict } from './goals.js';
import type { ClientResult } from './protocol.js';
import { Results } from './results.js';

// The goals on tails, stream ratios and garbage: which figures each is judged on, and how a count
// (young collections) is told from a ratio. Fabricated figures only; no speed is measured here.

const roundTrip = (p50: number, p99: number, p999: number, garbage: Partial<ClientResult> = {}): ClientResult => ({
  p50,
  p99,
  p999,
  max: p999 * 2,
  count: 1_000,
  cpuSeconds: 0.01,
  elapsedUs: 10_000,
  ...garbage,
});
const stream = (perSecond: number, garbage: Partial<ClientResult> = {}): ClientResult => ({
  count: 1_000,
  cpuSeconds: 0.01,
  elapsedUs: (1_000 / perSecond) * 1e6,
  ...garbage,
});

function find(verdicts: readonly Verdict[], goal: string): Verdict {
  const verdict = verdicts.find((v) => v.goal === goal);
  if (verdict === undefined) throw new Error(`no goal ${goal}: ${verdicts.map((v) => v.goal).join('; ')}`);
  return verdict;
}

const grid = { depth: 'quick', transports: ['tcp'], sizes: [128], idleLimit: 0 } as const;

describe('the goals on tails, stream ratios and garbage', () => {
  it('judges the nonblocking p99 and p99.9 against C busy-poll on the first round-trip case', () => {
    const cases = casesFor({ ...grid, suites: ['roundtrip'] });
    const c = cases[0];
    const results = new Results();
    results.add('C busy-poll', c, roundTrip(10, 20, 30), 1_000);
    results.add('@net/nonblocking', c, roundTrip(12, 29, 95), 1_000);
    const verdicts = judgeGoals(results, cases);
    const p99 = find(verdicts, '@net/nonblocking round-trip p99 within 1.5x of C busy-poll');
    expect(p99.verdict).toBe('MET');
    expect(p99.value).toBeCloseTo(1.45);
    const p999 = find(verdicts, '@net/nonblocking round-trip p99.9 within 3x of C busy-poll');
    expect(p999.verdict).toBe('NOT MET');
    expect(p999.value).toBeCloseTo(95 / 30);
  });

  it('wants the nonblocking stream at 1.5x hand-batched node:net and the async one at 1.2x', () => {
    const cases = casesFor({ ...grid, suites: ['stream'] });
    const c = cases[0];
    const results = new Results();
    results.add('node:net', c, stream(1_000_000), 1_000);
    results.add('@net/nonblocking', c, stream(1_400_000), 1_000);
    results.add('@net/async', c, stream(1_250_000), 1_000);
    const verdicts = judgeGoals(results, cases);
    expect(find(verdicts, '@net/nonblocking one-way throughput at least 1.5x hand-batched node:net').verdict).toBe(
      'NOT MET',
    );
    expect(find(verdicts, '@net/async one-way throughput at least 1.2x hand-batched node:net').verdict).toBe('MET');
  });

  it("judges a stream run in rounds on each subject's median run, and keeps the lowest and highest beside it", () => {
    const cases = casesFor({ ...grid, depth: 'default', suites: ['stream'] });
    const c = cases[0];
    expect(c.rounds).toBe(5);
    const results = new Results();
    const runs = (...rates: number[]) => rates.map((rate) => stream(rate, { allocatedBytes: rate / 1_000 }));
    results.addRounds('node:net', c, runs(1_000_000, 900_000, 1_100_000, 1_000_000, 950_000), 1_000);
    // One fast run of five does not make the goal: the median (1.4M) does not reach 1.5x.
    results.addRounds('@net/nonblocking', c, runs(2_500_000, 1_300_000, 1_400_000, 1_350_000, 1_450_000), 1_000);
    // Rates in no order, and an even count (one run failed): the lower of the middle two.
    results.addRounds('@net/async', c, runs(1_300_000, 1_100_000, 1_250_000, 1_190_000), 1_000);
    const verdicts = judgeGoals(results, cases);
    const nonblocking = find(
      verdicts,
      '@net/nonblocking one-way throughput at least 1.5x hand-batched node:net (median of 5 runs)',
    );
    expect(nonblocking.verdict).toBe('NOT MET');
    expect(nonblocking.value).toBeCloseTo(1.4);
    const async = find(
      verdicts,
      '@net/async one-way throughput at least 1.2x hand-batched node:net (median of 5 runs)',
    );
    expect(async.value).toBeCloseTo(1.19);
    const label = caseLabel(c);
    expect(results.get('@net/nonblocking', 'stream', label, 'throughput_low')).toBeCloseTo(1_300_000);
    expect(results.get('@net/nonblocking', 'stream', label, 'throughput_high')).toBeCloseTo(2_500_000);
    expect(results.get('@net/async', 'stream', label, 'rounds')).toBe(4);
    // The other figures are the median run's own, not a mix of runs.
    expect(results.get('@net/nonblocking', 'stream', label, 'allocated_per_message')).toBeCloseTo(1_400 / 1_000);
  });

  it('wants no young collection at all with view codecs, and prints the count, not a ratio', () => {
    const cases = casesFor({ ...grid, suites: ['garbage'] });
    const views = cases.find((x) => x.codec === 'struct-view') as Case;
    const objects = cases.find((x) => x.codec === 'struct') as Case;
    const streamed = cases.find((x) => x.mode === 'stream') as Case;
    const results = new Results();
    // Struct objects collect; only the views' figure counts for the round-trip goal.
    results.add('@net/nonblocking', objects, roundTrip(10, 20, 30, { allocatedBytes: 1e6, youngGcs: 4 }), 1_000);
    results.add('@net/nonblocking', views, roundTrip(10, 20, 30, { allocatedBytes: 0, youngGcs: 0 }), 1_000);
    results.add('@net/nonblocking', streamed, stream(1e6, { allocatedBytes: 10_000, youngGcs: 1 }), 1_000);
    // A runtime with no counter writes no figure: not measured, never MET.
    results.add('@net/nonblocking on Bun', views, roundTrip(10, 20, 30), 1_000);
    // Both synchronous flavours are judged, on every runtime.
    results.add('@net/blocking on Deno', views, roundTrip(10, 20, 30, { allocatedBytes: 28_000, youngGcs: 2 }), 1_000);
    const verdicts = judgeGoals(results, cases);
    expect(
      find(verdicts, '@net/blocking on Deno with view codecs: 0 young GCs over 1M struct-view round trips'),
    ).toMatchObject({ verdict: 'NOT MET', value: 2_000 });
    const rounds = find(verdicts, '@net/nonblocking with view codecs: 0 young GCs over 1M struct-view round trips');
    expect(rounds).toMatchObject({ verdict: 'MET', value: 0 });
    const flow = find(
      verdicts,
      '@net/nonblocking with view codecs: 0 young GCs over the 10M-message borrowed-view stream',
    );
    expect(flow).toMatchObject({ verdict: 'NOT MET', value: 1_000 });
    expect(
      find(verdicts, '@net/nonblocking on Bun with view codecs: 0 young GCs over 1M struct-view round trips').verdict,
    ).toBe('NOT MEASURED');
    expect(renderGoals([rounds, flow])).toEqual([
      'goal: @net/nonblocking with view codecs: 0 young GCs over 1M struct-view round trips: MET (0.0 young GCs per 1M)',
      'goal: @net/nonblocking with view codecs: 0 young GCs over the 10M-message borrowed-view stream: NOT MET (1000.0 young GCs per 1M)',
    ]);
  });

  it('judges no garbage goal in a run without the garbage suite', () => {
    const cases = casesFor({ ...grid, suites: ['roundtrip', 'stream'] });
    expect(judgeGoals(new Results(), cases).filter((v) => v.goal.includes('young GCs'))).toEqual([]);
  });
});
