import { mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { socketHostKind } from '@net/sync';
import { type OtherRuntime, otherRuntime, type OtherRuntimeName } from '../util/other-runtime.js';
import { cProgram } from '../util/c-program.js';
import { Args } from '../util/cli.js';
import {
  BUDGET_MS,
  type Case,
  caseLabel,
  casesFor,
  DEFAULT_SUITES,
  type Depth,
  IDLE_CONNECTIONS,
  ON_REQUEST_SUITES,
  runsAny,
  whyNotRun,
  scaledFor,
  SUBJECTS,
  type Subject,
  type Suite,
} from './cases.js';
import { idleBudget } from './idle-budget.js';
import type { ClientResult, Transport } from './protocol.js';
import { writeReport } from './report.js';
import { Results } from './results.js';
import { endAllPeers, type Programs, runCase } from './run-case.js';
import { runHeartbeatRow } from './threads-heartbeat.js';
import { runThreadsSuite, threadCases } from './threads-suite.js';

/**
 * The flavour comparison, the project's only harness of whole programs: every subject (the three
 * flavours, plain node:net with hand-written framing, a C program blocking and busy-polling,
 * zeromq.js) on round trips over TCP and a Unix socket, message sizes, codecs, many connections, a
 * one-way stream and fixed offered rates, each client and server in processes of their own, side by
 * side in one run, with the garbage each client made per message beside its times. On request
 * (`--suites idle,idle-pool,garbage,threads`) it also measures the service's memory per idle
 * connection, a round trip on one connection among many idle ones to the same service, the garbage
 * of a long ping-pong and stream, and one connection read on another thread (a worker that adopted
 * the receiver, a PollerThread into an inbox) beside the same thread and a postMessage relay.
 *
 *   compare [--quick | --full] [--subjects ID,...] (ids in cases.ts: nonblocking, blocking, async, net, their -bun and -deno rows, nonblocking-broker, c-poll, c-block, zeromq, ...)
 *           [--sizes 32,128,1024,65536] [--transports tcp,unix]
 *           [--suites roundtrip,sizes,codecs,concurrency,stream,rate,idle,idle-pool,garbage,threads] [--out DIR] [--profile DIR]
 *
 * Prints progress to stderr and the tables to stdout; writes `results.jsonl` (one figure per line),
 * `compare.svg` and `summary.md` into DIR (default benchmarks/results/latest). `--profile DIR`
 * runs every Node and Bun peer with `--cpu-prof` and leaves one profile per process in DIR (read
 * them with `node dist/util/cpu-profile.js FILE`).
 */
const here = dirname(fileURLToPath(import.meta.url));
const packageRoot = join(here, '..', '..');
/** Attempts of one case before it counts as failed. */
const CASE_ATTEMPTS = 2;
const VALUED = ['subjects', 'sizes', 'transports', 'suites', 'out', 'profile'];
const USAGE = `usage: compare [--quick | --full] [--subjects ID,...] (ids in cases.ts: nonblocking, blocking, async, net, their -bun and -deno rows, nonblocking-broker, c-poll, c-block, zeromq, ...)
               [--sizes 32,128,1024,65536] [--transports tcp,unix]
               [--suites roundtrip,sizes,codecs,concurrency,stream,rate,idle,idle-pool,garbage,threads] [--out DIR] [--profile DIR]
  --quick     seconds: small counts, a smoke test of the harness (asserts nothing about speed)
  --full      every suite over every transport, larger counts
  --suites    default ${DEFAULT_SUITES.join(',')}; idle (service memory per idle connection),
              idle-pool (a round trip beside idle connections to the same service), garbage
              (garbage per message over a long ping-pong and stream) and threads (a connection's
              reads on another thread: adopted receiver, PollerThread, postMessage relay) run when named
  --out DIR   where results.jsonl, summary.md and compare.svg go (default results/latest)
  --profile DIR  run every Node and Bun peer with --cpu-prof, one profile per process in DIR`;
/** A command line this program cannot run: said in one line with the usage, exit status 2. */
function usageError(message: string): never {
  console.error(`compare: ${message}\n${USAGE}`);
  process.exit(2);
}
let parsed: Args;
try {
  parsed = new Args(process.argv.slice(2), VALUED);
  if (parsed.flag('help')) {
    console.log(USAGE);
    process.exit(0);
  }
  parsed.rejectUnknown(['quick', 'full', ...VALUED]);
} catch (error) {
  usageError((error as Error).message);
}
const args = parsed;
const depth: Depth = args.flag('quick') ? 'quick' : args.flag('full') ? 'full' : 'default';
const list = (name: string) =>
  args
    .string(name)
    ?.split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
const transports = (list('transports') ?? ['tcp', 'unix']) as Transport[];
for (const transport of transports)
  if (transport !== 'tcp' && transport !== 'unix') usageError(`unknown transport ${transport} (tcp, unix)`);
if (transports.length === 0) usageError('--transports names none');
const sizes = (list('sizes') ?? ['32', '128', '1024', '65536']).map(Number);
for (const size of sizes)
  if (!Number.isSafeInteger(size) || size < 1 || size > 1 << 20)
    usageError(`--sizes takes byte counts from 1 to 1 MiB, got ${size}`);
const suites = (list('suites') ?? DEFAULT_SUITES) as Suite[];
for (const suite of suites)
  if (!DEFAULT_SUITES.includes(suite) && !ON_REQUEST_SUITES.includes(suite))
    usageError(`unknown suite ${suite} (${[...DEFAULT_SUITES, ...ON_REQUEST_SUITES].join(', ')})`);
const outDir = resolve(args.string('out') ?? join(packageRoot, 'results', 'latest'));
const profileDir = args.string('profile') === undefined ? undefined : resolve(args.string('profile')!);

/**
 * The subjects asked for (by id or full name) that run at least one of the cases, less the C ones
 * when no compiler could build them.
 */
function chooseSubjects(
  c: string | undefined,
  runtimes: Readonly<Record<OtherRuntimeName, OtherRuntime | undefined>>,
  cases: readonly Case[],
): { subjects: Subject[]; notes: string[] } {
  const wanted = list('subjects');
  for (const w of wanted ?? []) {
    if (!SUBJECTS.some((s) => s.id === w || s.name === w))
      usageError(`unknown subject ${w} (${SUBJECTS.map((s) => s.id).join(', ')})`);
  }
  const notes: string[] = [];
  let subjects = SUBJECTS.filter(
    (s) => (wanted === undefined || wanted.includes(s.id) || wanted.includes(s.name)) && runsAny(s, cases),
  );
  if (c === undefined && subjects.some((s) => 'c' in s.kind)) {
    notes.push('no C compiler (cc) could build c/pingpong.c: the C rows are skipped');
    subjects = subjects.filter((s) => !('c' in s.kind));
  }
  const ownPath = socketHostKind();
  notes.push(
    `Node rows: Node ${process.version}; its synchronous flavours ${ownPath === 'broker' ? 'use the broker thread and WASI' : `call the C library directly (${ownPath})`}`,
  );
  if (subjects.some((s) => s.socketPath !== undefined) && ownPath === 'broker') {
    notes.push('the broker-path rows are skipped: that is the path of this Node already (it has no node:ffi)');
    subjects = subjects.filter((s) => s.socketPath === undefined);
  }
  for (const [name, runtime] of Object.entries(runtimes) as [OtherRuntimeName, OtherRuntime | undefined][]) {
    if (!subjects.some((s) => s.runtime === name)) continue;
    const title = name === 'bun' ? 'Bun' : 'Deno';
    if (runtime === undefined) {
      notes.push(
        `no ${title} binary (NET_${name.toUpperCase()}, its binary package, or ${name} on the PATH): the ${title} rows are skipped`,
      );
      subjects = subjects.filter((s) => s.runtime !== name);
    } else {
      notes.push(
        `${title} rows: ${title} ${runtime.version}; its synchronous flavours call the C library directly (${name}:ffi)`,
      );
    }
  }
  return { subjects, notes };
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    endAllPeers();
    process.exit(130);
  });
}

/**
 * Runs one subject on one case, once more if it fails (a peer process that fails once on a
 * shared machine, a crash or a reset): the summary names the first failure, and a case that fails
 * twice is reported FAILED and gives no result.
 */
async function attemptCase(
  subject: Subject,
  testCase: Case,
  label: string,
  programs: Programs,
  results: Results,
): Promise<ClientResult | undefined> {
  const caseStarted = performance.now();
  const scaled = scaledFor(subject, testCase);
  for (let attempt = 1; attempt <= CASE_ATTEMPTS; attempt++) {
    try {
      const result = await runCase(subject, scaled, programs);
      process.stderr.write(`done in ${((performance.now() - caseStarted) / 1000).toFixed(1)} s\n`);
      return result;
    } catch (error) {
      const why = (error as Error).message;
      if (attempt < CASE_ATTEMPTS) {
        results.retried.push({ subject: subject.name, case: label, why });
        process.stderr.write(`failed once (${why}), again ... `);
        continue;
      }
      results.skipped.push({ subject: subject.name, case: label, why: `failed: ${why}` });
      process.stderr.write(`FAILED (${why})\n`);
    }
  }
  return undefined;
}

async function main(): Promise<void> {
  const loadAtStart = loadavg()[0];
  const c = cProgram();
  const runtimes = { bun: otherRuntime('bun'), deno: otherRuntime('deno') };
  const budget = idleBudget(IDLE_CONNECTIONS[depth], transports.includes('tcp') ? 'tcp' : 'unix');
  const cases = casesFor({ depth, transports, sizes, suites, idleLimit: budget.count });
  const { subjects, notes } = chooseSubjects(c, runtimes, cases);
  if (suites.includes('idle')) notes.push(`idle connections: ${budget.note}`);
  const results = new Results();
  if (profileDir !== undefined) mkdirSync(profileDir, { recursive: true });
  const programs: Programs = { peer: join(here, 'peer.js'), c, profileDir, runtimes };
  const started = performance.now();
  const total = cases.reduce((sum, c) => sum + (c.rounds ?? 1), 0) * subjects.length;
  let done = 0;
  for (const testCase of cases) {
    // A case run in rounds has every subject take its turn in each round: a slow spell of the
    // machine falls on all of them alike rather than on one subject's every run.
    const rounds = testCase.rounds ?? 1;
    const runs = new Map<Subject, ClientResult[]>();
    for (let round = 1; round <= rounds; round++) {
      for (const subject of subjects) {
        done++;
        const why = whyNotRun(subject, testCase);
        const name = `${testCase.suite} ${caseLabel(testCase)}`;
        const label = rounds > 1 ? `${name} (round ${round} of ${rounds})` : name;
        const at = `[${done}/${total}, ${((performance.now() - started) / 1000).toFixed(0)} s] ${label}: ${subject.name}`;
        if (why !== undefined) {
          if (round === 1) results.skipped.push({ subject: subject.name, case: name, why });
          process.stderr.write(`${at}: not run (${why})\n`);
          continue;
        }
        process.stderr.write(`${at} ... `);
        const result = await attemptCase(subject, testCase, label, programs, results);
        if (result !== undefined) runs.set(subject, [...(runs.get(subject) ?? []), result]);
      }
    }
    for (const [subject, kept] of runs)
      results.addRounds(subject.name, testCase, kept, scaledFor(subject, testCase).count);
  }
  // The threads suite's rows are ways of reading one connection, each run by its own programs.
  const threads = suites.includes('threads') ? threadCases(depth, BUDGET_MS[depth]) : [];
  if (threads.length > 0) {
    const rows = { runtime: process.execPath, peer: programs.peer, rows: join(here, 'threads-row.js') };
    await runThreadsSuite(threads, rows, results);
    await runHeartbeatRow(depth, process.execPath, results);
  }
  const seconds = (performance.now() - started) / 1000;
  writeReport(results, { depth, subjects, cases: [...cases, ...threads], notes, seconds, loadAtStart }, outDir);
  if (profileDir !== undefined) process.stderr.write(`CPU profiles of the Node peers are in ${profileDir}\n`);
}

await main();
