import { type Case, caseLabel, type Suite } from './cases.js';
import { ALLOCATED, type Results, YOUNG_GCS } from './results.js';
import { figuresOf, fmt, type Get, table } from './table-format.js';

/** The two garbage columns' heads, for a message called `message` (a round trip, a message). */
export function garbageHead(message: string): string[] {
  return [`allocated B per ${message}`, `young GCs per 1M ${message}s`];
}

/** True when `name` ran the case `get` looks into (every run has one of these figures). */
const ran = (get: Get, name: string) =>
  get(name, 'p50') !== undefined || get(name, 'throughput') !== undefined || get(name, ALLOCATED) !== undefined;

/**
 * The two garbage cells of a subject on a case: `-` when it did not run it, `n/a` when it ran on a
 * runtime with no counter for the figure (never 0, which would claim no garbage).
 */
export function garbageCells(get: Get, name: string): string[] {
  if (!ran(get, name)) return ['-', '-'];
  const bytes = get(name, ALLOCATED);
  const young = get(name, YOUNG_GCS);
  return [bytes === undefined ? 'n/a' : fmt(bytes, 0), young === undefined ? 'n/a' : fmt(young, 1)];
}

/** The note under every garbage figure: whose garbage it is, and why C's is 0. */
const WHOSE =
  "the client process's, over the measured part, from its runtime's own counters; the C program has no collector and allocates nothing per message, so 0 by construction";

/** What a garbage case's round trips carry, in its column heads: the bytes, or the order's decoding. */
const CARRIES: Record<string, string> = { struct: 'struct-object', 'struct-view': 'struct-view' };

/**
 * The garbage suite: per transport, the bytes round trips, the struct order's round trips decoded
 * as objects and as views beside them, and the stream; garbage per message only.
 */
export function garbageTables(results: Results, names: string[], cases: readonly Case[]): string[] {
  const garbage = cases.filter((x) => x.suite === 'garbage');
  return [...new Set(garbage.map((x) => x.transport))].flatMap((transport) => {
    const ours = garbage.filter((x) => x.transport === transport);
    const columns = [
      ...ours
        .filter((x) => x.mode === 'pingpong')
        .map((c) => ({ c, head: garbageHead(`${CARRIES[c.codec] ?? 'bytes'} round trip`) })),
      ...ours.filter((x) => x.mode === 'stream').map((c) => ({ c, head: garbageHead('streamed message') })),
    ];
    const counts = [
      ...new Set(
        columns.map(
          ({ c }) => `${c.count.toLocaleString('en-US')} ${c.mode === 'stream' ? 'streamed messages' : 'round trips'}`,
        ),
      ),
    ];
    const sized = columns.find(({ c }) => c.codec === 'bytes') ?? columns[0];
    return [
      `### Garbage per message (${transport} ${sized.c.size}B bytes and the ${sized.c.size}B struct order, up to ${counts.join(' and ')}; ${WHOSE})`,
      table(
        ['subject', ...columns.flatMap((col) => col.head)],
        names
          .filter((name) => columns.some(({ c }) => ran(figuresOf(results, c), name)))
          .map((name) => [name, ...columns.flatMap(({ c }) => garbageCells(figuresOf(results, c), name))]),
      ),
    ];
  });
}

/** The suites whose tables have no room for the garbage columns: theirs is in one table per transport. */
const ELSEWHERE: readonly Suite[] = ['sizes', 'codecs', 'concurrency', 'idle-pool'];

/** The garbage of the suites in {@link ELSEWHERE}, one column per case: `B per message / young GCs per 1M`. */
export function otherGarbageTables(results: Results, names: string[], cases: readonly Case[]): string[] {
  const others = cases.filter((x) => ELSEWHERE.includes(x.suite));
  return [...new Set(others.map((x) => x.transport))].flatMap((transport) => {
    const columns = others.filter((x) => x.transport === transport);
    const cell = (name: string, c: Case) => garbageCells(figuresOf(results, c), name).join(' / ');
    return [
      `### Garbage in the other suites (${transport}; allocated B per message / young GCs per 1M messages, a round trip counting as one; ${WHOSE})`,
      table(
        ['subject', ...columns.map((c) => `${c.suite} ${caseLabel(c).replace(`${transport} `, '')}`)],
        names
          .filter((name) => columns.some((c) => ran(figuresOf(results, c), name)))
          .map((name) => [name, ...columns.map((c) => cell(name, c))]),
      ),
    ];
  });
}
