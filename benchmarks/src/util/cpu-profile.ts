/**
 * Summarises a V8 CPU profile (`node --cpu-prof`, or `compare --profile DIR`): the functions
 * with the most self time, and self time per file.
 *
 *   node dist/util/cpu-profile.js FILE.cpuprofile [--top 20]
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Args, fixed, isMain } from './cli.js';

/** The parts of a `.cpuprofile` this summary reads. */
interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Self time of one function (or file). */
export interface SelfTime {
  readonly name: string;
  /** Self time in ms. */
  readonly ms: number;
  /** Share of all sampled time, 0 to 1. */
  readonly share: number;
}

/** Self time per function and per file of a profile, most first. */
export function summarizeProfile(profile: CpuProfile): { totalMs: number; functions: SelfTime[]; files: SelfTime[] } {
  const nodeKey = new Map<number, { fn: string; file: string }>();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    const file =
      url === ''
        ? '(native)'
        : url.includes('node_modules/.pnpm/')
          ? url.replace(/.*node_modules\/\.pnpm\/[^/]+\/node_modules\//, '')
          : url.replace(/^file:\/\/.*?\/(packages|benchmarks)\//, '$1/');
    const fn =
      `${functionName === '' ? '(anonymous)' : functionName} ${url === '' ? '' : `${basename(url)}:${lineNumber + 1}`}`.trim();
    // The pseudo-functions (idle), (program) and (garbage collector) have no file: keep them apart
    // from the native functions that do work.
    const pseudo = url === '' && functionName.startsWith('(');
    nodeKey.set(node.id, { fn, file: pseudo ? functionName : url.startsWith('node:') ? 'node: internals' : file });
  }
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    // A sample's time is the delta to the next sample.
    const delta = profile.timeDeltas[i + 1] ?? 0;
    const key = nodeKey.get(profile.samples[i]);
    if (key === undefined) continue;
    total += delta;
    byFunction.set(key.fn, (byFunction.get(key.fn) ?? 0) + delta);
    byFile.set(key.file, (byFile.get(key.file) ?? 0) + delta);
  }
  const sorted = (map: Map<string, number>): SelfTime[] =>
    [...map.entries()]
      .map(([name, us]) => ({ name, ms: us / 1000, share: total === 0 ? 0 : us / total }))
      .sort((a, b) => b.ms - a.ms);
  return { totalMs: total / 1000, functions: sorted(byFunction), files: sorted(byFile) };
}

function main(): void {
  const args = new Args(process.argv.slice(2), ['top']);
  const file = args.positional[0];
  if (file === undefined) {
    console.error('usage: cpu-profile FILE.cpuprofile [--top N]');
    process.exitCode = 2;
    return;
  }
  const top = args.integer('top', 20, 1);
  const summary = summarizeProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile);
  // Share of the time the process was not waiting in epoll: what the program itself cost.
  const busyMs = summary.totalMs - (summary.functions.find((s) => s.name === '(idle)')?.ms ?? 0);
  const busy = (s: SelfTime): string =>
    s.name === '(idle)' || busyMs <= 0 ? '' : `${fixed((s.ms / busyMs) * 100, 1)}%`;
  const row = (s: SelfTime): string =>
    `${fixed(s.ms, 1).padStart(9)} ms  ${fixed(s.share * 100, 1).padStart(5)}%  ${busy(s).padStart(6)}  ${s.name}`;
  console.log(
    `${basename(file)}: ${fixed(summary.totalMs, 1)} ms sampled, ${fixed(busyMs, 1)} ms of it busy (not idle)`,
  );
  console.log('  self time      all    busy  function');
  for (const s of summary.functions.slice(0, top)) console.log(row(s));
  console.log('  self time      all    busy  file');
  for (const s of summary.files.slice(0, Math.min(top, 12))) console.log(row(s));
}

if (isMain(import.meta.url)) main();
