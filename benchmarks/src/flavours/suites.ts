/**
 * The three suites of the flavour benchmarks, each over any list of subjects: every subject's
 * server and client run in processes of their own, started once per suite and kept for all its
 * rounds; the rounds alternate the subjects (forwards, then backwards) so that drift in the
 * machine's load falls on all of them alike.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChildProgram, type CpuTime, cpuSpent, type MemorySnapshot, programUrl } from './harness.js';
import type { FlavourSubject, ProgramSpec, Suite } from './subjects.js';
import {
  type ArrivalResult,
  type BlastResult,
  FRAME_BYTES,
  type LatencySummary,
  type ListenSpec,
  type PingPongRound,
  type ServerAddress,
  type ServerMode,
} from './workload.js';

/** Settings every suite shares. */
export interface SuiteContext {
  readonly transport: 'tcp' | 'unix';
  /** Directory for `--cpu-prof` profiles of every program, or undefined for none. */
  readonly profileDir?: string;
  /** Progress lines. */
  readonly log: (line: string) => void;
}

/** A subject's server and client, started and connected. */
interface Pair {
  readonly subject: FlavourSubject;
  readonly server: ChildProgram;
  readonly client: ChildProgram;
  readonly address: ServerAddress;
}

let socketSerial = 0;

function listenSpec(context: SuiteContext): ListenSpec {
  return context.transport === 'unix' ? { transport: 'unix', path: join(tmpdir(), `net-bench-${process.pid}-${++socketSerial}.sock`) } : { transport: 'tcp', host: '127.0.0.1' };
}

function execArgv(context: SuiteContext, suite: Suite, subject: FlavourSubject, program: ProgramSpec, role: string): string[] {
  const flags = role === 'server' ? ['--expose-gc'] : [];
  if (context.profileDir !== undefined) {
    flags.push('--cpu-prof', '--cpu-prof-dir', context.profileDir, '--cpu-prof-name', `${suite}-${subject.id}-${role}-${program.name}.cpuprofile`);
  }
  return flags;
}

async function startProgram(context: SuiteContext, suite: Suite, subject: FlavourSubject, role: 'server' | 'client'): Promise<ChildProgram> {
  const program = role === 'server' ? subject.server : subject.client;
  return ChildProgram.start(programUrl(program.path), program.args, { name: `${subject.id} ${program.name}`, execArgv: execArgv(context, suite, subject, program, role) });
}

/**
 * Accept queue of every server: as deep as Linux allows by default (`net.core.somaxconn`), so that
 * a burst of connects waits for a slow `accept` instead of losing SYNs (each lost SYN costs the
 * client a one-second retransmission).
 */
export const BACKLOG = 4096;

async function startPair(context: SuiteContext, suite: Suite, subject: FlavourSubject, mode: ServerMode, maxConnections: number, connect: boolean): Promise<Pair> {
  const server = await startProgram(context, suite, subject, 'server');
  let client: ChildProgram | undefined;
  try {
    const address = await server.call<ServerAddress>('listen', { listen: listenSpec(context), mode, maxConnections, backlog: BACKLOG });
    client = await startProgram(context, suite, subject, 'client');
    if (connect) await client.call('connect', { address });
    return { subject, server, client, address };
  } catch (error) {
    server.kill();
    client?.kill();
    throw error;
  }
}

async function stopPairs(pairs: readonly Pair[]): Promise<void> {
  // The server first: it closes its connections, so the clients' sockets end cleanly.
  const results = await Promise.allSettled(pairs.map(async (pair) => {
    await pair.server.stop();
    await pair.client.stop();
  }));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
}

function killPairs(pairs: readonly Pair[]): void {
  for (const pair of pairs) {
    pair.server.kill();
    pair.client.kill();
  }
}

/** Runs `body` with a started pair per subject, and stops them all whatever happens. */
async function withPairs<T>(
  context: SuiteContext,
  suite: Suite,
  subjects: readonly FlavourSubject[],
  mode: ServerMode,
  body: (pairs: Pair[]) => Promise<T>,
): Promise<T> {
  const pairs: Pair[] = [];
  try {
    for (const subject of subjects) pairs.push(await startPair(context, suite, subject, mode, 16, true));
    const result = await body(pairs);
    await stopPairs(pairs);
    return result;
  } catch (error) {
    killPairs(pairs);
    throw error;
  }
}

/** The order of the subjects in round `round`: forwards, then backwards. */
function roundOrder<T>(items: readonly T[], round: number): T[] {
  return round % 2 === 0 ? [...items] : [...items].reverse();
}

async function cpuOf(pair: Pair): Promise<[CpuTime, CpuTime]> {
  return Promise.all([pair.client.cpu(), pair.server.cpu()]);
}

// ---------------------------------------------------------------------------------------------
// Ping-pong

/** Settings of {@link runPingPongSuite}. */
export interface PingPongSettings {
  readonly rounds: number;
  /** Round trips per round. */
  readonly roundTrips: number;
  /** Round trips before the first round, not measured. */
  readonly warmup: number;
}

/** One measured ping-pong round of one subject. */
export interface PingPongRoundResult {
  readonly latency: LatencySummary;
  readonly roundTrips: number;
  readonly mismatches: number;
  /** CPU time of the client and of the server process per round trip, in µs. */
  readonly clientCpuUs: number;
  readonly serverCpuUs: number;
  /** Round trips per second over the round. */
  readonly rate: number;
}

/** Everything the ping-pong suite measured for one subject. */
export interface PingPongSubjectResult {
  readonly subject: FlavourSubject;
  readonly rounds: PingPongRoundResult[];
  /** Replies of the warm-up and of every round, and how many did not match their request. */
  readonly replies: number;
  readonly mismatches: number;
}

/** Round trips of one 128-byte message at a time, client and server in separate processes. */
export async function runPingPongSuite(context: SuiteContext, subjects: readonly FlavourSubject[], settings: PingPongSettings): Promise<PingPongSubjectResult[]> {
  return withPairs(context, 'pingpong', subjects, 'echo', async (pairs) => {
    const replies = new Map<Pair, number>();
    const mismatches = new Map<Pair, number>();
    const rounds = new Map<Pair, PingPongRoundResult[]>();
    let seq = 0;
    for (const pair of pairs) {
      context.log(`ping-pong: warming up ${pair.subject.id} (${settings.warmup} round trips)`);
      const warm = await pair.client.call<PingPongRound>('pingpong', { count: settings.warmup, firstSeq: seq });
      replies.set(pair, warm.replies);
      mismatches.set(pair, warm.mismatches);
      rounds.set(pair, []);
    }
    for (let round = 0; round < settings.rounds; round++) {
      seq += settings.roundTrips;
      for (const pair of roundOrder(pairs, round)) {
        const [client0, server0] = await cpuOf(pair);
        const result = await pair.client.call<PingPongRound>('pingpong', { count: settings.roundTrips, firstSeq: seq });
        const [client1, server1] = await cpuOf(pair);
        replies.set(pair, replies.get(pair)! + result.replies);
        mismatches.set(pair, mismatches.get(pair)! + result.mismatches);
        rounds.get(pair)!.push({
          latency: result.latency,
          roundTrips: result.replies,
          mismatches: result.mismatches,
          clientCpuUs: cpuSpent(client0, client1) / result.replies,
          serverCpuUs: cpuSpent(server0, server1) / result.replies,
          rate: result.replies / (result.elapsedNs / 1e9),
        });
      }
      context.log(`ping-pong: round ${round + 1}/${settings.rounds} done`);
    }
    return pairs.map((pair) => ({ subject: pair.subject, rounds: rounds.get(pair)!, replies: replies.get(pair)!, mismatches: mismatches.get(pair)! }));
  });
}

// ---------------------------------------------------------------------------------------------
// Throughput

/** Settings of {@link runThroughputSuite}. */
export interface ThroughputSettings {
  readonly rounds: number;
  /**
   * Messages per round: a number (the same for every subject), or `{ roundMs }` to size each
   * subject's rounds from its warm-up rate so that a round lasts about `roundMs` (a fixed count
   * makes the fastest subject's rounds so short that one scheduling hiccup decides them, and the
   * slowest subject's needlessly long).
   */
  readonly messages: number | { readonly roundMs: number; readonly min: number; readonly max: number };
  /** Messages of the warm-up round, not measured. */
  readonly warmupMessages: number;
}

/** The messages of one round: `rate` messages/s for about `roundMs`, within bounds, rounded to a thousand. */
export function messagesForRound(rate: number, sizing: { readonly roundMs: number; readonly min: number; readonly max: number }): number {
  const wanted = Number.isFinite(rate) && rate > 0 ? (rate * sizing.roundMs) / 1000 : sizing.min;
  return Math.min(sizing.max, Math.max(sizing.min, Math.round(wanted / 1000) * 1000));
}

/** One measured throughput round of one subject. */
export interface ThroughputRoundResult {
  readonly messages: number;
  /** From the client's first send to the server's last arrival, in ns. */
  readonly elapsedNs: number;
  readonly messagesPerSecond: number;
  /** Frame bytes (header included) per second, in MB (10^6 bytes). */
  readonly megabytesPerSecond: number;
  /** CPU time of the client and of the server per message, in ns. */
  readonly clientCpuNs: number;
  readonly serverCpuNs: number;
  /** Times the client waited for the transport to drain. */
  readonly waits: number;
}

/** Everything the throughput suite measured for one subject. */
export interface ThroughputSubjectResult {
  readonly subject: FlavourSubject;
  readonly rounds: ThroughputRoundResult[];
  /** Messages sent and received over the warm-up and every round. */
  readonly sent: number;
  readonly received: number;
  /** Received messages that were not a request. */
  readonly corrupt: number;
}

async function throughputRound(pair: Pair, messages: number): Promise<{ round: ThroughputRoundResult; arrival: ArrivalResult }> {
  await pair.server.call('expect', { count: messages });
  const [client0, server0] = await cpuOf(pair);
  const [arrival, blast] = await Promise.all([pair.server.call<ArrivalResult>('await-messages'), pair.client.call<BlastResult>('blast', { count: messages })]);
  const [client1, server1] = await cpuOf(pair);
  // Both timestamps are CLOCK_MONOTONIC (process.hrtime), one clock for every process of the machine.
  let elapsedNs = arrival.lastAt - blast.startAt;
  if (!(elapsedNs > 0)) elapsedNs = arrival.lastAt - arrival.firstAt;
  return {
    arrival,
    round: {
      messages,
      elapsedNs,
      messagesPerSecond: messages / (elapsedNs / 1e9),
      megabytesPerSecond: (messages * FRAME_BYTES) / 1e6 / (elapsedNs / 1e9),
      clientCpuNs: (cpuSpent(client0, client1) * 1000) / messages,
      serverCpuNs: (cpuSpent(server0, server1) * 1000) / messages,
      waits: blast.waits,
    },
  };
}

/** One-way: the client sends N 128-byte messages as fast as the transport takes them; the server counts. */
export async function runThroughputSuite(context: SuiteContext, subjects: readonly FlavourSubject[], settings: ThroughputSettings): Promise<ThroughputSubjectResult[]> {
  return withPairs(context, 'throughput', subjects, 'sink', async (pairs) => {
    const totals = new Map<Pair, { sent: number; received: number; corrupt: number }>();
    const rounds = new Map<Pair, ThroughputRoundResult[]>();
    const perRound = new Map<Pair, number>();
    for (const pair of pairs) {
      const total = { sent: 0, received: 0, corrupt: 0 };
      const warmUp = async (messages: number): Promise<ThroughputRoundResult> => {
        const { round, arrival } = await throughputRound(pair, messages);
        total.sent += messages;
        total.received += arrival.received;
        total.corrupt += arrival.corrupt;
        return round;
      };
      const first = await warmUp(settings.warmupMessages);
      let messages: number;
      if (typeof settings.messages === 'number') {
        messages = settings.messages;
      } else {
        // The first warm-up round runs partly cold: size a second one from it, and the measured
        // rounds from the second.
        const second = await warmUp(messagesForRound(first.messagesPerSecond, settings.messages));
        messages = messagesForRound(second.messagesPerSecond, settings.messages);
      }
      context.log(`throughput: warmed up ${pair.subject.id} (${total.sent} messages); ${messages} messages per round`);
      perRound.set(pair, messages);
      totals.set(pair, total);
      rounds.set(pair, []);
    }
    for (let round = 0; round < settings.rounds; round++) {
      for (const pair of roundOrder(pairs, round)) {
        const messages = perRound.get(pair)!;
        const { round: result, arrival } = await throughputRound(pair, messages);
        const total = totals.get(pair)!;
        total.sent += messages;
        total.received += arrival.received;
        total.corrupt += arrival.corrupt;
        rounds.get(pair)!.push(result);
      }
      context.log(`throughput: round ${round + 1}/${settings.rounds} done`);
    }
    return pairs.map((pair) => ({ subject: pair.subject, rounds: rounds.get(pair)!, ...totals.get(pair)! }));
  });
}

// ---------------------------------------------------------------------------------------------
// Idle connections

/** Settings of {@link runIdleSuite}. */
export interface IdleSettings {
  /** Connections held open at once. */
  readonly connections: number;
  /** Measurements per subject (each with fresh processes). */
  readonly rounds: number;
  /** Connects in flight at once while opening. */
  readonly concurrency: number;
}

/** One idle measurement of one subject. */
export interface IdleRoundResult {
  readonly connections: number;
  readonly before: MemorySnapshot;
  readonly after: MemorySnapshot;
  /** Growth of the service process per connection, in bytes. */
  readonly heapPerConnection: number;
  readonly rssPerConnection: number;
  readonly externalPerConnection: number;
  /** How long opening every connection took, in ms. */
  readonly openMs: number;
}

/** Everything the idle suite measured for one subject. */
export interface IdleSubjectResult {
  readonly subject: FlavourSubject;
  readonly rounds: IdleRoundResult[];
}

async function idleRound(context: SuiteContext, subject: FlavourSubject, settings: IdleSettings): Promise<IdleRoundResult> {
  const pair = await startPair(context, 'idle', subject, 'echo', settings.connections + 64, false);
  try {
    const before = await pair.server.memory(true);
    if (!before.collected) throw new Error(`${subject.id}: the server cannot collect garbage (run it with --expose-gc)`);
    const start = performance.now();
    const opened = await pair.client.call<number>('open-idle', { address: pair.address, count: settings.connections, concurrency: settings.concurrency });
    const held = await pair.server.call<number>('wait-connections', { count: settings.connections }, 60_000);
    const openMs = performance.now() - start;
    if (opened !== settings.connections || held !== settings.connections) {
      throw new Error(`${subject.id}: the client opened ${opened} and the server holds ${held} of ${settings.connections} connections`);
    }
    // Let the last accepts and their promise chains settle before measuring.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const after = await pair.server.memory(true);
    const n = settings.connections;
    // The service closes first, so the clients' sockets end cleanly (and TIME_WAIT lands on its port).
    await pair.server.stop();
    await pair.client.call('close-idle');
    await pair.client.stop();
    return {
      connections: n,
      before,
      after,
      heapPerConnection: (after.heapUsed - before.heapUsed) / n,
      rssPerConnection: (after.rss - before.rss) / n,
      externalPerConnection: (after.external - before.external) / n,
      openMs,
    };
  } catch (error) {
    killPairs([pair]);
    throw error;
  }
}

/** N connections held open and silent: the service process's memory per connection. */
export async function runIdleSuite(context: SuiteContext, subjects: readonly FlavourSubject[], settings: IdleSettings): Promise<IdleSubjectResult[]> {
  const rounds = new Map<FlavourSubject, IdleRoundResult[]>(subjects.map((s) => [s, []]));
  for (let round = 0; round < settings.rounds; round++) {
    for (const subject of roundOrder(subjects, round)) {
      context.log(`idle: ${subject.id}, ${settings.connections} connections (round ${round + 1}/${settings.rounds})`);
      rounds.get(subject)!.push(await idleRound(context, subject, settings));
    }
  }
  return subjects.map((subject) => ({ subject, rounds: rounds.get(subject)! }));
}
