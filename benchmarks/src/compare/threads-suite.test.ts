import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runComparison } from '../util/comparison-run.js';
import { judgeGoals, renderGoals } from './goals.js';
import type { ClientResult } from './protocol.js';
import { type Figure, Results } from './results.js';
import { HEARTBEAT_METRICS, HEARTBEAT_ROW } from './threads-heartbeat.js';
import {
  ASYNC_SOCKET,
  POLLER_THREAD,
  POLLER_THREAD_ASYNC,
  POSTMESSAGE_RELAY,
  SAME_THREAD,
  SAME_THREAD_PARKED,
  SAME_THREAD_POLLER,
  threadCases,
  WORKER_PARK,
  WORKER_SPIN,
} from './threads-suite.js';
import { SERVICE_CORES, SERVICE_CPU, SVC_ASYNC, SVC_THREADS_1, SVC_THREADS_2 } from './threads-svc-rows.js';

// The threads suite: its goals judged on figures written here (no machine's speed in them), and a
// quick run of the suite on request (every row measured with every figure; no speed asserted).

const [roundTrips, stream] = threadCases('default', 3_000);
const p50 = (value: number): ClientResult => ({ p50: value, p99: value, count: 100, cpuSeconds: 0.01, elapsedUs: 1e4 });
const rate = (perSecond: number): ClientResult => ({ elapsedUs: 1e6, count: perSecond, cpuSeconds: 0.5 });

function judged(rows: Partial<Record<string, ClientResult>>): string[] {
  const results = new Results();
  for (const [name, result] of Object.entries(rows))
    results.add(name, result!.p50 === undefined ? stream : roundTrips, result!, result!.count);
  // The heartbeat row's goals have tests of their own (heartbeat-goals.test.ts).
  return renderGoals(judgeGoals(results, [roundTrips, stream])).filter((line) => !line.includes('consumer busy'));
}

describe('the threads suite goals', () => {
  it('judges the p50 a worker adds to the round trip in µs: 1 µs spinning, 15 µs parked, limits included', () => {
    const rows = {
      [SAME_THREAD]: p50(10),
      [SAME_THREAD_PARKED]: p50(30),
      [WORKER_SPIN]: p50(11),
      [WORKER_PARK]: p50(45),
    };
    expect(judged(rows)).toEqual([
      'goal: receiver on a worker, spinning, adds at most 1 µs to the round-trip p50 of the same thread spinning: MET (+1.00 µs)',
      'goal: receiver on a worker, parked, adds at most 15 µs to the round-trip p50 of the same thread parked: MET (+15.00 µs)',
      'goal: PollerThread stream into an inbox at least 10x a node:net worker relaying with postMessage: NOT MEASURED in this run',
    ]);
    const over = {
      [SAME_THREAD]: p50(10),
      [SAME_THREAD_PARKED]: p50(30),
      [WORKER_SPIN]: p50(11.5),
      [WORKER_PARK]: p50(29),
    };
    expect(judged(over).slice(0, 2)).toEqual([
      'goal: receiver on a worker, spinning, adds at most 1 µs to the round-trip p50 of the same thread spinning: NOT MET (+1.50 µs)',
      'goal: receiver on a worker, parked, adds at most 15 µs to the round-trip p50 of the same thread parked: MET (-1.00 µs)',
    ]);
  });

  it('judges the parked worker against the parked same thread only, and the spinning one against the spinning', () => {
    // 25 µs over the spinning row would be NOT MET; over the parked row it is 5 µs.
    const rows = {
      [SAME_THREAD]: p50(10),
      [SAME_THREAD_PARKED]: p50(30),
      [WORKER_SPIN]: p50(10.5),
      [WORKER_PARK]: p50(35),
    };
    expect(judged(rows).slice(0, 2)).toEqual([
      'goal: receiver on a worker, spinning, adds at most 1 µs to the round-trip p50 of the same thread spinning: MET (+0.50 µs)',
      'goal: receiver on a worker, parked, adds at most 15 µs to the round-trip p50 of the same thread parked: MET (+5.00 µs)',
    ]);
    // Without the parked same-thread row, the parked goal is not judged against the spinning one.
    expect(judged({ [SAME_THREAD]: p50(10), [WORKER_PARK]: p50(12) })[1]).toBe(
      'goal: receiver on a worker, parked, adds at most 15 µs to the round-trip p50 of the same thread parked: NOT MEASURED in this run',
    );
  });

  it('judges the poller thread against the postMessage relay as a ratio, and a row that did not run as NOT MEASURED', () => {
    const met = judged({
      [POLLER_THREAD]: rate(1_000_000),
      [POSTMESSAGE_RELAY]: rate(100_000),
      [SAME_THREAD]: p50(10),
    });
    expect(met).toEqual([
      'goal: receiver on a worker, spinning, adds at most 1 µs to the round-trip p50 of the same thread spinning: NOT MEASURED in this run',
      'goal: receiver on a worker, parked, adds at most 15 µs to the round-trip p50 of the same thread parked: NOT MEASURED in this run',
      'goal: PollerThread stream into an inbox at least 10x a node:net worker relaying with postMessage: MET (10.00x)',
    ]);
    expect(judged({ [POLLER_THREAD]: rate(999_000), [POSTMESSAGE_RELAY]: rate(100_000) })[2]).toMatch(
      /: NOT MET \(9\.99x\)$/,
    );
  });

  it('judges no threads goal in a run without the suite', () => {
    const results = new Results();
    expect(judgeGoals(results, []).filter((v) => /worker|PollerThread/.test(v.goal))).toEqual([]);
  });
});

const ROUND_TRIP_ROWS = [SAME_THREAD, SAME_THREAD_PARKED, WORKER_SPIN, WORKER_PARK];
const STREAM_ROWS = [POLLER_THREAD, POLLER_THREAD_ASYNC, SAME_THREAD_POLLER, ASYNC_SOCKET, POSTMESSAGE_RELAY];
const SERVICE_ROWS = [SVC_ASYNC, SVC_THREADS_1, SVC_THREADS_2];
const out = mkdtempSync(join(tmpdir(), 'net-compare-threads-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));
let printed = '';
let figures: Figure[] = [];

beforeAll(() => {
  const run = runComparison(['--quick', '--suites', 'threads'], out, 240_000);
  printed = run.printed;
  expect(run.status, run.progress.slice(-2_000)).toBe(0);
  figures = run.figures;
}, 300_000);

describe('the threads suite, quick run (on request only; no speed asserted)', () => {
  it('measures every row with every figure, and nothing else', () => {
    const round = ['throughput', 'p50', 'p99', 'p99.9', 'max', 'cpu_per_message'];
    const streamed = ['throughput', 'bandwidth', 'cpu_per_message'];
    const expected = [
      ...ROUND_TRIP_ROWS.flatMap((row) => round.map((metric) => `${row} tcp 128B round trips ${metric}`)),
      ...STREAM_ROWS.flatMap((row) => streamed.map((metric) => `${row} tcp 128B stream ${metric}`)),
      ...SERVICE_ROWS.flatMap((row) =>
        [...round, SERVICE_CPU, SERVICE_CORES].map((metric) => `${row} tcp 128B x64 round trips ${metric}`),
      ),
    ];
    const timed = figures.filter(
      (f) => f.subject !== HEARTBEAT_ROW && !f.metric.includes('gc') && !f.metric.startsWith('allocated'),
    );
    expect(timed.map((f) => `${f.subject} ${f.case} ${f.metric}`).sort()).toEqual(expected.sort());
    expect(figures.filter((f) => f.suite !== 'threads')).toEqual([]);
    for (const f of timed) expect(f.value, `${f.subject} ${f.metric}`).toBeGreaterThan(0);
    const beats = figures.filter((f) => f.subject === HEARTBEAT_ROW).map((f) => f.metric);
    expect(beats.sort()).toEqual([...HEARTBEAT_METRICS].sort());
  });

  it('prints the tables and judges the six goals on speed and service and the two on heartbeats', () => {
    expect(printed).toContain("### One connection's replies on another thread (tcp 128B round trips");
    expect(printed).toContain('### A stream into a consumer thread (tcp 128B stream');
    expect(printed).toMatch(/\| node:net on a worker, postMessage relay \| [\d.,]+ \| .* \| 1\.00x \|/);
    expect(printed).toContain('### A service across threads under many connections (tcp 128B x64 round trips');
    // The service rows' case has its own table, not a row in the one-connection ones.
    expect(printed).not.toMatch(
      /### (One connection's replies on another thread|A stream into a consumer thread) \(tcp 128B x64/,
    );
    expect(printed).toMatch(/\| SvcThreads, threads: 1 \| [\d.,]+ \| .* \| 1\.00x \|/);
    expect(printed).toMatch(/^note: 2 threads \/ 1 thread: [\d.]+x on \d+ cores/m);
    const goals = printed.split('\n').filter((line) => line.startsWith('- goal: '));
    const heartbeats = goals.filter((line) => line.includes('with the consumer busy'));
    expect(goals).toHaveLength(6 + heartbeats.length);
    for (const goal of goals.filter((line) => !heartbeats.includes(line)))
      expect(goal).toMatch(/: (MET|NOT MET) \((\+|-)?[\d.]+ ?(x|µs)\)$/);
    expect(printed).toContain('### Heartbeats with the consumer busy');
    expect(heartbeats).toHaveLength(2);
    for (const goal of heartbeats) expect(goal).toMatch(/: (MET|NOT MET) \([\d.]+ (late beats|silences)\)$/);
  });
});
