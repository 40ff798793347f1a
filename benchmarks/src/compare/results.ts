import { type Case, caseLabel, type Suite } from './cases.js';
import type { ClientResult } from './protocol.js';

/** Bytes allocated on the client's JS heap per message measured (a round trip counts as one). */
export const ALLOCATED = 'allocated_per_message';
/** The client's young-generation collections per million messages measured. */
export const YOUNG_GCS = 'young_gcs_per_million';

/** The lowest throughput of a case run in rounds (the median is `throughput`). */
export const THROUGHPUT_LOW = 'throughput_low';
/** The highest throughput of a case run in rounds. */
export const THROUGHPUT_HIGH = 'throughput_high';
/** How many runs of a case run in rounds finished. */
export const ROUNDS = 'rounds';

/** One figure, as written to the results file (one JSON object per line). */
export interface Figure {
  readonly suite: Suite;
  readonly subject: string;
  readonly case: string;
  readonly metric: string;
  readonly value: number;
  readonly unit: string;
}

/** Every figure of a run, and the lookups the tables need. */
export class Results {
  readonly figures: Figure[] = [];
  /** Subject/case pairs that did not run, with why. */
  readonly skipped: { subject: string; case: string; why: string }[] = [];
  /** Subject/case pairs whose first attempt failed and which ran again, with the first failure. */
  readonly retried: { subject: string; case: string; why: string }[] = [];
  /** The I/O paths each subject's clients reported, in the order first seen. */
  readonly ioPaths = new Map<string, string[]>();
  /** Subject/case pairs whose time budget ended them before their count (a loaded machine). */
  readonly shortened: { subject: string; case: string; measured: number; asked: number }[] = [];

  /** Records a client's result for `subject` on `c`. */
  add(subject: string, c: Case, result: ClientResult, asked: number): void {
    const label = caseLabel(c);
    if (result.ioPath !== undefined) {
      const seen = this.ioPaths.get(subject) ?? [];
      if (!seen.includes(result.ioPath)) this.ioPaths.set(subject, [...seen, result.ioPath]);
    }
    if (result.count < asked)
      this.shortened.push({ subject, case: `${c.suite} ${label}`, measured: result.count, asked });
    const put = (metric: string, value: number | undefined, unit: string) => {
      if (value !== undefined && Number.isFinite(value))
        this.figures.push({ suite: c.suite, subject, case: label, metric, value, unit });
    };
    if (c.mode === 'hold') {
      put('heap_per_connection', result.heapPerConnection, 'B');
      put('rss_per_connection', result.rssPerConnection, 'B');
      return;
    }
    // Per message measured; a runtime without a counter gets no figure, which the tables print as n/a.
    if (result.allocatedBytes !== undefined) put(ALLOCATED, result.allocatedBytes / result.count, 'B');
    if (result.youngGcs !== undefined) put(YOUNG_GCS, (result.youngGcs / result.count) * 1e6, 'per 1M messages');
    if (c.mode === 'stream') {
      const seconds = result.elapsedUs! / 1e6;
      put('throughput', result.count / seconds, 'msg/s');
      put('bandwidth', (result.count * (c.size + 4)) / seconds / 1e6, 'MB/s');
      put('cpu_per_message', (result.cpuSeconds / result.count) * 1e6, 'µs');
      return;
    }
    if (c.suite === 'concurrency') put('throughput', result.roundTripsPerSecond, 'round trips/s');
    // One connection's round trips per second (the first column of the many-connection table).
    else if (c.mode === 'pingpong' && result.elapsedUs !== undefined)
      put('throughput', result.count / (result.elapsedUs / 1e6), 'round trips/s');
    put('p50', result.p50, 'µs');
    put('p99', result.p99, 'µs');
    put('p99.9', result.p999, 'µs');
    put('max', result.max, 'µs');
    put('cpu_per_message', (result.cpuSeconds / result.count) * 1e6, 'µs');
  }

  /**
   * Records a stream case run in rounds: the run with the median throughput as {@link add} records
   * one (the lower of the middle two for an even count), and beside it the lowest and highest
   * throughput of all the runs and how many there were.
   */
  addRounds(subject: string, c: Case, runs: readonly ClientResult[], asked: number): void {
    const rate = (run: ClientResult) => run.count / (run.elapsedUs! / 1e6);
    const sorted = [...runs].sort((a, b) => rate(a) - rate(b));
    const median = sorted[(sorted.length - 1) >> 1];
    if (median === undefined) return;
    this.add(subject, c, median, asked);
    if (c.mode !== 'stream' || sorted.length < 2) return;
    const put = (metric: string, value: number, unit: string) =>
      this.figures.push({ suite: c.suite, subject, case: caseLabel(c), metric, value, unit });
    put(THROUGHPUT_LOW, rate(sorted[0]), 'msg/s');
    put(THROUGHPUT_HIGH, rate(sorted.at(-1)!), 'msg/s');
    put(ROUNDS, sorted.length, 'runs');
  }

  /** A figure, or undefined when it was not measured. */
  get(subject: string, suite: Suite, label: string, metric: string): number | undefined {
    return this.figures.find(
      (f) => f.subject === subject && f.suite === suite && f.case === label && f.metric === metric,
    )?.value;
  }

  /** The results file's text. */
  toJsonLines(): string {
    return this.figures.map((figure) => JSON.stringify(figure)).join('\n') + '\n';
  }
}
