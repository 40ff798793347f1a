import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { BeatSummary, BusyBeatSettings, BusyConsumerResult } from './busy-heartbeat.js';
import type { Depth } from './cases.js';
import { clientFailure } from './client-failure.js';
import type { Results } from './results.js';
import { table } from './table-format.js';

/**
 * The threads suite's heartbeat row: a connection whose protocol beats every interval, its
 * receiver given to a PollerThread, the consuming thread busy in bursts that block it whole; the
 * peer, in a process of its own, times every beat. The row is judged on late beats and silence,
 * not on speed, so it is not one of the suite's cases: its figures go under a case of its own.
 */
export const HEARTBEAT_ROW = 'PollerThread heartbeats, consumer busy in 20 ms bursts';
/** The case label the row's figures are filed under. */
export const HEARTBEAT_CASE = 'tcp heartbeat every 100 ms, consumer busy';

/** Figure: beats the peer received between the consumer's start and end marks. */
export const BEATS = 'beats';
/** Figure: beats a beat every interval would have made in that time. */
export const EXPECTED_BEATS = 'expected_beats';
/** Figure: the largest gap between beats, in intervals. */
export const LARGEST_GAP = 'largest_gap_intervals';
/** Figure: gaps over two intervals (beats late by more than one interval). */
export const LATE_BEATS = 'late_beats';
/** 1 when the peer's own silence check would have fired (a gap over the silence limit), else 0. */
export const PEER_SILENCE = 'peer_silence_fired';
/** 1 when the consumer's inbox failed with `NET_ERR_PEER_SILENT`, else 0. */
export const CONSUMER_SILENCE = 'consumer_silence_fired';

/** Every figure the row files, once each. */
export const HEARTBEAT_METRICS = [
  BEATS,
  EXPECTED_BEATS,
  LARGEST_GAP,
  LATE_BEATS,
  PEER_SILENCE,
  CONSUMER_SILENCE,
] as const;

/**
 * The row's settings: SoupBinTCP beats every second; 100 ms keeps the same shape (the beat a small
 * fraction of the interval's traffic) and gives dozens of beats in seconds.
 */
export function heartbeatSettings(depth: Depth): BusyBeatSettings {
  const seconds = depth === 'quick' ? 3 : depth === 'full' ? 30 : 10;
  return { intervalMs: 100, silenceIntervals: 3, burstMs: 20, busyMs: seconds * 1000 };
}

/** The row's program, beside this module in dist. */
const PROGRAM = join(fileURLToPath(new URL('.', import.meta.url)), 'heartbeat-row.js');
/** Attempts before the row counts as failed, as the suite's other rows. */
const ATTEMPTS = 2;
/** Beyond its busy time, how long the row gets (two process starts on a loaded machine) before it is called hung. */
const ROW_SPARE_MS = 120_000;

/** Runs the row on `runtime` (the comparison's own), the peer and the consumer each in a process of its own. */
export async function runHeartbeatRow(depth: Depth, runtime: string, results: Results): Promise<void> {
  const settings = heartbeatSettings(depth);
  const label = `threads heartbeats: ${HEARTBEAT_ROW}`;
  process.stderr.write(`${label} ... `);
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    try {
      addHeartbeatFigures(results, ...(await runOnce(runtime, settings)));
      process.stderr.write('done\n');
      return;
    } catch (error) {
      const why = (error as Error).message;
      if (attempt < ATTEMPTS) {
        results.retried.push({ subject: HEARTBEAT_ROW, case: label, why });
        process.stderr.write(`failed once (${why}), again ... `);
      } else {
        results.skipped.push({ subject: HEARTBEAT_ROW, case: label, why: `failed: ${why}` });
        process.stderr.write(`FAILED (${why})\n`);
      }
    }
  }
}

/** Files the peer's summary and the consumer's result under the row's case. */
export function addHeartbeatFigures(results: Results, summary: BeatSummary, consumer: BusyConsumerResult): void {
  const put = (metric: string, value: number, unit: string): void => {
    results.figures.push({ suite: 'threads', subject: HEARTBEAT_ROW, case: HEARTBEAT_CASE, metric, value, unit });
  };
  put(BEATS, summary.beats, 'beats');
  put(EXPECTED_BEATS, summary.expected, 'beats');
  put(LARGEST_GAP, summary.largestGap, 'intervals');
  put(LATE_BEATS, summary.late, 'beats');
  put(PEER_SILENCE, summary.silenceFired ? 1 : 0, 'yes/no');
  put(CONSUMER_SILENCE, consumer.silent ? 1 : 0, 'yes/no');
}

/** The row's table, or nothing when it did not run. */
export function heartbeatTable(results: Results): string[] {
  const get = (metric: string) => results.get(HEARTBEAT_ROW, 'threads', HEARTBEAT_CASE, metric);
  const beats = get(BEATS);
  if (beats === undefined) return [];
  const yes = (value: number | undefined) => (value === undefined ? '-' : value > 0 ? 'yes' : 'no');
  return [
    `### Heartbeats with the consumer busy (${HEARTBEAT_CASE}; a beat is late when its gap is over 2 intervals)`,
    table(
      [
        'row',
        'beats received',
        'expected',
        'largest gap (intervals)',
        'late beats',
        'peer-silence fired (peer / consumer)',
      ],
      [
        [
          HEARTBEAT_ROW,
          String(beats),
          String(get(EXPECTED_BEATS) ?? '-'),
          (get(LARGEST_GAP) ?? 0).toFixed(2),
          String(get(LATE_BEATS) ?? '-'),
          `${yes(get(PEER_SILENCE))} / ${yes(get(CONSUMER_SILENCE))}`,
        ],
      ],
    ),
  ];
}

async function runOnce(runtime: string, settings: BusyBeatSettings): Promise<[BeatSummary, BusyConsumerResult]> {
  const json = JSON.stringify(settings);
  const peer = spawn(runtime, [PROGRAM, 'peer', json], { stdio: ['ignore', 'pipe', 'pipe'] });
  let consumer: ChildProcess | undefined;
  const timer = setTimeout(() => {
    consumer?.kill('SIGKILL');
    peer.kill('SIGKILL');
  }, settings.busyMs + ROW_SPARE_MS);
  try {
    let started: (child: ChildProcess) => void = () => undefined;
    const consumerOut = new Promise<ChildProcess>((resolve) => (started = resolve)).then((child) =>
      lastJson<BusyConsumerResult>(child),
    );
    const peerOut = lastJson<BeatSummary>(peer, (line) => {
      const port = /^ready (\d+)$/.exec(line)?.[1];
      if (port === undefined) return;
      consumer = spawn(runtime, [PROGRAM, 'consumer', port, json], { stdio: ['ignore', 'pipe', 'pipe'] });
      started(consumer);
    });
    // Whichever fails first is the row's failure; the other is then killed, which must not count
    // as an unhandled rejection.
    consumerOut.catch(() => undefined);
    peerOut.catch(() => undefined);
    // The peer ends once the consumer said `end` or went away.
    const result = await Promise.race([consumerOut, peerOut.then(() => consumerOut)]);
    return [await peerOut, result];
  } finally {
    clearTimeout(timer);
    consumer?.kill('SIGKILL');
    peer.kill('SIGKILL');
  }
}

/**
 * The process's last stdout line as JSON, once it closed with code 0; `onLine` sees every line as
 * it comes.
 */
function lastJson<T>(child: ChildProcess, onLine?: (line: string) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    if (onLine !== undefined) createInterface({ input: child.stdout! }).on('line', onLine);
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    // 'close' comes after stdout has been read to its end; 'exit' can come before.
    child.once('close', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code === 0 && last.startsWith('{')) resolve(JSON.parse(last) as T);
      else reject(clientFailure(code, err));
    });
  });
}
