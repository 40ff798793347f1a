import type { Case } from './cases.js';
import type { Verdict } from './goals.js';
import type { Results } from './results.js';
import { CONSUMER_SILENCE, HEARTBEAT_CASE, HEARTBEAT_ROW, LATE_BEATS, PEER_SILENCE } from './threads-heartbeat.js';

/** The goal on late beats, in words. */
export const NO_LATE_BEAT_GOAL = 'with the consumer busy, no heartbeat is late by more than one interval';
/** The goal on peer silence, in words. */
export const NO_SILENCE_GOAL = 'with the consumer busy, no peer-silence fires';

/**
 * The heartbeat row's goals, judged when the run has the threads suite: no beat late by more than
 * one interval (a count of gaps over two intervals, MET only at 0), and no peer-silence check
 * firing, neither the peer's (a gap over its limit) nor the consumer's (`NET_ERR_PEER_SILENT`).
 * Counts, not ratios: one late beat or one silence is NOT MET.
 */
export function judgeHeartbeatGoals(results: Results, cases: readonly Case[]): Verdict[] {
  if (!cases.some((c) => c.suite === 'threads')) return [];
  const get = (metric: string) => results.get(HEARTBEAT_ROW, 'threads', HEARTBEAT_CASE, metric);
  const late = get(LATE_BEATS);
  const peer = get(PEER_SILENCE);
  const consumer = get(CONSUMER_SILENCE);
  const silences = peer === undefined || consumer === undefined ? undefined : peer + consumer;
  const judge = (goal: string, value: number | undefined, unit: string): Verdict => ({
    goal,
    value,
    verdict: value === undefined ? 'NOT MEASURED' : value === 0 ? 'MET' : 'NOT MET',
    unit,
  });
  return [judge(NO_LATE_BEAT_GOAL, late, 'late beats'), judge(NO_SILENCE_GOAL, silences, 'silences')];
}
