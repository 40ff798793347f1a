import { type Case, caseLabel } from './cases.js';
import type { Results } from './results.js';
import { figuresOf, fmt, ratio, table } from './table-format.js';
import { POSTMESSAGE_RELAY, SAME_THREAD, SAME_THREAD_PARKED, THREAD_ROWS } from './threads-suite.js';

/**
 * The threads suite's tables: round trips with the reply taken on the client's thread or handed
 * over from a worker (p50 added beside the same thread spinning, and beside it parked), and a stream read on the consuming
 * thread, through a poller thread's inbox, or relayed by postMessage (ratio to the relay).
 */
export function threadsTables(results: Results, _names: string[], cases: readonly Case[]): string[] {
  return cases
    .filter((x) => x.suite === 'threads' && x.connections === 1)
    .flatMap((c) => {
      const get = figuresOf(results, c);
      const rows = THREAD_ROWS.filter((row) => row.mode === c.mode).map((row) => row.name);
      const counts = `${c.count.toLocaleString('en-US')} messages after ${c.warmup.toLocaleString('en-US')} of warm-up`;
      if (c.mode === 'pingpong') {
        const added = (p50: number | undefined, base: number | undefined) =>
          p50 === undefined || base === undefined ? '-' : `${(p50 - base).toFixed(2)} µs`;
        return [
          `### One connection's replies on another thread (${caseLabel(c)}, ${counts}; latency in µs, client CPU)`,
          table(
            [
              'row',
              'p50',
              'p99',
              'p99.9',
              'CPU µs per round trip',
              'p50 added vs same thread, spinning',
              'p50 added vs same thread, parked',
            ],
            rows.map((name) => {
              const p50 = get(name, 'p50');
              return [
                name,
                fmt(p50, 2),
                fmt(get(name, 'p99')),
                fmt(get(name, 'p99.9')),
                fmt(get(name, 'cpu_per_message'), 2),
                added(p50, get(SAME_THREAD, 'p50')),
                added(p50, get(SAME_THREAD_PARKED, 'p50')),
              ];
            }),
          ),
        ];
      }
      return [
        `### A stream into a consumer thread (${caseLabel(c)}, ${counts}; the consumer process's CPU)`,
        table(
          ['row', 'messages/s', 'MB/s', 'CPU µs per message', 'vs postMessage relay'],
          rows.map((name) => [
            name,
            fmt(get(name, 'throughput')),
            fmt(get(name, 'bandwidth')),
            fmt(get(name, 'cpu_per_message'), 3),
            ratio(get(name, 'throughput'), get(POSTMESSAGE_RELAY, 'throughput')),
          ]),
        ),
      ];
    });
}
