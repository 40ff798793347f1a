import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Figure } from '../compare/results.js';
import { compiledProgram, ensureCompiled } from './compiled.js';

/** What one run of the comparison program left: its output, its exit and its figures. */
export interface ComparisonRun {
  /** The process id it ran as (to check it left no process behind). */
  readonly pid: number;
  /** Its exit status; `null` when it was killed (its time ran out). */
  readonly status: number | null;
  /** Standard output: the tables. */
  readonly printed: string;
  /** Standard error: progress and notes. */
  readonly progress: string;
  /** Every figure of `results.jsonl`; empty when the run wrote none. */
  readonly figures: Figure[];
}

/**
 * Runs the comparison with `args` into `out`, compiling it first where needed, and reads back
 * what it wrote. For the harness's own tests, which check what a quick run produced.
 */
export function runComparison(args: readonly string[], out: string, timeoutMs: number): ComparisonRun {
  ensureCompiled();
  const run = spawnSync(process.execPath, [compiledProgram('compare/compare'), ...args, '--out', out], {
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  let figures: Figure[] = [];
  try {
    figures = readFileSync(join(out, 'results.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Figure);
  } catch {
    // No results file: the status and the progress say why.
  }
  return { pid: run.pid ?? 0, status: run.status, printed: run.stdout, progress: run.stderr, figures };
}
