/**
 * @net/async against plain `node:net`: round-trip latency, one-way throughput and idle connections,
 * with every server and client in a process of its own.
 *
 *   node dist/flavours/async-vs-net.js [--quick] [--json FILE] [--transport tcp|unix] [--count N]
 *       [--rounds N] [--round-trips N] [--messages N] [--suites pingpong,throughput,idle]
 *       [--only ID,ID] [--profile DIR]
 *
 * - **ping-pong**: one 128-byte message in flight; the client times each round trip into an HDR
 *   histogram (`perf_hooks.createHistogram`) and checks every reply against its request.
 * - **throughput**: the client sends N 128-byte messages as fast as the transport takes them
 *   (honouring backpressure); the server counts them and notes when the last one arrived.
 * - **idle**: `--count` plain `net` sockets (10,000 by default) held open to one service; the
 *   service process's heap and RSS growth per connection, after `gc()`.
 *
 * Every figure is the median over rounds, next to the `node:net` baseline measured in the same
 * run, with their ratio. The machine is shared and noisy: compare ratios, not absolute numbers.
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { Args, fixed, grouped, isMain, machineLine } from '../util/cli.js';
import { type IdleBudget, idleBudget } from './limits.js';
import { type Comparison, compare, comparisonTable, type Figure, type JsonLine, medianOf, type SubjectRounds, times } from './report.js';
import { type FlavourSubject, idleSubjects, pingPongSubjects, type Suite, throughputSubjects } from './subjects.js';
import {
  type IdleRoundResult,
  type IdleSubjectResult,
  type PingPongRoundResult,
  type PingPongSubjectResult,
  runIdleSuite,
  runPingPongSuite,
  runThroughputSuite,
  type SuiteContext,
  type ThroughputRoundResult,
  type ThroughputSubjectResult,
} from './suites.js';
import { BODY_BYTES, FRAME_BYTES } from './workload.js';

/** Every suite, in running order. */
export const SUITES: readonly Suite[] = ['pingpong', 'throughput', 'idle'];

/** Options of {@link runAsyncVsNet}. */
export interface AsyncVsNetOptions {
  /** Small counts: a smoke run of a few seconds, not a measurement. */
  readonly quick?: boolean;
  /** Default `tcp` (loopback). */
  readonly transport?: 'tcp' | 'unix';
  /** Idle connections to hold (lowered to what the open-file limits allow). Default 10,000 (1,000 quick). */
  readonly connections?: number;
  /** Measured rounds of ping-pong and of throughput. Default 8 and 6 (2 and 2 quick). */
  readonly rounds?: number;
  /** Round trips per ping-pong round. Default 8,000 (1,000 quick). */
  readonly roundTrips?: number;
  /**
   * Messages per throughput round, the same for every subject. Default: sized per subject from
   * its warm-up rate, so a round lasts about 500 ms (50 ms quick).
   */
  readonly messages?: number;
  /** Suites to run. Default all. */
  readonly suites?: readonly Suite[];
  /** Subject ids to run (baselines are always kept). Default all. */
  readonly only?: readonly string[];
  /** Write `--cpu-prof` profiles of every program here. */
  readonly profileDir?: string;
  /** Progress lines. */
  readonly log?: (line: string) => void;
}

/** The counts a run used. */
export interface RunSettings {
  readonly quick: boolean;
  readonly transport: 'tcp' | 'unix';
  readonly pingPongRounds: number;
  readonly roundTrips: number;
  readonly warmupRoundTrips: number;
  readonly throughputRounds: number;
  /** A fixed count, or the round length each subject's count is sized for. */
  readonly messages: number | { readonly roundMs: number; readonly min: number; readonly max: number };
  readonly warmupMessages: number;
  readonly idleRounds: number;
  readonly suites: readonly Suite[];
}

/** Everything one run measured. */
export interface AsyncVsNetResult {
  readonly settings: RunSettings;
  readonly machine: string;
  readonly loadBefore: readonly number[];
  readonly loadAfter: readonly number[];
  readonly elapsedMs: number;
  readonly pingpong: PingPongSubjectResult[];
  readonly throughput: ThroughputSubjectResult[];
  readonly idle: IdleSubjectResult[];
  readonly idleBudget: IdleBudget | undefined;
  /** Subjects that could not run, with the reason. */
  readonly skipped: { readonly suite: Suite; readonly id: string; readonly reason: string }[];
  readonly comparisons: Comparison[];
}

const us = (ns: number): number => ns / 1000;

/** The ping-pong figures. */
export const PINGPONG_FIGURES: readonly Figure<PingPongRoundResult>[] = [
  { suite: 'pingpong', metric: 'p50', label: 'round trip p50', unit: 'µs', jsonUnit: 'us', digits: 1, better: 'lower', value: (r) => us(r.latency.p50) },
  { suite: 'pingpong', metric: 'p99', label: 'round trip p99', unit: 'µs', jsonUnit: 'us', digits: 1, better: 'lower', value: (r) => us(r.latency.p99) },
  { suite: 'pingpong', metric: 'p99_9', label: 'round trip p99.9', unit: 'µs', jsonUnit: 'us', digits: 1, better: 'lower', value: (r) => us(r.latency.p999) },
  { suite: 'pingpong', metric: 'max', label: 'round trip max', unit: 'µs', jsonUnit: 'us', digits: 1, better: 'lower', value: (r) => us(r.latency.max) },
  { suite: 'pingpong', metric: 'client_cpu', label: 'client CPU per round trip', unit: 'µs', jsonUnit: 'us', digits: 2, better: 'lower', value: (r) => r.clientCpuUs },
  { suite: 'pingpong', metric: 'server_cpu', label: 'server CPU per round trip', unit: 'µs', jsonUnit: 'us', digits: 2, better: 'lower', value: (r) => r.serverCpuUs },
];

/** The throughput figures. */
export const THROUGHPUT_FIGURES: readonly Figure<ThroughputRoundResult>[] = [
  { suite: 'throughput', metric: 'msgs_per_s', label: 'throughput', unit: 'msg/s', jsonUnit: 'msg/s', digits: 0, better: 'higher', value: (r) => r.messagesPerSecond },
  { suite: 'throughput', metric: 'mb_per_s', label: 'throughput', unit: 'MB/s', jsonUnit: 'MB/s', digits: 1, better: 'higher', value: (r) => r.megabytesPerSecond },
  { suite: 'throughput', metric: 'client_cpu', label: 'client CPU per message', unit: 'ns', jsonUnit: 'ns', digits: 0, better: 'lower', value: (r) => r.clientCpuNs },
  { suite: 'throughput', metric: 'server_cpu', label: 'server CPU per message', unit: 'ns', jsonUnit: 'ns', digits: 0, better: 'lower', value: (r) => r.serverCpuNs },
];

/** The idle-connection figures. */
export const IDLE_FIGURES: readonly Figure<IdleRoundResult>[] = [
  { suite: 'idle', metric: 'heap_per_conn', label: 'service heap per idle connection', unit: 'B', jsonUnit: 'B', digits: 0, better: 'lower', value: (r) => r.heapPerConnection },
  { suite: 'idle', metric: 'rss_per_conn', label: 'service RSS per idle connection', unit: 'B', jsonUnit: 'B', digits: 0, better: 'lower', value: (r) => r.rssPerConnection },
];

/** Every non-baseline subject against every baseline of its suite, figure by figure. */
function comparisonsOf<R>(results: readonly SubjectRounds<R>[], figures: readonly Figure<R>[]): Comparison[] {
  const baselines = results.filter((r) => r.subject.baseline && r.rounds.length > 0);
  const out: Comparison[] = [];
  for (const baseline of baselines) {
    for (const result of results) {
      if (!result.subject.baseline && result.rounds.length > 0) out.push(...compare(result, baseline, figures));
    }
  }
  // Group by figure, then subject: the table reads figure by figure.
  const order = (c: Comparison): number => figures.findIndex((f) => f.metric === c.metric);
  return out.sort((a, b) => order(a) - order(b));
}

function pick(subjects: FlavourSubject[], suite: Suite, only: readonly string[] | undefined, skipped: AsyncVsNetResult['skipped']): FlavourSubject[] {
  const chosen: FlavourSubject[] = [];
  for (const subject of subjects) {
    if (only !== undefined && !subject.baseline && !only.includes(subject.id)) continue;
    if (subject.unavailable !== undefined) skipped.push({ suite, id: subject.id, reason: subject.unavailable });
    else chosen.push(subject);
  }
  return chosen;
}

/** Runs the suites and returns what they measured. */
export async function runAsyncVsNet(options: AsyncVsNetOptions = {}): Promise<AsyncVsNetResult> {
  const quick = options.quick ?? false;
  const roundTrips = options.roundTrips ?? (quick ? 1_000 : 8_000);
  const settings: RunSettings = {
    quick,
    transport: options.transport ?? 'tcp',
    pingPongRounds: options.rounds ?? (quick ? 2 : 8),
    roundTrips,
    warmupRoundTrips: quick ? 300 : Math.max(1_000, Math.round(roundTrips / 4)),
    throughputRounds: options.rounds ?? (quick ? 2 : 6),
    messages: options.messages ?? (quick ? { roundMs: 50, min: 5_000, max: 100_000 } : { roundMs: 500, min: 20_000, max: 3_000_000 }),
    warmupMessages: quick ? 5_000 : 50_000,
    idleRounds: 1,
    suites: options.suites ?? SUITES,
  };
  const log = options.log ?? (() => {});
  const context: SuiteContext = { transport: settings.transport, log, ...(options.profileDir === undefined ? {} : { profileDir: options.profileDir }) };
  const all = [...pingPongSubjects(), ...throughputSubjects(), ...idleSubjects()].map((s) => s.id);
  const unknown = options.only?.filter((id) => !all.includes(id)) ?? [];
  if (unknown.length > 0) throw new Error(`unknown subject ${unknown.join(', ')}; known: ${[...new Set(all)].join(', ')}`);

  const started = performance.now();
  const loadBefore = loadavg();
  const skipped: AsyncVsNetResult['skipped'] = [];
  let pingpong: PingPongSubjectResult[] = [];
  let throughput: ThroughputSubjectResult[] = [];
  let idle: IdleSubjectResult[] = [];
  let budget: IdleBudget | undefined;
  if (settings.suites.includes('pingpong')) {
    pingpong = await runPingPongSuite(context, pick(pingPongSubjects(), 'pingpong', options.only, skipped), {
      rounds: settings.pingPongRounds,
      roundTrips,
      warmup: settings.warmupRoundTrips,
    });
  }
  if (settings.suites.includes('throughput')) {
    throughput = await runThroughputSuite(context, pick(throughputSubjects(), 'throughput', options.only, skipped), {
      rounds: settings.throughputRounds,
      messages: settings.messages,
      warmupMessages: settings.warmupMessages,
    });
  }
  if (settings.suites.includes('idle')) {
    budget = idleBudget(options.connections ?? (quick ? 1_000 : 10_000), settings.transport);
    log(`idle: ${budget.note}`);
    if (budget.count < 1) throw new Error(`no idle connections fit: ${budget.note}`);
    idle = await runIdleSuite(context, pick(idleSubjects(), 'idle', options.only, skipped), {
      connections: budget.count,
      rounds: settings.idleRounds,
      concurrency: 128,
    });
  }
  const comparisons = [...comparisonsOf(pingpong, PINGPONG_FIGURES), ...comparisonsOf(throughput, THROUGHPUT_FIGURES), ...comparisonsOf(idle, IDLE_FIGURES)];
  return {
    settings,
    machine: machineLine(),
    loadBefore,
    loadAfter: loadavg(),
    elapsedMs: performance.now() - started,
    pingpong,
    throughput,
    idle,
    idleBudget: budget,
    skipped,
    comparisons,
  };
}

/** The p50 goal. */
export const P50_GOAL = 1.05;

/** A goal's verdict and the sentence that says so. */
export interface Verdict {
  readonly met: boolean | undefined;
  readonly line: string;
}

function find(result: AsyncVsNetResult, suite: Suite, subject: string, baseline: string, metric: string): Comparison | undefined {
  return result.comparisons.find((c) => c.suite === suite && c.subject.id === subject && c.baseline.id === baseline && c.metric === metric);
}

function spread(c: Comparison): string {
  return c.roundRatios.length > 1 ? `; per-round ratios ${fixed(Math.min(...c.roundRatios), 2)}x-${fixed(Math.max(...c.roundRatios), 2)}x` : '';
}

/** "async p50 within 1.05x of raw node:net". */
export function latencyVerdict(result: AsyncVsNetResult): Verdict {
  const head = `goal: async p50 within ${fixed(P50_GOAL, 2)}x of raw node:net`;
  const c = find(result, 'pingpong', 'async', 'raw', 'p50');
  if (c === undefined) return { met: undefined, line: `${head}: NOT MEASURED in this run` };
  const met = c.ratio <= P50_GOAL;
  return {
    met,
    line: `${head}: ${met ? 'MET' : 'NOT MET'} in this run (ratio ${times(c.ratio)} = ${fixed(c.value, 1)} µs / ${fixed(c.baselineValue, 1)} µs, medians of ${c.roundRatios.length} rounds${spread(c)})`,
  };
}

/** "async throughput ≥ raw node:net hand-batched", for the `recv()` service or another subject. */
export function throughputVerdict(result: AsyncVsNetResult, subject = 'async'): Verdict {
  const head = `goal: ${subject === 'async' ? 'async' : subject} throughput ≥ raw node:net hand-batched`;
  const c = find(result, 'throughput', subject, 'raw-batched', 'msgs_per_s');
  if (c === undefined) return { met: undefined, line: `${head}: NOT MEASURED in this run` };
  const met = c.ratio >= 1;
  return {
    met,
    line: `${head}: ${met ? 'MET' : 'NOT MET'} in this run (ratio ${times(c.ratio)} = ${grouped(Math.round(c.value))} / ${grouped(Math.round(c.baselineValue))} msg/s, medians of ${c.roundRatios.length} rounds${spread(c)})`,
  };
}

/** Problems with the correctness of the run (replies that did not match, messages lost); empty when none. */
export function checkProblems(result: AsyncVsNetResult): string[] {
  const problems: string[] = [];
  const { settings } = result;
  for (const r of result.pingpong) {
    const expected = settings.warmupRoundTrips + settings.pingPongRounds * settings.roundTrips;
    if (r.mismatches > 0) problems.push(`ping-pong ${r.subject.id}: ${r.mismatches} replies did not match their request`);
    if (r.replies !== expected) problems.push(`ping-pong ${r.subject.id}: ${r.replies} replies, expected ${expected}`);
  }
  for (const r of result.throughput) {
    if (r.received !== r.sent) problems.push(`throughput ${r.subject.id}: ${r.received} of ${r.sent} messages arrived`);
    if (r.corrupt > 0) problems.push(`throughput ${r.subject.id}: ${r.corrupt} messages arrived corrupt`);
  }
  return problems;
}

function load(values: readonly number[]): string {
  return values.map((v) => fixed(v, 2)).join(' ');
}

/** The report: header, subjects, table, notes and the goal lines. */
export function formatReport(result: AsyncVsNetResult): string {
  const { settings } = result;
  const transport = settings.transport === 'tcp' ? 'TCP over loopback 127.0.0.1, TCP_NODELAY on both sides' : 'Unix domain socket';
  const out = [
    `@net/async vs node:net: ${BODY_BYTES}-byte messages in ${FRAME_BYTES}-byte frames (u32 length prefix), ${settings.quick ? 'QUICK (smoke run, not a measurement)' : 'default run'}`,
    `machine    ${result.machine}; load average (1/5/15 min) ${load(result.loadBefore)} before, ${load(result.loadAfter)} after; ${fixed(result.elapsedMs / 1000, 1)} s`,
    `transport  ${transport}; every server and every client in a process of its own (child_process.fork)`,
  ];
  const method: string[] = [];
  if (settings.suites.includes('pingpong')) {
    method.push(
      `ping-pong: ${settings.pingPongRounds} rounds x ${grouped(settings.roundTrips)} round trips, one message in flight, after ${grouped(settings.warmupRoundTrips)} warm-up; HDR histogram per round`,
    );
  }
  if (settings.suites.includes('throughput')) {
    const sizing = typeof settings.messages === 'number' ? `${grouped(settings.messages)} messages` : `~${settings.messages.roundMs} ms (messages sized per subject from its warm-up rate: ${result.throughput.map((r) => `${r.subject.id} ${grouped(r.rounds[0]?.messages ?? 0)}`).join(', ')})`;
    const warm = typeof settings.messages === 'number' ? `${grouped(settings.warmupMessages)} warm-up messages` : 'two warm-up rounds';
    method.push(`throughput: ${settings.throughputRounds} rounds x ${sizing} after ${warm}`);
    method.push('  elapsed = first send (client) to last arrival (server), both on CLOCK_MONOTONIC, which every process of the machine shares');
  }
  if (result.idleBudget !== undefined) method.push(`idle: ${result.idleBudget.note}; growth of the service process between before and after, each after gc()`);
  out.push(...method.map((line, i) => `${i === 0 ? 'method    ' : '          '} ${line}`));
  out.push('           the subjects of a suite take turns each round (forwards, then backwards); figures are medians over rounds; CPU = process.cpuUsage() deltas');
  const cores = cpus().length;
  const busiest = Math.max(result.loadBefore[0] ?? 0, result.loadAfter[0] ?? 0);
  if (busiest > cores / 2) {
    out.push(`WARNING    the 1-minute load average reached ${fixed(busiest, 2)} on ${cores} cores: other work competed for the CPU, so expect wide per-round ratios`);
  }
  out.push('', 'subjects');
  const seen = new Set<string>();
  for (const [suite, results] of [
    ['pingpong', result.pingpong],
    ['throughput', result.throughput],
    ['idle', result.idle],
  ] as const) {
    for (const r of results) {
      const key = `${suite}:${r.subject.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(`  ${suite.padEnd(10)} ${r.subject.id.padEnd(16)} ${r.subject.baseline ? '(baseline) ' : ''}${r.subject.label}`);
    }
  }
  for (const s of result.skipped) out.push(`  ${s.suite.padEnd(10)} ${s.id.padEnd(16)} skipped: ${s.reason}`);
  const problems = checkProblems(result);
  out.push('');
  const replies = result.pingpong.map((r) => `${r.subject.id} ${grouped(r.replies)}`).join(', ');
  const arrived = result.throughput.map((r) => `${r.subject.id} ${grouped(r.received)}`).join(', ');
  if (problems.length === 0) {
    if (replies !== '') out.push(`checks     every ping-pong reply matched its request (${replies})`);
    if (arrived !== '') out.push(`           every throughput message arrived intact (${arrived})`);
  } else {
    for (const p of problems) out.push(`PROBLEM    ${p}`);
  }
  out.push('', ...comparisonTable(result.comparisons), '');
  out.push('ratio = subject median / baseline median, both from this run; "per round" = range of the ratios of rounds run back to back');
  out.push('better: lower for latency, CPU and memory; higher for throughput. MB = 10^6 bytes of frames, header included.');
  if (result.idle.length > 0) {
    const details = result.idle.map((r) => {
      const round = r.rounds[r.rounds.length - 1]!;
      return `${r.subject.id} heap ${fixed(round.before.heapUsed / 1e6, 1)}->${fixed(round.after.heapUsed / 1e6, 1)} MB, rss ${fixed(round.before.rss / 1e6, 1)}->${fixed(round.after.rss / 1e6, 1)} MB, opened in ${fixed(round.openMs, 0)} ms`;
    });
    out.push(`idle detail: ${details.join('; ')}`);
  }
  if (result.pingpong.length > 0) out.push(latencyVerdict(result).line);
  if (result.throughput.length > 0) out.push(throughputVerdict(result).line, throughputVerdict(result, 'async-onmessage').line);
  return out.join('\n');
}

/** One JSON object per line: `{suite, subject, case, metric, value, unit}`. */
export function jsonLines(result: AsyncVsNetResult): string {
  const lines: JsonLine[] = [];
  const transport = result.settings.transport;
  const add = (subject: string, kase: string, metric: string, value: number, unit: string): void => {
    lines.push({ suite: 'async-vs-net', subject, case: kase, metric, value, unit });
  };
  const medians = <R>(results: readonly SubjectRounds<R>[], figures: readonly Figure<R>[], kase: string): void => {
    for (const r of results) for (const figure of figures) add(r.subject.id, kase, figure.metric, medianOf(r, figure), figure.jsonUnit);
  };
  const pingCase = `pingpong-${transport}-${BODY_BYTES}B`;
  const throughputCase = `throughput-${transport}-${BODY_BYTES}B`;
  const idleCase = `idle-${transport}-${result.idleBudget?.count ?? 0}`;
  medians(result.pingpong, PINGPONG_FIGURES, pingCase);
  for (const r of result.pingpong) add(r.subject.id, pingCase, 'mismatches', r.mismatches, 'count');
  medians(result.throughput, THROUGHPUT_FIGURES, throughputCase);
  medians(result.idle, IDLE_FIGURES, idleCase);
  for (const c of result.comparisons) {
    const kase = c.suite === 'pingpong' ? pingCase : c.suite === 'throughput' ? throughputCase : idleCase;
    add(c.subject.id, kase, `${c.metric}_ratio_vs_${c.baseline.id}`, c.ratio, 'x');
  }
  return lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
}

const USAGE =
  'usage: async-vs-net [--quick] [--json FILE] [--transport tcp|unix] [--count N] [--rounds N] [--round-trips N] [--messages N] ' +
  '[--suites pingpong,throughput,idle] [--only ID,...] [--profile DIR]';

function list(text: string | undefined): string[] | undefined {
  return text?.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

async function main(): Promise<void> {
  let options: AsyncVsNetOptions;
  let jsonFile: string | undefined;
  try {
    const args = new Args(process.argv.slice(2), ['json', 'transport', 'count', 'rounds', 'round-trips', 'messages', 'suites', 'only', 'profile']);
    if (args.flag('help')) {
      console.log(USAGE);
      return;
    }
    args.rejectUnknown(['quick', 'json', 'transport', 'count', 'rounds', 'round-trips', 'messages', 'suites', 'only', 'profile']);
    const transport = args.string('transport') ?? 'tcp';
    if (transport !== 'tcp' && transport !== 'unix') throw new Error(`--transport tcp|unix, got '${transport}'`);
    const suites = list(args.string('suites'));
    const badSuite = suites?.find((s) => !(SUITES as readonly string[]).includes(s));
    if (badSuite !== undefined) throw new Error(`unknown suite '${badSuite}': use ${SUITES.join(', ')}`);
    const quick = args.flag('quick');
    const only = list(args.string('only'));
    const profileDir = args.string('profile');
    options = {
      quick,
      transport,
      ...(args.string('count') === undefined ? {} : { connections: args.integer('count', 0, 1) }),
      ...(args.string('rounds') === undefined ? {} : { rounds: args.integer('rounds', 0, 1) }),
      ...(args.string('round-trips') === undefined ? {} : { roundTrips: args.integer('round-trips', 0, 1) }),
      ...(args.string('messages') === undefined ? {} : { messages: args.integer('messages', 0, 1) }),
      ...(suites === undefined ? {} : { suites: suites as Suite[] }),
      ...(only === undefined ? {} : { only }),
      ...(profileDir === undefined ? {} : { profileDir }),
      log: (line) => process.stderr.write(`${line}\n`),
    };
    jsonFile = args.string('json');
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const result = await runAsyncVsNet(options);
  console.log(formatReport(result));
  if (jsonFile !== undefined) {
    writeFileSync(jsonFile, jsonLines(result));
    console.log(`wrote ${jsonLines(result).trim().split('\n').length} lines to ${jsonFile}`);
  }
  if (checkProblems(result).length > 0) process.exitCode = 1;
}

if (isMain(import.meta.url)) await main();
