import { availableParallelism } from 'node:os';
import { type Case, caseLabel } from './cases.js';
import type { Verdict } from './goals.js';
import type { Results } from './results.js';
import { figuresOf, fmt, ratio, table } from './table-format.js';
import {
  SERVICE_CORES,
  SERVICE_CPU,
  SERVICE_ROWS,
  SVC_ASYNC,
  SVC_THREADS_1,
  SVC_THREADS_2,
} from './threads-svc-rows.js';

/** The service rows' cases of a run: the threads suite's many-connection ones. */
function serviceCases(cases: readonly Case[]): Case[] {
  return cases.filter((x) => x.suite === 'threads' && x.connections > 1);
}

/** 2 threads over 1 thread in messages/s, or undefined when either did not run. */
export function twoOverOne(results: Results, c: Case): number | undefined {
  const rate = (name: string) => results.get(name, 'threads', caseLabel(c), 'throughput');
  const two = rate(SVC_THREADS_2);
  const one = rate(SVC_THREADS_1);
  return two === undefined || one === undefined ? undefined : two / one;
}

/**
 * The table of a service across threads under many connections: messages/s, round-trip p50 and
 * p99 (a reply that waited out a service thread's park would show at p50), the service process's
 * CPU, and each row against `SvcThreads` on one thread; then a note with the 2-thread/1-thread
 * ratio and the cores it was measured on, which the client shares.
 */
export function serviceTables(
  results: Results,
  _names: string[],
  cases: readonly Case[],
  cores = availableParallelism(),
): string[] {
  return serviceCases(cases).flatMap((c) => {
    const get = figuresOf(results, c);
    const counts = `${c.count.toLocaleString('en-US')} round trips after ${c.warmup.toLocaleString('en-US')} of warm-up`;
    const two = twoOverOne(results, c);
    return [
      `### A service across threads under many connections (${caseLabel(c)}: one client process, ${c.connections} connections with one message in flight each, ${counts}; latency in µs, the service process's CPU)`,
      table(
        ['row', 'messages/s', 'p50', 'p99', 'service CPU µs per message', 'service cores busy', 'vs threads: 1'],
        SERVICE_ROWS.map(({ name }) => [
          name,
          fmt(get(name, 'throughput')),
          fmt(get(name, 'p50')),
          fmt(get(name, 'p99')),
          fmt(get(name, SERVICE_CPU), 2),
          fmt(get(name, SERVICE_CORES), 2),
          ratio(get(name, 'throughput'), get(SVC_THREADS_1, 'throughput')),
        ]),
      ),
      `note: 2 threads / 1 thread: ${two === undefined ? 'not measured in this run' : `${two.toFixed(2)}x`} on ${cores} cores (os.availableParallelism()), shared with the client process and its ${c.connections} connections: on 2 cores 2 threads cannot double.`,
    ];
  });
}

/** The least share of one thread's messages/s that two threads keep: no collapse, not a doubling. */
export const TWO_THREADS_AT_LEAST = 0.9;

/** How far a `SvcThreads` row's round-trip p50 may be from the one-thread `@net/async` Svc's. */
export const P50_AT_MOST = 2;

/**
 * The service rows' goals, judged on the run's first service case: two service threads serve at
 * least {@link TWO_THREADS_AT_LEAST} of one thread's messages/s (the cores are shared with the
 * client, so more is not asked), and each `SvcThreads` row's round-trip p50 stays within
 * {@link P50_AT_MOST}x of the one-thread `@net/async` Svc's: a reply that waited out a service
 * thread's 10 ms park in `poll(2)` shows there (a p50 of about 10 ms, where the Svc's is a few).
 */
export function judgeServiceGoals(results: Results, cases: readonly Case[], cores = availableParallelism()): Verdict[] {
  const c = serviceCases(cases)[0];
  if (c === undefined) return [];
  const verdict = (value: number | undefined, met: (value: number) => boolean): Verdict['verdict'] =>
    value === undefined ? 'NOT MEASURED' : met(value) ? 'MET' : 'NOT MET';
  const two = twoOverOne(results, c);
  const p50 = (name: string) => results.get(name, 'threads', caseLabel(c), 'p50');
  const base = p50(SVC_ASYNC);
  const verdicts: Verdict[] = [
    {
      goal: `SvcThreads on 2 threads serves at least ${TWO_THREADS_AT_LEAST}x the messages/s of 1 thread under ${c.connections} connections (${cores} cores shared with the client: no collapse, not a doubling)`,
      value: two,
      verdict: verdict(two, (x) => x >= TWO_THREADS_AT_LEAST),
    },
  ];
  for (const [name, threads] of [
    [SVC_THREADS_1, 1],
    [SVC_THREADS_2, 2],
  ] as const) {
    const mine = p50(name);
    const value = mine === undefined || base === undefined ? undefined : mine / base;
    verdicts.push({
      goal: `SvcThreads on ${threads} thread${threads === 1 ? '' : 's'}: round-trip p50 under ${c.connections} connections within ${P50_AT_MOST}x of a one-thread @net/async Svc`,
      value,
      verdict: verdict(value, (x) => x <= P50_AT_MOST),
    });
  }
  return verdicts;
}
