import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { machineLine } from '../util/cli.js';
import type { Case, Depth, Subject } from './cases.js';
import { renderChart } from './chart.js';
import { judgeGoals, renderGoals } from './goals.js';
import type { Results } from './results.js';
import { BASELINE, renderTables } from './tables.js';

/** What a finished run reports about itself. */
export interface RunInfo {
  readonly depth: Depth;
  readonly subjects: readonly Subject[];
  readonly cases: readonly Case[];
  /** Things the reader must know (a subject skipped, ...). */
  readonly notes: readonly string[];
  readonly seconds: number;
  /** The 1-minute load average when the run began: how shared the machine was. */
  readonly loadAtStart: number;
}

/** The load line: other work on the machine shows in every absolute figure, not in the ratios. */
function loadLine(info: RunInfo): string {
  return `load average (1 min) ${info.loadAtStart.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end`;
}

/**
 * How the round trips were warmed up: the same for every subject, said in the header because it
 * decides what the tails hold (a JIT's compilations at start, or not).
 */
function warmupLines(cases: readonly Case[]): string[] {
  const roundTrip = cases.find((c) => c.suite === 'roundtrip');
  if (roundTrip === undefined) return [];
  return [
    `Warm-up: every subject, C included, makes as many round trips before the measured ones as it measures (${roundTrip.warmup.toLocaleString('en-US')} here), not recorded, so that the tails are the steady state's and not a JIT compiling the loop at start.`,
    '',
  ];
}

/**
 * The run's summary as Markdown: header (machine, idle strategies, load), one table per question,
 * the goals as MET / NOT MET, and what did not run and why.
 */
export function renderSummary(results: Results, info: RunInfo): string {
  const strategies = info.subjects
    .filter((s) => s.idleStrategy !== undefined)
    .map(
      (s) =>
        `- ${s.name}: ${s.idleStrategy}${s.reportsIoPath === true ? `; ${ioPathText(results.ioPaths.get(s.name))}` : ''}`,
    );
  const skipped = results.skipped.map((s) => `- ${s.subject}, ${s.case}: ${s.why}`);
  const retried = results.retried.map(
    (s) => `- ${s.subject}, ${s.case}: the first attempt failed (${s.why}); the figures are the second's`,
  );
  const shortened = results.shortened.map(
    (s) =>
      `- ${s.subject}, ${s.case}: ${s.measured.toLocaleString('en-US')} of ${s.asked.toLocaleString('en-US')} messages`,
  );
  return [
    `# @net flavour comparison (${info.depth} run, ${info.seconds.toFixed(0)} s)`,
    '',
    `machine: ${machineLine()}; ${loadLine(info)}`,
    '',
    `Client and server in separate processes; every ratio is against ${BASELINE} with hand-written framing in this same run. CPU figures are the client process's.`,
    '',
    ...warmupLines(info.cases),
    'Idle strategy of the spinning subjects (the others park in the kernel or the event loop):',
    '',
    ...(strategies.length > 0 ? strategies : ['- none in this run']),
    ...info.notes.map((note) => `\nnote: ${note}`),
    '',
    renderTables(results, info.subjects, info.cases),
    '',
    '## Goals',
    '',
    ...goalLines(results, info.cases),
    ...(shortened.length > 0
      ? ['', '## Ended by the time budget of a case (the machine was busy)', '', ...shortened]
      : []),
    ...(retried.length > 0 ? ['', '## Run twice (a peer process failed the first time)', '', ...retried] : []),
    ...(skipped.length > 0 ? ['', '## Not run', '', ...skipped] : []),
  ].join('\n');
}

/** What I/O path the clients measured through, as their connections reported it. */
function ioPathText(paths: readonly string[] | undefined): string {
  const names: Record<string, string> = { wasi: "Node's WASI fd_read/fd_write", fs: 'fs.readSync/writeSync' };
  // A client on the C library reports the interface it reached it through: bun:ffi, node:ffi, deno:ffi.
  const named = (path: string) =>
    names[path] ?? (path.endsWith(':ffi') ? `the C library's recv/send, called directly (${path})` : path);
  if (paths === undefined) return 'non-blocking I/O path not reported in this run';
  return `non-blocking I/O through ${paths.map(named).join(' and ')}${process.env.NET_SYNC_READ === 'fs' ? ' (NET_SYNC_READ=fs)' : ''}`;
}

/** The goals as list items; the idle suites judge none, so a run of only those says so. */
function goalLines(results: Results, cases: readonly Case[]): string[] {
  const lines = renderGoals(judgeGoals(results, cases)).map((g) => `- ${g}`);
  return lines.length > 0
    ? lines
    : ['- none: the goals are judged on the round-trip and stream suites, which this run left out'];
}

/** Prints the summary and writes `results.jsonl`, `summary.md` and `compare.svg` into `outDir`. */
export function writeReport(results: Results, info: RunInfo, outDir: string): void {
  const text = renderSummary(results, info);
  console.log(text);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'results.jsonl'), results.toJsonLines());
  writeFileSync(join(outDir, 'summary.md'), text + '\n');
  writeFileSync(
    join(outDir, 'compare.svg'),
    renderChart(results, info.subjects, info.cases, `${info.depth} run, ${machineLine()}`),
  );
  process.stderr.write(`wrote results.jsonl, summary.md and compare.svg to ${outDir}\n`);
}
