import { describe, expect, it, vi } from 'vitest';
import { ErrorCode, NetError } from '../index.js';
import { defaultTimer, TaskResult, Timer, type TimerTask } from './index.js';

/** A timer on a hand-driven clock, so every test decides exactly when "now" is. */
function fakeTimer(onError?: (error: unknown, name: string) => void) {
  const clock = { now: 0 };
  const timer = new Timer({ clock: () => clock.now, ...(onError ? { onError } : {}) });
  /** Polls at each due time until nothing is left (or `until` is passed), like a flavour's wait loop. */
  const runUntilIdle = (until = Infinity): number => {
    let polls = 0;
    for (let wait = timer.poll(); wait !== Infinity && clock.now + wait <= until; wait = timer.poll()) {
      clock.now += wait;
      polls++;
    }
    return polls;
  };
  return { clock, timer, runUntilIdle };
}

describe('Timer (C9, on a fake clock)', () => {
  it('reads no clock to poll while nothing is scheduled, and reads it again once something is', () => {
    let reads = 0;
    const timer = new Timer({ clock: () => (reads++, 0) });
    expect(timer.poll()).toBe(Infinity);
    expect(reads).toBe(0);
    const task = timer.schedule(10, () => undefined);
    reads = 0;
    expect(timer.poll()).toBe(10);
    expect(reads).toBe(1);
    task.cancel();
    // A time given is still checked, scheduled tasks or not.
    expect(() => timer.poll(Number.NaN)).toThrow(expect.objectContaining({ code: 'NET_ERR_INVALID_ARGUMENT' }));
  });

  it('runs two repeating tasks that terminate after 5 and 3 runs, on time and no more', () => {
    const { clock, timer, runUntilIdle } = fakeTimer();
    const runsA: number[] = [];
    const runsB: number[] = [];
    timer.schedule(10, () => (runsA.push(clock.now) === 5 ? TaskResult.TERMINATE : TaskResult.COMPLETED), {
      name: 'a',
    });
    timer.schedule(10, () => (runsB.push(clock.now) === 3 ? TaskResult.TERMINATE : undefined), { name: 'b' });
    expect(timer.size).toBe(2);
    runUntilIdle();
    expect(runsA).toEqual([10, 20, 30, 40, 50]);
    expect(runsB).toEqual([10, 20, 30]);
    // Exactly 5 intervals: the whole run took 100% of the expected time (links allows 110%).
    expect(clock.now).toBe(50);
    expect(timer.size).toBe(0);
    expect(timer.poll()).toBe(Infinity);
  });

  it('reschedules fixed-delay from the run: a late poll runs each due task once, no catch-up burst', () => {
    const { clock, timer } = fakeTimer();
    const runs: number[] = [];
    const task = timer.schedule(10, () => void runs.push(clock.now));
    clock.now = 10;
    expect(timer.poll()).toBe(10);
    clock.now = 55; // 3.5 intervals late
    expect(timer.poll()).toBe(10);
    expect(runs).toEqual([10, 55]);
    expect(task.dueAt).toBe(65);
    clock.now = 64;
    expect(timer.poll()).toBe(1);
    clock.now = 65;
    expect(timer.poll()).toBe(10);
    expect(runs).toEqual([10, 55, 65]);
  });

  it('honours delayMs for the first run (0 runs at the next poll) and once() runs a single time', () => {
    const { clock, timer, runUntilIdle } = fakeTimer();
    const runs: string[] = [];
    let repeats = 0;
    timer.schedule(10, () => (runs.push(`r${clock.now}`), ++repeats === 3 ? TaskResult.TERMINATE : undefined), {
      delayMs: 0,
    });
    const single = timer.once(15, () => void runs.push(`o${clock.now}`));
    runUntilIdle();
    expect(runs).toEqual(['r0', 'r10', 'o15', 'r20']);
    expect(single.isActive).toBe(false);
    expect(single.dueAt).toBeUndefined();
  });

  it('retries after the time a task asks for, then resumes its interval', () => {
    const { clock, timer, runUntilIdle } = fakeTimer();
    const runs: number[] = [];
    timer.schedule(10, () => {
      runs.push(clock.now);
      if (runs.length <= 2) return TaskResult.retryAfter(3);
      return runs.length === 4 ? TaskResult.TERMINATE : TaskResult.COMPLETED;
    });
    // A one-shot task can retry too (a connect attempt, say) and ends on its first success.
    const attempts: number[] = [];
    timer.once(5, () => (attempts.push(clock.now) < 3 ? TaskResult.retryAfter(1) : undefined));
    runUntilIdle();
    expect(runs).toEqual([10, 13, 16, 26]);
    expect(attempts).toEqual([5, 6, 7]);
    expect(timer.size).toBe(0);
  });

  it('runs a task that keeps returning retryAfter(0) once per poll, never spinning inside one', () => {
    const { timer } = fakeTimer();
    let runs = 0;
    timer.once(0, () => (runs++, TaskResult.retryAfter(0)));
    expect(timer.poll()).toBe(0);
    expect(timer.poll()).toBe(0);
    expect(runs).toBe(2);
  });

  it('cancels: before the run, from its own run, and from another task of the same poll', () => {
    const { clock, timer, runUntilIdle } = fakeTimer();
    const ran: string[] = [];
    const never = timer.schedule(10, () => void ran.push('never'));
    expect(never.cancel()).toBe(true);
    expect(never.cancel()).toBe(false);
    expect(never.isActive).toBe(false);
    const self: TimerTask = timer.schedule(10, () => {
      ran.push(`self${clock.now}`);
      if (clock.now === 20) self.cancel();
    });
    let victim: TimerTask | undefined = undefined;
    timer.once(30, () => void (ran.push('killer'), victim!.cancel()), { name: 'killer' });
    victim = timer.once(30, () => void ran.push('victim'));
    expect(timer.size).toBe(3);
    runUntilIdle();
    expect(ran).toEqual(['self10', 'self20', 'killer']);
    expect(victim.isActive).toBe(false);
    expect(timer.size).toBe(0);
  });

  it('reschedules later (a heartbeat pushed back by each send), earlier, and from inside the run', () => {
    const { clock, timer, runUntilIdle } = fakeTimer();
    const beats: number[] = [];
    const heartbeat = timer.schedule(10, () => void beats.push(clock.now));
    // "Sends" at 4, 8, 12: each pushes the beat to 10 ms after the send.
    for (const sendAt of [4, 8, 12]) {
      clock.now = sendAt;
      expect(timer.poll()).toBe(6);
      expect(heartbeat.reschedule(10)).toBe(true);
    }
    expect(heartbeat.dueAt).toBe(22);
    runUntilIdle(40);
    expect(beats).toEqual([22, 32]);

    expect(heartbeat.reschedule(1)).toBe(true); // earlier than its due 42
    expect(timer.poll()).toBe(1);
    clock.now += 1;
    timer.poll();
    expect(beats).toEqual([22, 32, 33]);

    const selfTimed = timer.schedule(100, () => {
      selfTimed.reschedule(5); // overrides the interval for the next run only
    });
    clock.now = 133;
    timer.poll();
    expect(selfTimed.dueAt).toBe(138);
    heartbeat.cancel();
    selfTimed.cancel();
    expect(heartbeat.reschedule(5)).toBe(false);
    expect(timer.size).toBe(0);
  });

  it('reports a task that throws, cancels it, and still runs the other due tasks', () => {
    const errors: [unknown, string][] = [];
    const { timer } = fakeTimer((error, name) => errors.push([error, name]));
    const boom = new Error('boom');
    const ran: string[] = [];
    const bad = timer.schedule(
      10,
      () => {
        throw boom;
      },
      { name: 'bad' },
    );
    timer.schedule(10, () => void ran.push('good'), { name: 'good' });
    timer.once(10, () => 'nonsense' as unknown as TaskResult, { name: 'odd' });
    timer.poll(10);
    expect(errors[0]).toEqual([boom, 'bad']);
    expect(errors[1][1]).toBe('odd');
    expect(NetError.hasCode(errors[1][0], ErrorCode.INVALID_ARGUMENT)).toBe(true);
    expect(bad.isActive).toBe(false);
    expect(ran).toEqual(['good']);
    timer.poll(20);
    expect(errors).toHaveLength(2);
    expect(ran).toEqual(['good', 'good']);
  });

  it('survives an onError handler that throws, logging both errors to the console', () => {
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const { timer } = fakeTimer(() => {
        throw new Error('handler broke');
      });
      let ran = false;
      timer.once(1, () => {
        throw new Error('task broke');
      });
      timer.once(1, () => void (ran = true));
      timer.poll(1);
      expect(ran).toBe(true);
      expect(consoleError).toHaveBeenCalledTimes(1);
    } finally {
      consoleError.mockRestore();
    }
  });

  it('clear() stops every task, even the rest of a poll under way, and scheduling works afterwards', () => {
    const { clock, timer, runUntilIdle } = fakeTimer();
    const ran: string[] = [];
    timer.schedule(10, () => void ran.push('a'));
    timer.schedule(10, () => void ran.push('b'));
    timer.poll(10);
    expect(ran).toEqual(['a', 'b']);
    timer.clear();
    expect(timer.size).toBe(0);
    expect(timer.poll(100)).toBe(Infinity);
    expect(ran).toEqual(['a', 'b']);

    clock.now = 100;
    timer.once(5, () => void (ran.push('clearer'), timer.clear()));
    timer.once(5, () => void ran.push('after-clearer'));
    runUntilIdle();
    expect(ran).toEqual(['a', 'b', 'clearer']);

    const c = timer.schedule(10, () => (ran.push('c'), TaskResult.TERMINATE));
    runUntilIdle();
    expect(ran.at(-1)).toBe('c');
    expect(c.isActive).toBe(false);
  });

  it('runs nothing when poll() is called from inside a task, and only reports the wait', () => {
    const { clock, timer } = fakeTimer();
    let inner = -1;
    let runs = 0;
    timer.once(1, () => void (inner = timer.poll()));
    timer.once(1, () => void runs++);
    timer.once(7, () => void runs++);
    clock.now = 1;
    timer.poll();
    expect(runs).toBe(1);
    expect(inner).toBe(6);
  });

  it('validates durations with NET_ERR_INVALID_ARGUMENT', () => {
    const { timer } = fakeTimer();
    const invalid = expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT });
    expect(() => timer.schedule(0, () => {})).toThrow(invalid);
    expect(() => timer.schedule(Number.NaN, () => {})).toThrow(invalid);
    expect(() => timer.schedule(10, () => {}, { delayMs: -1 })).toThrow(invalid);
    expect(() => timer.once(Infinity, () => {})).toThrow(invalid);
    expect(() => timer.once(1, undefined as unknown as () => void)).toThrow(invalid);
    expect(() => TaskResult.retryAfter(-5)).toThrow(invalid);
    const task = timer.once(1, () => {});
    expect(() => task.reschedule(-1)).toThrow(invalid);
    expect(() => timer.poll(Number.NaN)).toThrow(invalid);
    expect(timer.size).toBe(1);
  });

  it('shares one default timer per thread, starting detached', () => {
    expect(defaultTimer()).toBe(defaultTimer());
    expect(defaultTimer().isAttached).toBe(false);
  });
});
