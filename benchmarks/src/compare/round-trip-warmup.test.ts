import { describe, expect, it } from 'vitest';
import { casesFor, ROUND_TRIP_WARMUP, scaledFor, SUBJECTS, whyNotRun } from './cases.js';
import { renderSummary } from './report.js';
import { Results } from './results.js';

// The round trips' warm-up decides what their tails hold: too short, and a JIT still compiling the
// loop (on helper threads that take a core from a spinning peer) lands in the measured part. No
// speed is measured here: only the case grid and the report's header.

const DEPTHS = ['quick', 'default', 'full'] as const;

describe('the round-trip warm-up', () => {
  it('is as long as the measured part, at every depth, for every subject alike (C included)', () => {
    for (const depth of DEPTHS) {
      const cases = casesFor({ depth, transports: ['tcp', 'unix'], sizes: [128], suites: ['roundtrip'], idleLimit: 0 });
      expect(cases.length, depth).toBe(2);
      for (const c of cases) {
        for (const subject of SUBJECTS.filter((s) => whyNotRun(s, c) === undefined)) {
          const run = scaledFor(subject, c);
          expect(run.warmup, `${depth} ${subject.id}`).toBeGreaterThanOrEqual(run.count);
        }
      }
    }
    const [main] = casesFor({
      depth: 'default',
      transports: ['tcp'],
      sizes: [128],
      suites: ['roundtrip'],
      idleLimit: 0,
    });
    // Past the several thousand messages over which Node 20 was seen to finish compiling a ping-pong.
    expect(main.warmup).toBe(ROUND_TRIP_WARMUP);
    expect(ROUND_TRIP_WARMUP).toBeGreaterThanOrEqual(10_000);
  });

  it("is said in the summary's header and in the round-trip table's title", () => {
    const cases = casesFor({
      depth: 'default',
      transports: ['tcp'],
      sizes: [128],
      suites: ['roundtrip'],
      idleLimit: 0,
    });
    const summary = renderSummary(new Results(), {
      depth: 'default',
      subjects: SUBJECTS.filter((s) => s.id === 'nonblocking' || s.id === 'c-poll'),
      cases,
      notes: [],
      seconds: 1,
      loadAtStart: 0,
    });
    expect(summary).toContain('Warm-up: every subject, C included, makes as many round trips before the measured ones');
    expect(summary).toContain('(20,000 here)');
    expect(summary).toContain('20,000 round trips after 20,000 of warm-up');
  });
});
