/**
 * The codec micro benchmark: ns per message to encode and to decode one 128-byte order message with
 * each @net codec (through MessageWriter / MessageReader, so framing is included) and, beside them,
 * JSON.stringify / JSON.parse and msgpackr (no framing).
 *
 *   node dist/codecs/codec-bench.js [--quick] [--json FILE] [--in-process] [--rounds N] [--ops N] [--only ID,ID]
 *
 * Method: every subject warms up, then runs `rounds` rounds of `ops` encodes and `ops` decodes,
 * each round timed with `process.hrtime.bigint()`; the table shows the median ns/op and the
 * fastest round. By default every subject runs in a child process of its own, so the JIT sees one
 * codec at a time, as in an application (in one process MessageWriter/MessageReader call sites
 * would turn polymorphic across codecs and the order of subjects would matter).
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { isNativeAccelerationEnabled } from 'msgpackr';
import { Args, fixed, grouped, isMain, machineLine } from '../util/cli.js';
import { ORDER_BODY_BYTES, ORDER_LAYOUT } from '../messages/order.js';
import { DECODE_STREAM_FRAMES, type Subject, type SubjectKind, subjectSpecs } from './subjects.js';

/** Options of {@link runCodecBench}. */
export interface CodecBenchOptions {
  /** Few, short rounds: a smoke run, not a measurement. */
  readonly quick?: boolean;
  /** Measured rounds per subject and direction. Default 7 (3 when quick). */
  readonly rounds?: number;
  /** Operations per round, rounded up to a multiple of 1000. Default 200,000 (20,000 when quick). */
  readonly ops?: number;
  /** Run every subject in this process instead of one child process each. Default false. */
  readonly inProcess?: boolean;
  /** Subject ids to run (default: all available). */
  readonly only?: readonly string[];
  /** Progress lines go here (default: nowhere). */
  readonly log?: (line: string) => void;
}

/** Median and minimum of one direction, in ns per message. */
export interface Timing {
  readonly median: number;
  readonly min: number;
  /** Every round, in order. */
  readonly rounds: readonly number[];
}

/** The measurements of one subject. */
export interface SubjectResult {
  readonly id: string;
  readonly label: string;
  readonly kind: SubjectKind;
  readonly bytesPerMessage: number;
  readonly bytesNote: string;
  readonly encode: Timing;
  readonly decode: Timing;
}

/** Everything one run measured. */
export interface CodecBenchResult {
  readonly results: SubjectResult[];
  /** Subjects that could not run, with the reason. */
  readonly skipped: { readonly id: string; readonly reason: string }[];
  readonly rounds: number;
  readonly ops: number;
  readonly warmupOps: number;
  readonly isolated: boolean;
}

/** Where the sinks of every round go, so no encode or decode is optimised away. */
let blackhole = 0;

function timeRound(run: (ops: number) => number, ops: number): number {
  const start = process.hrtime.bigint();
  const sink = run(ops);
  const elapsed = process.hrtime.bigint() - start;
  blackhole = (blackhole + sink) % 1_000_000_007;
  return Number(elapsed) / ops;
}

function summarize(rounds: number[]): Timing {
  const sorted = [...rounds].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], rounds };
}

/** Measures one subject in this process. */
export function measureSubject(subject: Subject, rounds: number, ops: number, warmupOps: number): SubjectResult {
  const problem = subject.verify();
  if (problem !== undefined) throw new Error(`${subject.label}: ${problem}`);
  // Warm-up: enough calls for the optimising compiler, in the same encode/decode alternation.
  for (let done = 0; done < warmupOps; done += ops) {
    subject.encode(Math.min(ops, warmupOps - done));
    subject.decode(roundUp(Math.min(ops, warmupOps - done)));
  }
  const encode: number[] = [];
  const decode: number[] = [];
  for (let r = 0; r < rounds; r++) {
    encode.push(timeRound((n) => subject.encode(n), ops));
    decode.push(timeRound((n) => subject.decode(n), ops));
  }
  if (!Number.isFinite(blackhole)) throw new Error('sink broke');
  return {
    id: subject.id,
    label: subject.label,
    kind: subject.kind,
    bytesPerMessage: subject.bytesPerMessage,
    bytesNote: subject.bytesNote,
    encode: summarize(encode),
    decode: summarize(decode),
  };
}

function roundUp(ops: number): number {
  return Math.max(DECODE_STREAM_FRAMES, Math.ceil(ops / DECODE_STREAM_FRAMES) * DECODE_STREAM_FRAMES);
}

/** A message from a worker process. */
type WorkerMessage =
  { readonly ok: true; readonly result: SubjectResult } | { readonly ok: false; readonly error: string };

async function measureInChild(id: string, rounds: number, ops: number, warmupOps: number): Promise<SubjectResult> {
  const args = ['--worker', id, '--rounds', String(rounds), '--ops', String(ops), '--warmup', String(warmupOps)];
  const child = fork(new URL(import.meta.url), args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const [[message], [code]] = await Promise.all([
    once(child, 'message') as Promise<[WorkerMessage]>,
    once(child, 'exit') as Promise<[number | null]>,
  ]);
  if (!message.ok) throw new Error(`subject ${id}: ${message.error}`);
  if (code !== 0) throw new Error(`subject ${id}: the worker exited with code ${code}`);
  return message.result;
}

/** Runs the benchmark and returns its measurements. */
export async function runCodecBench(options: CodecBenchOptions = {}): Promise<CodecBenchResult> {
  const quick = options.quick ?? false;
  const rounds = options.rounds ?? (quick ? 3 : 7);
  const ops = roundUp(options.ops ?? (quick ? 20_000 : 200_000));
  const warmupOps = quick ? ops : 2 * ops;
  const isolated = !(options.inProcess ?? false);
  const log = options.log ?? (() => {});
  const specs = subjectSpecs().filter((spec) => options.only === undefined || options.only.includes(spec.id));
  if (options.only !== undefined) {
    const unknown = options.only.filter((id) => !subjectSpecs().some((spec) => spec.id === id));
    if (unknown.length > 0) throw new Error(`unknown subject ${unknown.join(', ')}`);
  }
  const results: SubjectResult[] = [];
  const skipped: { id: string; reason: string }[] = [];
  for (const spec of specs) {
    if (spec.unavailable !== undefined) {
      skipped.push({ id: spec.id, reason: spec.unavailable });
      continue;
    }
    log(`measuring ${spec.id} ...`);
    results.push(
      isolated
        ? await measureInChild(spec.id, rounds, ops, warmupOps)
        : measureSubject(spec.create(), rounds, ops, warmupOps),
    );
  }
  return { results, skipped, rounds, ops, warmupOps, isolated };
}

/** The fastest msgpackr median of one direction, the baseline of every ratio. */
function msgpackrBaseline(
  results: readonly SubjectResult[],
  direction: 'encode' | 'decode',
): SubjectResult | undefined {
  let best: SubjectResult | undefined;
  for (const result of results) {
    if (result.kind === 'msgpackr' && (best === undefined || result[direction].median < best[direction].median))
      best = result;
  }
  return best;
}

/** `subject ns/op` → `msgpackr ns / subject ns` against the fastest msgpackr of that direction. */
function ratio(
  results: readonly SubjectResult[],
  result: SubjectResult,
  direction: 'encode' | 'decode',
): number | undefined {
  const base = msgpackrBaseline(results, direction);
  return base === undefined ? undefined : base[direction].median / result[direction].median;
}

/** The goal the struct codec is held to. */
export const GOAL_RATIO = 3;

/** Whether the struct codec met its goal in this run, and the sentence that says so. */
export function goalVerdict(bench: CodecBenchResult): { met: boolean | undefined; line: string } {
  const head = `goal: struct codec ≥ ${GOAL_RATIO}x msgpackr both ways`;
  const struct = bench.results.find((r) => r.id === 'struct');
  if (struct === undefined) {
    const reason = bench.skipped.find((s) => s.id === 'struct')?.reason ?? 'struct was not selected';
    return { met: undefined, line: `${head}: NOT MEASURED in this run, ${reason}` };
  }
  const encode = ratio(bench.results, struct, 'encode');
  const decode = ratio(bench.results, struct, 'decode');
  if (encode === undefined || decode === undefined)
    return { met: undefined, line: `${head}: NOT MEASURED (no msgpackr subject ran)` };
  const met = encode >= GOAL_RATIO && decode >= GOAL_RATIO;
  const maps = bench.results.find((r) => r.id === 'msgpackr-maps');
  const context =
    maps === undefined
      ? ''
      : `; against msgpackr maps alone: encode ${fixed(maps.encode.median / struct.encode.median, 2)}x, decode ${fixed(maps.decode.median / struct.decode.median, 2)}x`;
  return {
    met,
    line:
      `${head}: ${met ? 'MET' : 'NOT MET'} in this run ` +
      `(encode ${fixed(encode, 2)}x, decode ${fixed(decode, 2)}x the fastest msgpackr variant of each direction${context})`,
  };
}

function msgpackrVersion(): string {
  try {
    let dir = dirname(createRequire(import.meta.url).resolve('msgpackr'));
    for (let i = 0; i < 4; i++) {
      try {
        const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
        if (pkg.name === 'msgpackr') return pkg.version ?? '?';
      } catch {
        // not here: go up
      }
      dir = dirname(dir);
    }
  } catch {
    // fall through
  }
  return '?';
}

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

/** The report: header, table, notes and the goal line. */
export function formatReport(bench: CodecBenchResult): string {
  const { results } = bench;
  const ns = (t: Timing): string => `${fixed(t.median, 1)} (${fixed(t.min, 1)})`;
  const times = (r: number | undefined): string => (r === undefined ? '-' : `${fixed(r, 2)}x`);
  const encodeBase = msgpackrBaseline(results, 'encode');
  const decodeBase = msgpackrBaseline(results, 'decode');
  const columns = [
    'subject',
    'bytes',
    'encode ns/op (min)',
    'decode ns/op (min)',
    'enc vs msgpackr',
    'dec vs msgpackr',
  ];
  const rows = results.map((r) => [
    r.label,
    String(r.bytesPerMessage),
    ns(r.encode),
    ns(r.decode),
    times(ratio(results, r, 'encode')),
    times(ratio(results, r, 'decode')),
  ]);
  const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]): string => cells.map((cell, i) => pad(cell, widths[i], i > 0)).join('  ');
  const out = [
    `@net codec micro benchmark: one order message (${ORDER_LAYOUT.length} fields, ${ORDER_BODY_BYTES}-byte struct body), ns per message`,
    `${machineLine()}; msgpackr ${msgpackrVersion()} (native acceleration ${isNativeAccelerationEnabled ? 'on' : 'off'})`,
    `method: median of ${bench.rounds} rounds x ${grouped(bench.ops)} ops after ${grouped(bench.warmupOps)} warm-up ops, (min) = fastest round; ` +
      (bench.isolated
        ? 'each subject in its own process'
        : 'all subjects in one process (call sites shared: order matters)'),
    '',
    line(columns),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    `ratio = fastest msgpackr median / subject median (>1 = faster than msgpackr); baselines: encode ${encodeBase?.label ?? '-'}, decode ${decodeBase?.label ?? '-'}`,
    'bytes: @net rows = whole frame on the wire (framing included in the timings too); JSON.stringify = string length; msgpackr = unframed bytes',
    '@net bytesCodec moves a pre-encoded 128-byte payload (framing + copy, no message object); the hand-written codec is a reference, not a @net API',
  ];
  for (const s of bench.skipped) out.push(`skipped ${s.id}: ${s.reason}`);
  out.push(goalVerdict(bench).line);
  return out.join('\n');
}

/** One JSON object per line: `{suite, subject, case, metric, value, unit}`. */
export function jsonLines(bench: CodecBenchResult): string {
  const lines: object[] = [];
  const add = (subject: string, kase: string, metric: string, value: number, unit: string): void => {
    lines.push({ suite: 'codecs', subject, case: kase, metric, value, unit });
  };
  for (const r of bench.results) {
    for (const direction of ['encode', 'decode'] as const) {
      add(r.id, direction, 'median', r[direction].median, 'ns/op');
      add(r.id, direction, 'min', r[direction].min, 'ns/op');
      const x = ratio(bench.results, r, direction);
      if (x !== undefined) add(r.id, direction, 'ratio_vs_msgpackr', x, 'x');
    }
    add(r.id, 'message', 'bytes', r.bytesPerMessage, 'B');
  }
  return lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
}

const USAGE = 'usage: codec-bench [--quick] [--json FILE] [--in-process] [--rounds N] [--ops N] [--only ID,ID,...]';

async function workerMain(args: Args, id: string): Promise<void> {
  const send = (message: WorkerMessage): void => {
    process.send?.(message);
  };
  try {
    const spec = subjectSpecs().find((s) => s.id === id);
    if (spec === undefined) throw new Error(`unknown subject ${id}`);
    if (spec.unavailable !== undefined) throw new Error(spec.unavailable);
    send({
      ok: true,
      result: measureSubject(
        spec.create(),
        args.integer('rounds', 7, 1),
        args.integer('ops', 200_000, 1),
        args.integer('warmup', 0),
      ),
    });
  } catch (error) {
    send({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
  process.disconnect();
}

async function main(): Promise<void> {
  const args = new Args(process.argv.slice(2), ['json', 'rounds', 'ops', 'only', 'worker', 'warmup']);
  const worker = args.string('worker');
  if (worker !== undefined) return workerMain(args, worker);
  let options: CodecBenchOptions;
  let jsonFile: string | undefined;
  try {
    if (args.flag('help')) {
      console.log(USAGE);
      return;
    }
    args.rejectUnknown(['quick', 'json', 'in-process', 'rounds', 'ops', 'only']);
    const quick = args.flag('quick');
    const only = args.string('only');
    options = {
      quick,
      rounds: args.integer('rounds', quick ? 3 : 7, 1),
      ops: args.integer('ops', quick ? 20_000 : 200_000, 1),
      inProcess: args.flag('in-process'),
      log: (line) => process.stderr.write(`${line}\n`),
      ...(only === undefined ? {} : { only: only.split(',').map((s) => s.trim()) }),
    };
    jsonFile = args.string('json');
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const bench = await runCodecBench(options);
  console.log(formatReport(bench));
  if (jsonFile !== undefined) {
    writeFileSync(jsonFile, jsonLines(bench));
    console.log(`wrote ${bench.results.length} subjects to ${jsonFile}`);
  }
}

if (isMain(import.meta.url)) await main();
