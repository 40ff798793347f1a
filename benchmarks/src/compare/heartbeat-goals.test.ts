import { describe, expect, it } from 'vitest';
import { summarizeBeats } from './busy-heartbeat.js';
import { casesFor } from './cases.js';
import { judgeGoals, renderGoals, type Verdict } from './goals.js';
import { NO_LATE_BEAT_GOAL, NO_SILENCE_GOAL } from './heartbeat-goals.js';
import { Results } from './results.js';
import { addHeartbeatFigures, heartbeatTable } from './threads-heartbeat.js';
import { threadCases } from './threads-suite.js';

// The heartbeat row's summary and goals on made-up arrival times and figures: no clock is read.

const grid = { depth: 'quick', transports: ['tcp'], sizes: [128], idleLimit: 0 } as const;
const threads = threadCases('quick', 1_000);
const quiet = { silent: false, received: 30 };

function find(verdicts: readonly Verdict[], goal: string): Verdict {
  const verdict = verdicts.find((v) => v.goal === goal);
  if (verdict === undefined) throw new Error(`no goal ${goal}: ${verdicts.map((v) => v.goal).join('; ')}`);
  return verdict;
}

describe('the heartbeat row', () => {
  it('counts a gap over two intervals as a late beat, from the start mark to the end mark', () => {
    // Beats every 100 ms but one 250 ms gap (late by 1.5 intervals) and one of exactly 200 ms.
    const summary = summarizeBeats([100, 200, 450, 550, 750, 850], 0, 900, 100, 3);
    expect(summary).toMatchObject({ beats: 6, expected: 9, late: 1, silenceFired: false });
    expect(summary.largestGap).toBeCloseTo(2.5);
  });

  it('says the peer would have called it silent after a gap over the silence limit, the end mark included', () => {
    expect(summarizeBeats([100, 200], 0, 520, 100, 3).silenceFired).toBe(true);
    expect(summarizeBeats([100, 200], 0, 500, 100, 3).silenceFired).toBe(false);
    expect(summarizeBeats([], 0, 1000, 100, 0).silenceFired).toBe(false);
  });

  it('leaves out beats before the start mark and after the end mark', () => {
    expect(summarizeBeats([-50, 100, 200, 950], 0, 300, 100, 3)).toMatchObject({ beats: 2, expected: 3, late: 0 });
  });

  it('meets both goals with no late beat and no silence, and prints the counts', () => {
    const results = new Results();
    addHeartbeatFigures(results, summarizeBeats([100, 200, 300], 0, 350, 100, 3), quiet);
    const verdicts = judgeGoals(results, threads);
    expect(find(verdicts, NO_LATE_BEAT_GOAL)).toMatchObject({ verdict: 'MET', value: 0 });
    expect(find(verdicts, NO_SILENCE_GOAL)).toMatchObject({ verdict: 'MET', value: 0 });
    expect(renderGoals(verdicts.filter((v) => v.goal === NO_LATE_BEAT_GOAL))).toEqual([
      `goal: ${NO_LATE_BEAT_GOAL}: MET (0.0 late beats)`,
    ]);
    expect(heartbeatTable(results).join('\n')).toContain('| 3 | 3 | 1.00 | 0 | no / no |');
  });

  it('misses the late-beat goal on one late beat, and the silence goal on either side firing', () => {
    const late = new Results();
    addHeartbeatFigures(late, summarizeBeats([100, 350, 450], 0, 500, 100, 3), quiet);
    const lateVerdicts = judgeGoals(late, threads);
    expect(find(lateVerdicts, NO_LATE_BEAT_GOAL)).toMatchObject({ verdict: 'NOT MET', value: 1 });
    expect(find(lateVerdicts, NO_SILENCE_GOAL).verdict).toBe('MET');

    const consumerSilent = new Results();
    addHeartbeatFigures(consumerSilent, summarizeBeats([100, 200], 0, 250, 100, 3), { silent: true, received: 0 });
    expect(find(judgeGoals(consumerSilent, threads), NO_SILENCE_GOAL)).toMatchObject({ verdict: 'NOT MET', value: 1 });

    const peerSilent = new Results();
    addHeartbeatFigures(peerSilent, summarizeBeats([100, 500], 0, 550, 100, 3), quiet);
    expect(find(judgeGoals(peerSilent, threads), NO_SILENCE_GOAL)).toMatchObject({ verdict: 'NOT MET', value: 1 });
  });

  it('is not measured when the threads suite ran without the row, and not judged without the suite', () => {
    const verdicts = judgeGoals(new Results(), threads);
    expect(find(verdicts, NO_LATE_BEAT_GOAL).verdict).toBe('NOT MEASURED');
    expect(find(verdicts, NO_SILENCE_GOAL).verdict).toBe('NOT MEASURED');
    expect(heartbeatTable(new Results())).toEqual([]);
    const others = judgeGoals(new Results(), casesFor({ ...grid, suites: ['roundtrip'] }));
    expect(others.some((v) => v.goal === NO_LATE_BEAT_GOAL)).toBe(false);
  });
});
