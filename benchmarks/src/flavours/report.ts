/**
 * Figures, comparisons and the table of the flavour benchmarks. A *figure* is one number every
 * subject of a suite produces each round (p50 in µs, messages per second, heap bytes per
 * connection); a *comparison* puts a subject's median beside a baseline's median from the same run,
 * with the ratio of the two and the spread of the ratios of rounds run back to back.
 */
import { fixed } from '../util/cli.js';
import type { FlavourSubject, Suite } from './subjects.js';

/** One number each subject of a suite produces per round. */
export interface Figure<R> {
  readonly suite: Suite;
  /** Metric name in the JSON output, e.g. `p50`. */
  readonly metric: string;
  /** Row label, e.g. `round trip p50`. */
  readonly label: string;
  /** Unit in the table (`µs`) and in the JSON output (`us`). */
  readonly unit: string;
  readonly jsonUnit: string;
  /** Decimals in the table. */
  readonly digits: number;
  /** Which way is better, for the reader of the ratio. */
  readonly better: 'lower' | 'higher';
  /** The figure's value in one round. */
  readonly value: (round: R) => number;
}

/** A subject and its rounds, as every suite returns them. */
export interface SubjectRounds<R> {
  readonly subject: FlavourSubject;
  readonly rounds: readonly R[];
}

/** One figure of one subject beside the same figure of a baseline. */
export interface Comparison {
  readonly suite: Suite;
  readonly metric: string;
  readonly label: string;
  readonly unit: string;
  readonly jsonUnit: string;
  readonly digits: number;
  readonly better: 'lower' | 'higher';
  readonly subject: FlavourSubject;
  readonly baseline: FlavourSubject;
  /** Median over the rounds. */
  readonly value: number;
  readonly baselineValue: number;
  /** `value / baselineValue`. */
  readonly ratio: number;
  /** The ratio of each round (subject and baseline of the same round, run back to back). */
  readonly roundRatios: readonly number[];
}

/** The median of `values` (NaN for none). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The median of `figure` over the rounds of one subject. */
export function medianOf<R>(result: SubjectRounds<R>, figure: Figure<R>): number {
  return median(result.rounds.map(figure.value));
}

/** `subject` against `baseline` on every figure. */
export function compare<R>(subject: SubjectRounds<R>, baseline: SubjectRounds<R>, figures: readonly Figure<R>[]): Comparison[] {
  return figures.map((figure) => {
    const value = medianOf(subject, figure);
    const baselineValue = medianOf(baseline, figure);
    const count = Math.min(subject.rounds.length, baseline.rounds.length);
    const roundRatios: number[] = [];
    for (let i = 0; i < count; i++) roundRatios.push(figure.value(subject.rounds[i]!) / figure.value(baseline.rounds[i]!));
    return {
      suite: figure.suite,
      metric: figure.metric,
      label: figure.label,
      unit: figure.unit,
      jsonUnit: figure.jsonUnit,
      digits: figure.digits,
      better: figure.better,
      subject: subject.subject,
      baseline: baseline.subject,
      value,
      baselineValue,
      ratio: value / baselineValue,
      roundRatios,
    };
  });
}

/** `1.07x` */
export function times(ratio: number): string {
  return Number.isFinite(ratio) ? `${fixed(ratio, 2)}x` : '-';
}

function ratioRange(ratios: readonly number[]): string {
  if (ratios.length < 2) return '';
  const finite = ratios.filter(Number.isFinite);
  if (finite.length === 0) return '-';
  return `${fixed(Math.min(...finite), 2)}-${fixed(Math.max(...finite), 2)}`;
}

/** Lays out rows of cells in columns; `rightAligned[i]` for numeric columns. */
export function layoutTable(header: readonly string[], rows: readonly (readonly string[])[], rightAligned: readonly boolean[]): string[] {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => (rightAligned[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

/** The comparison table: one row per figure and subject, with its baseline beside it. */
export function comparisonTable(comparisons: readonly Comparison[]): string[] {
  const header = ['figure', 'subject', 'median', 'baseline', 'median', 'ratio', 'per round', 'better'];
  const rows = comparisons.map((c) => [
    `${c.label} (${c.unit})`,
    c.subject.id,
    fixed(c.value, c.digits),
    c.baseline.id,
    fixed(c.baselineValue, c.digits),
    times(c.ratio),
    ratioRange(c.roundRatios),
    c.better,
  ]);
  return layoutTable(header, rows, [false, false, true, false, true, true, true, false]);
}

/** One line of the JSON output. */
export interface JsonLine {
  readonly suite: string;
  readonly subject: string;
  readonly case: string;
  readonly metric: string;
  readonly value: number;
  readonly unit: string;
}
