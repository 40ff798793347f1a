import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fcRuns } from '../../../../test-support/fc-runs.mjs';
import { Timer, type TimerTask } from './index.js';

interface Expected {
  readonly index: number;
  due: number;
  seq: number;
  active: boolean;
}

const byDueThenSeq = (a: Expected, b: Expected) => a.due - b.due || a.seq - b.seq;

describe('Timer heap ordering (property)', () => {
  it('runs one-shot tasks in due order (ties in scheduling order), across reschedules, cancels and polls', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 1, maxLength: 80 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 60 })), { maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        fc.array(fc.integer({ min: 0, max: 70 }), { maxLength: 6 }),
        (delays, reschedules, cancels, pollTimes) => {
          let now = 0;
          const timer = new Timer({ clock: () => now });
          const ran: { index: number; at: number }[] = [];
          const tasks: TimerTask[] = [];
          const model: Expected[] = [];
          let seq = 0;
          delays.forEach((delay, index) => {
            tasks.push(timer.once(delay, () => void ran.push({ index, at: now })));
            model.push({ index, due: delay, seq: ++seq, active: true });
          });
          for (const [pick, delay] of reschedules) {
            const index = pick % tasks.length;
            tasks[index].reschedule(delay);
            Object.assign(model[index], { due: delay, seq: ++seq });
          }
          for (const pick of cancels) {
            tasks[pick % tasks.length].cancel();
            model[pick % tasks.length].active = false;
          }
          const active = model.filter((task) => task.active);
          expect(timer.size).toBe(active.length);

          const times = [...pollTimes].sort((a, b) => a - b).concat(100);
          for (const time of times) {
            now = time;
            timer.poll();
          }
          const expectedOrder = active.sort(byDueThenSeq);
          expect(ran.map((run) => run.index)).toEqual(expectedOrder.map((task) => task.index));
          // Each ran at the first poll at or after its due time.
          for (const run of ran) {
            expect(run.at).toBe(times.find((time) => time >= model[run.index].due));
          }
          expect(timer.size).toBe(0);
        },
      ),
      { numRuns: fcRuns(100) },
    );
  });

  it('repeats fixed-delay: each run is one interval after the poll of the previous run, never a burst', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 12 }),
        fc.array(fc.integer({ min: 0, max: 45 }), { minLength: 1, maxLength: 40 }),
        (intervals, gaps) => {
          let now = 0;
          const timer = new Timer({ clock: () => now });
          const ran: string[] = [];
          intervals.forEach((interval, index) => timer.schedule(interval, () => void ran.push(`${now}:${index}`)));

          // The same schedule, simulated directly.
          let seq = 0;
          const model: Expected[] = intervals.map((interval, index) => ({
            index,
            due: interval,
            seq: ++seq,
            active: true,
          }));
          const expected: string[] = [];
          for (const gap of gaps) {
            now += gap;
            const waitReported = timer.poll();
            const due = model.filter((task) => task.due <= now).sort(byDueThenSeq);
            for (const task of due) {
              expected.push(`${now}:${task.index}`);
              Object.assign(task, { due: now + intervals[task.index], seq: ++seq });
            }
            expect(waitReported).toBe(Math.min(...model.map((task) => task.due)) - now);
          }
          expect(ran).toEqual(expected);
        },
      ),
      { numRuns: fcRuns(100) },
    );
  });
});
