import { type Case, caseLabel, type Suite } from './cases.js';
import type { Results } from './results.js';

/** The subject every ratio is taken against, in the same run. */
export const BASELINE = 'node:net';

/** A figure for a table: `-` when not measured, whole numbers from 10,000 up. */
export function fmt(value: number | undefined, digits = 1): string {
  if (value === undefined) return '-';
  return value >= 10_000 ? Math.round(value).toLocaleString('en-US') : value.toFixed(digits);
}

/** `1.23x`, or `-` when either side was not measured. */
export function ratio(value: number | undefined, base: number | undefined): string {
  return value === undefined || base === undefined ? '-' : `${(value / base).toFixed(2)}x`;
}

/** A value with its ratio to the baseline: `23.9 (0.60x)`. */
export function withRatio(value: number | undefined, base: number | undefined, digits = 1): string {
  return value === undefined ? '-' : `${fmt(value, digits)} (${ratio(value, base)})`;
}

/** The transports a suite ran over, in case order. */
export function transportsOf(cases: readonly Case[], suite: Suite): string[] {
  return [...new Set(cases.filter((x) => x.suite === suite).map((x) => x.transport))];
}

/** A Markdown table (it reads as text in a terminal too). */
export function table(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

/** One case's figures: a subject's metric, or undefined when it was not measured. */
export type Get = (subject: string, metric: string) => number | undefined;

/** The lookup of one case's figures. */
export function figuresOf(results: Results, c: Case): Get {
  return (subject, metric) => results.get(subject, c.suite, caseLabel(c), metric);
}
