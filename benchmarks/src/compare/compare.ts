import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Args, machineLine } from '../util/cli.js';
import { type Case, caseLabel, casesFor, type Depth, SUBJECTS, type Subject } from './cases.js';
import { renderChart } from './chart.js';
import type { Transport } from './protocol.js';
import { Results } from './results.js';
import { runCase } from './run-case.js';
import { renderGoals, renderTables } from './tables.js';
import { cProgram } from '../util/c-program.js';

/**
 * The flavour comparison, the project's main benchmark: every subject (the three flavours, plain
 * node:net with hand-written framing, a C program blocking and busy-polling, zeromq.js) on round
 * trips over TCP and a Unix socket, message sizes, a one-way stream and a fixed offered rate, each
 * client and server in processes of their own, side by side in one run.
 *
 *   compare [--quick | --full] [--subjects a,b] [--sizes 32,128] [--transports tcp,unix] [--out DIR]
 *
 * Prints progress to stderr and the tables to stdout; writes `results.jsonl` (one figure per line),
 * `compare.svg` and `summary.md` into DIR (default benchmarks/results/latest).
 */
const here = dirname(fileURLToPath(import.meta.url));
const packageRoot = join(here, '..', '..');
const args = new Args(process.argv.slice(2), ['subjects', 'sizes', 'transports', 'out']);
args.rejectUnknown(['quick', 'full', 'subjects', 'sizes', 'transports', 'out']);
const depth: Depth = args.flag('quick') ? 'quick' : args.flag('full') ? 'full' : 'default';
const list = (name: string) => args.string(name)?.split(',').map((item) => item.trim()).filter((item) => item !== '');
const transports = (list('transports') ?? ['tcp', 'unix']) as Transport[];
for (const transport of transports) if (transport !== 'tcp' && transport !== 'unix') throw new Error(`unknown transport ${transport}`);
const sizes = (list('sizes') ?? ['32', '128', '1024', '65536']).map(Number);
const outDir = resolve(args.string('out') ?? join(packageRoot, 'results', 'latest'));
const wanted = list('subjects');

function chooseSubjects(c: string | undefined): { subjects: Subject[]; notes: string[] } {
  const notes: string[] = [];
  let subjects = SUBJECTS.filter((s) => wanted === undefined || wanted.some((w) => s.name.toLowerCase().includes(w.toLowerCase())));
  if (c === undefined && subjects.some((s) => 'c' in s.kind)) {
    notes.push('no C compiler found (cc): the C rows are skipped');
    subjects = subjects.filter((s) => !('c' in s.kind));
  }
  return { subjects, notes };
}

async function main(): Promise<void> {
  const c = cProgram();
  const { subjects, notes } = chooseSubjects(c);
  const cases = casesFor(depth, transports, sizes);
  const results = new Results();
  const programs = { peer: join(here, 'peer.js'), c };
  const started = performance.now();
  const total = cases.length * subjects.length;
  let done = 0;
  for (const testCase of cases) {
    for (const subject of subjects) {
      done++;
      const why = subject.cannot?.[testCase.suite];
      const label = `${testCase.suite} ${caseLabel(testCase)}`;
      if (why !== undefined) {
        results.skipped.push({ subject: subject.name, case: label, why });
        continue;
      }
      process.stderr.write(`[${done}/${total}] ${label}: ${subject.name} ... `);
      try {
        const result = await runCase(subject, testCase, programs);
        results.add(subject.name, testCase, result);
        process.stderr.write('done\n');
      } catch (error) {
        results.skipped.push({ subject: subject.name, case: label, why: `failed: ${(error as Error).message}` });
        process.stderr.write('FAILED\n');
      }
    }
  }
  report(results, subjects, cases, notes, (performance.now() - started) / 1000);
}

function report(results: Results, subjects: Subject[], cases: Case[], notes: string[], seconds: number): void {
  const machine = machineLine();
  const strategies = subjects.filter((s) => s.idleStrategy !== undefined).map((s) => `${s.name}: ${s.idleStrategy}`);
  const header = [
    `# @net flavour comparison (${depth} run, ${seconds.toFixed(0)} s)`,
    '',
    `machine: ${machine}`,
    `idle strategy of the spinning subjects: ${strategies.join(', ') || 'none'}`,
    'client and server in separate processes; ratios are against node:net with hand-written framing, in this run',
    ...notes.map((note) => `note: ${note}`),
  ];
  const skipped = results.skipped.map((s) => `- ${s.subject}, ${s.case}: ${s.why}`);
  const goals = renderGoals(results, cases);
  const text = [...header, '', renderTables(results, subjects, cases), '', '## Goals', '', ...goals.map((g) => `- ${g}`), ...(skipped.length > 0 ? ['', '## Not run', '', ...skipped] : [])].join('\n');
  console.log(text);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'results.jsonl'), results.toJsonLines());
  writeFileSync(join(outDir, 'summary.md'), text + '\n');
  writeFileSync(join(outDir, 'compare.svg'), renderChart(results, subjects, cases, `${depth} run, ${machine}`));
  process.stderr.write(`wrote results.jsonl, summary.md and compare.svg to ${outDir}\n`);
}

await main();
