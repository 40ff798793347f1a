import { type Case, caseLabel, type Subject } from './cases.js';
import type { Results } from './results.js';

const BASELINE = 'node:net';

function fmt(value: number | undefined, digits = 1): string {
  if (value === undefined) return '-';
  return value >= 10_000 ? Math.round(value).toLocaleString('en-US') : value.toFixed(digits);
}

function ratio(value: number | undefined, base: number | undefined): string {
  return value === undefined || base === undefined ? '-' : `${(value / base).toFixed(2)}x`;
}

/** The transports a suite ran over, in case order. */
function transportsOf(cases: readonly Case[], suite: Case['suite']): string[] {
  return [...new Set(cases.filter((x) => x.suite === suite).map((x) => x.transport))];
}

/** A Markdown table (it reads as text in a terminal too). */
function table(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

/** The tables of a run, one per question, as Markdown. */
export function renderTables(results: Results, subjects: readonly Subject[], cases: readonly Case[]): string {
  const out: string[] = [];
  const names = subjects.map((s) => s.name);
  for (const c of cases.filter((x) => x.suite === 'roundtrip')) {
    const label = caseLabel(c);
    const base = results.get(BASELINE, 'roundtrip', label, 'p50');
    out.push(`### Round trip, one message at a time (${label}, ${c.count.toLocaleString('en-US')} round trips)`);
    out.push(
      table(
        ['subject', 'p50 µs', 'p99 µs', 'p99.9 µs', 'max µs', 'CPU µs per round trip', `p50 vs ${BASELINE}`],
        names.map((name) => {
          const get = (metric: string) => results.get(name, 'roundtrip', label, metric);
          return [name, fmt(get('p50')), fmt(get('p99')), fmt(get('p99.9')), fmt(get('max')), fmt(get('cpu_per_message'), 2), ratio(get('p50'), base)];
        }),
      ),
    );
  }
  for (const transport of transportsOf(cases, 'sizes')) {
    const sizeCases = cases.filter((x) => x.transport === transport && (x.suite === 'sizes' || x.suite === 'roundtrip')).sort((a, b) => a.size - b.size);
    out.push(`### Round trip p50 µs by message size (${transport})`);
    out.push(table(['subject', ...sizeCases.map((x) => `${x.size} B`)], names.map((name) => [name, ...sizeCases.map((x) => fmt(results.get(name, x.suite, caseLabel(x), 'p50')))])));
  }
  for (const transport of transportsOf(cases, 'codecs')) {
    const codecCases = cases.filter((x) => x.suite === 'codecs' && x.transport === transport);
    const bytesCase = cases.find((x) => x.suite === 'roundtrip' && x.transport === transport);
    const columns = [...(bytesCase === undefined ? [] : [{ head: 'bytes (128 B)', suite: 'roundtrip' as const, label: caseLabel(bytesCase) }]), ...codecCases.map((x) => ({ head: `${x.codec} (an order message)`, suite: 'codecs' as const, label: caseLabel(x) }))];
    out.push(`### Round trip p50 µs by codec (${transport}, the flavours)`);
    out.push(table(['subject', ...columns.map((col) => col.head)], names.filter((name) => name.startsWith('@net/')).map((name) => [name, ...columns.map((col) => fmt(results.get(name, col.suite, col.label, 'p50')))])));
  }
  for (const transport of transportsOf(cases, 'concurrency')) {
    const manyCases = cases.filter((x) => x.suite === 'concurrency' && x.transport === transport);
    out.push(`### Many connections to one service (${transport} 128B, one message in flight per connection): p50 µs / p99 µs / round trips per second`);
    out.push(
      table(
        ['subject', ...manyCases.map((x) => `${x.connections} connections`)],
        names.map((name) => [
          name,
          ...manyCases.map((x) => {
            const get = (metric: string) => results.get(name, 'concurrency', caseLabel(x), metric);
            return get('p50') === undefined ? '-' : `${fmt(get('p50'))} / ${fmt(get('p99'))} / ${fmt(get('throughput'), 0)}`;
          }),
        ]),
      ),
    );
  }
  for (const c of cases.filter((x) => x.suite === 'stream')) {
    const label = caseLabel(c);
    const base = results.get(BASELINE, 'stream', label, 'throughput');
    out.push(`### One-way throughput (${label}, ${c.count.toLocaleString('en-US')} messages)`);
    out.push(
      table(
        ['subject', 'messages/s', 'MB/s', 'CPU µs per message', `vs ${BASELINE} (hand-batched)`],
        names.map((name) => {
          const get = (metric: string) => results.get(name, 'stream', label, metric);
          return [name, fmt(get('throughput')), fmt(get('bandwidth')), fmt(get('cpu_per_message'), 3), ratio(get('throughput'), base)];
        }),
      ),
    );
  }
  for (const c of cases.filter((x) => x.suite === 'rate')) {
    const label = caseLabel(c);
    out.push(`### Latency at a fixed offered rate (${label}, from each message's scheduled send time)`);
    out.push(
      table(
        ['subject', 'p50 µs', 'p99 µs', 'p99.9 µs', 'max µs'],
        names.map((name) => {
          const get = (metric: string) => results.get(name, 'rate', label, metric);
          return [name, fmt(get('p50')), fmt(get('p99')), fmt(get('p99.9')), fmt(get('max'))];
        }),
      ),
    );
  }
  return out.join('\n\n');
}

/** The goals of the comparison, each MET, NOT MET or NOT MEASURED in this run. */
export function renderGoals(results: Results, cases: readonly Case[]): string[] {
  const roundtrip = cases.find((x) => x.suite === 'roundtrip');
  const stream = cases.find((x) => x.suite === 'stream');
  const lines: string[] = [];
  const verdict = (what: string, value: number | undefined, limit: number, atMost: boolean): void => {
    if (value === undefined) {
      lines.push(`goal: ${what}: NOT MEASURED in this run`);
      return;
    }
    const met = atMost ? value <= limit : value >= limit;
    lines.push(`goal: ${what}: ${met ? 'MET' : 'NOT MET'} (${value.toFixed(2)}x)`);
  };
  if (roundtrip !== undefined) {
    const p50 = (name: string) => results.get(name, 'roundtrip', caseLabel(roundtrip), 'p50');
    const over = (a: string, b: string) => (p50(a) === undefined || p50(b) === undefined ? undefined : p50(a)! / p50(b)!);
    verdict('@net/nonblocking p50 within 1.3x of C busy-poll', over('@net/nonblocking', 'C busy-poll'), 1.3, true);
    verdict('@net/blocking p50 within 1.1x of C blocking', over('@net/blocking', 'C blocking'), 1.1, true);
    verdict('@net/async p50 within 1.05x of node:net', over('@net/async', 'node:net'), 1.05, true);
    for (const flavour of ['@net/nonblocking', '@net/blocking', '@net/async']) verdict(`${flavour} round trip at least 5x faster than zeromq.js`, over('zeromq.js', flavour), 5, false);
  }
  if (stream !== undefined) {
    const rate = (name: string) => results.get(name, 'stream', caseLabel(stream), 'throughput');
    const over = (a: string, b: string) => (rate(a) === undefined || rate(b) === undefined ? undefined : rate(a)! / rate(b)!);
    for (const flavour of ['@net/nonblocking', '@net/blocking', '@net/async']) verdict(`${flavour} throughput at least 20x zeromq.js`, over(flavour, 'zeromq.js'), 20, false);
    for (const flavour of ['@net/async', '@net/nonblocking']) verdict(`${flavour} throughput at least hand-batched node:net`, over(flavour, 'node:net'), 1, false);
  }
  return lines;
}
