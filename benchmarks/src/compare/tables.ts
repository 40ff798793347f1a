import { type Case, caseLabel, type Subject } from './cases.js';
import { heartbeatTable } from './threads-heartbeat.js';
import { threadsTables } from './threads-tables.js';
import { serviceTables } from './threads-svc-tables.js';
import { garbageCells, garbageHead, garbageTables, otherGarbageTables } from './garbage-tables.js';
import { type Results, THROUGHPUT_HIGH, THROUGHPUT_LOW } from './results.js';
import { BASELINE, figuresOf, fmt, ratio, table, transportsOf, withRatio } from './table-format.js';

export { BASELINE } from './table-format.js';

function roundTripTables(results: Results, names: string[], cases: readonly Case[]): string[] {
  return cases
    .filter((x) => x.suite === 'roundtrip')
    .flatMap((c) => {
      const get = figuresOf(results, c);
      return [
        `### Round trip, one message at a time (${caseLabel(c)}, ${c.count.toLocaleString('en-US')} round trips after ${c.warmup.toLocaleString('en-US')} of warm-up; client CPU)`,
        table(
          [
            'subject',
            'p50 µs',
            'p99 µs',
            'p99.9 µs',
            'max µs',
            'CPU µs per round trip',
            `p50 vs ${BASELINE}`,
            `p99 vs ${BASELINE}`,
            ...garbageHead('round trip'),
          ],
          names.map((name) => [
            name,
            fmt(get(name, 'p50')),
            fmt(get(name, 'p99')),
            fmt(get(name, 'p99.9')),
            fmt(get(name, 'max')),
            fmt(get(name, 'cpu_per_message'), 2),
            ratio(get(name, 'p50'), get(BASELINE, 'p50')),
            ratio(get(name, 'p99'), get(BASELINE, 'p99')),
            ...garbageCells(get, name),
          ]),
        ),
      ];
    });
}

function sizeTables(results: Results, names: string[], cases: readonly Case[]): string[] {
  return transportsOf(cases, 'sizes').flatMap((transport) => {
    const sizeCases = cases
      .filter((x) => x.transport === transport && (x.suite === 'sizes' || x.suite === 'roundtrip'))
      .sort((a, b) => a.size - b.size);
    return [
      `### Round trip p50 µs by message size (${transport}; in brackets: vs ${BASELINE} at that size)`,
      table(
        ['subject', ...sizeCases.map((x) => `${x.size} B`)],
        names.map((name) => [
          name,
          ...sizeCases.map((x) =>
            withRatio(figuresOf(results, x)(name, 'p50'), figuresOf(results, x)(BASELINE, 'p50')),
          ),
        ]),
      ),
    ];
  });
}

function codecTables(results: Results, names: string[], cases: readonly Case[]): string[] {
  return transportsOf(cases, 'codecs').flatMap((transport) => {
    const bytesCase = cases.find((x) => x.suite === 'roundtrip' && x.transport === transport);
    const columns = [
      ...(bytesCase === undefined ? [] : [{ head: 'bytes (128 B)', c: bytesCase }]),
      ...cases
        .filter((x) => x.suite === 'codecs' && x.transport === transport)
        .map((x) => ({ head: `${x.codec} (an order)`, c: x })),
    ];
    const base = bytesCase === undefined ? undefined : figuresOf(results, bytesCase)(BASELINE, 'p50');
    return [
      `### Round trip p50 µs by codec (${transport}, the flavours; in brackets: vs ${BASELINE} sending 128 bytes)`,
      table(
        ['subject', ...columns.map((col) => col.head)],
        names
          .filter((name) => name.startsWith('@net/'))
          .map((name) => [name, ...columns.map((col) => withRatio(figuresOf(results, col.c)(name, 'p50'), base))]),
      ),
    ];
  });
}

function concurrencyTables(results: Results, names: string[], cases: readonly Case[]): string[] {
  return transportsOf(cases, 'concurrency').flatMap((transport) => {
    const single = cases.find((x) => x.suite === 'roundtrip' && x.transport === transport);
    const columns = [
      ...(single === undefined ? [] : [single]),
      ...cases.filter((x) => x.suite === 'concurrency' && x.transport === transport),
    ];
    const cell = (name: string, c: Case) => {
      const get = figuresOf(results, c);
      if (get(name, 'p50') === undefined) return '-';
      return `${fmt(get(name, 'p50'))} / ${fmt(get(name, 'p99'))} / ${fmt(get(name, 'throughput'), 0)} (${ratio(get(name, 'throughput'), get(BASELINE, 'throughput'))})`;
    };
    const holders = names.filter((name) =>
      columns.slice(1).some((c) => figuresOf(results, c)(name, 'p50') !== undefined),
    );
    return [
      `### Many connections to one service (${transport} 128 B, one message in flight per connection): p50 µs / p99 µs / round trips per second (vs ${BASELINE})`,
      table(
        ['subject', ...columns.map((x) => `${x.connections} connection${x.connections === 1 ? '' : 's'}`)],
        holders.map((name) => [name, ...columns.map((c) => cell(name, c))]),
      ),
    ];
  });
}

function streamTables(results: Results, names: string[], cases: readonly Case[]): string[] {
  return cases
    .filter((x) => x.suite === 'stream')
    .flatMap((c) => {
      const get = figuresOf(results, c);
      const rounds = c.rounds ?? 1;
      const runs = rounds > 1 ? `; the median of ${rounds} runs, the subjects taking turns` : '';
      const range = (name: string) => {
        const low = get(name, THROUGHPUT_LOW);
        const high = get(name, THROUGHPUT_HIGH);
        return low === undefined || high === undefined ? '-' : `${fmt(low)} - ${fmt(high)}`;
      };
      return [
        `### One-way throughput (${caseLabel(c)}, ${c.count.toLocaleString('en-US')} messages after ${c.warmup.toLocaleString('en-US')} of warm-up${runs}; client CPU)`,
        table(
          [
            'subject',
            'messages/s',
            ...(rounds > 1 ? ['lowest - highest run'] : []),
            'MB/s',
            'CPU µs per message',
            `vs ${BASELINE} (hand-batched)`,
            ...garbageHead('message'),
          ],
          names.map((name) => [
            name,
            fmt(get(name, 'throughput')),
            ...(rounds > 1 ? [range(name)] : []),
            fmt(get(name, 'bandwidth')),
            fmt(get(name, 'cpu_per_message'), 3),
            ratio(get(name, 'throughput'), get(BASELINE, 'throughput')),
            ...garbageCells(get, name),
          ]),
        ),
      ];
    });
}

function rateTables(results: Results, names: string[], cases: readonly Case[]): string[] {
  return cases
    .filter((x) => x.suite === 'rate')
    .flatMap((c) => {
      const get = figuresOf(results, c);
      const ran = names.filter((name) => get(name, 'p50') !== undefined);
      return [
        `### Latency at a fixed offered rate (${caseLabel(c)}, ${c.count.toLocaleString('en-US')} messages, each timed from its scheduled send time)`,
        table(
          [
            'subject',
            'p50 µs',
            'p99 µs',
            'p99.9 µs',
            'max µs',
            `p50 vs ${BASELINE}`,
            `p99 vs ${BASELINE}`,
            ...garbageHead('message'),
          ],
          ran.map((name) => [
            name,
            fmt(get(name, 'p50')),
            fmt(get(name, 'p99')),
            fmt(get(name, 'p99.9')),
            fmt(get(name, 'max')),
            ratio(get(name, 'p50'), get(BASELINE, 'p50')),
            ratio(get(name, 'p99'), get(BASELINE, 'p99')),
            ...garbageCells(get, name),
          ]),
        ),
      ];
    });
}

function idleMemoryTables(results: Results, names: string[], cases: readonly Case[]): string[] {
  return cases
    .filter((x) => x.suite === 'idle')
    .flatMap((c) => {
      const get = figuresOf(results, c);
      // Memory can shrink between the two marks (a collection returns more than the connections take).
      const bytes = (value: number | undefined) =>
        value === undefined ? '-' : Math.round(value).toLocaleString('en-US');
      return [
        `### Service memory per idle connection (${c.transport}, ${c.connections.toLocaleString('en-US')} connections held open and silent by another process; growth from before they came, each after gc)`,
        table(
          ['subject', 'heap B per connection', 'RSS B per connection', `heap vs ${BASELINE}`, `RSS vs ${BASELINE}`],
          names
            .filter((name) => get(name, 'rss_per_connection') !== undefined)
            .map((name) => [
              name,
              bytes(get(name, 'heap_per_connection')),
              bytes(get(name, 'rss_per_connection')),
              ratio(get(name, 'heap_per_connection'), get(BASELINE, 'heap_per_connection')),
              ratio(get(name, 'rss_per_connection'), get(BASELINE, 'rss_per_connection')),
            ]),
        ),
      ];
    });
}

/** The subject the idle-pool table also compares with: the same pool with idle connections watched. */
const WATCHED = '@net/nonblocking';

function idlePoolTables(results: Results, names: string[], cases: readonly Case[]): string[] {
  return cases
    .filter((x) => x.suite === 'idle-pool')
    .flatMap((c) => {
      const get = figuresOf(results, c);
      return [
        `### Round trip on one connection beside ${c.idle.toLocaleString('en-US')} idle ones to the same service (${c.transport} ${c.size}B, ${c.count.toLocaleString('en-US')} round trips)`,
        table(
          [
            'subject',
            'p50 µs',
            'p99 µs',
            'p99.9 µs',
            'max µs',
            `p50 vs ${BASELINE}`,
            `p50 vs ${WATCHED} (idle connections handed to the broker)`,
          ],
          names
            .filter((name) => get(name, 'p50') !== undefined)
            .map((name) => [
              name,
              fmt(get(name, 'p50')),
              fmt(get(name, 'p99')),
              fmt(get(name, 'p99.9')),
              fmt(get(name, 'max')),
              ratio(get(name, 'p50'), get(BASELINE, 'p50')),
              ratio(get(name, 'p50'), get(WATCHED, 'p50')),
            ]),
        ),
      ];
    });
}

/**
 * The tables of a run, one per question, as Markdown; every one has its ratios to {@link BASELINE},
 * and every subject's garbage per message is in its own columns or in a garbage table.
 */
export function renderTables(results: Results, subjects: readonly Subject[], cases: readonly Case[]): string {
  const names = subjects.map((s) => s.name);
  const renderers = [
    roundTripTables,
    sizeTables,
    codecTables,
    concurrencyTables,
    streamTables,
    rateTables,
    idleMemoryTables,
    idlePoolTables,
    otherGarbageTables,
    garbageTables,
    threadsTables,
    heartbeatTable,
    serviceTables,
  ];
  const tables = renderers.flatMap((render) => render(results, names, cases));
  return tables.join('\n\n');
}
