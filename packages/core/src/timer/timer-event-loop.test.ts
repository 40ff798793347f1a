import { afterEach, describe, expect, it, vi } from 'vitest';
import { TaskResult, Timer } from './index.js';

describe('Timer attached to the event loop', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('fires a task after a real 20 ms through one unref’d setTimeout', async () => {
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    const timer = new Timer().attachToEventLoop();
    expect(timer.isAttached).toBe(true);
    expect(setTimeoutSpy).not.toHaveBeenCalled(); // nothing scheduled, nothing armed

    const start = performance.now();
    const fired = new Promise<number>((resolve) => timer.once(20, () => resolve(performance.now())));
    expect(setTimeoutSpy).toHaveBeenCalledTimes(1);
    const native = setTimeoutSpy.mock.results[0].value as NodeJS.Timeout;
    // Unref'd: the timer never keeps the process alive on its own.
    expect(native.hasRef()).toBe(false);

    const firedAt = await fired;
    // Runs only once due on the timer's clock, even if Node fires the native timer a little early.
    expect(firedAt - start).toBeGreaterThanOrEqual(20);
    expect(timer.size).toBe(0);
    timer.detach();
  });

  it('keeps one native timer for many tasks and re-arms only for an earlier one', () => {
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    const clearTimeoutSpy = vi.spyOn(globalThis, 'clearTimeout');
    const timer = new Timer().attachToEventLoop();
    for (let i = 0; i < 100; i++) timer.schedule(60_000 + i, () => {});
    expect(setTimeoutSpy).toHaveBeenCalledTimes(1);

    timer.once(30_000, () => {});
    expect(setTimeoutSpy).toHaveBeenCalledTimes(2);
    expect(clearTimeoutSpy).toHaveBeenCalledWith(setTimeoutSpy.mock.results[0].value);
    const armed = setTimeoutSpy.mock.results[1].value as NodeJS.Timeout;
    expect(armed.hasRef()).toBe(false);

    timer.detach();
    expect(timer.isAttached).toBe(false);
    expect(clearTimeoutSpy).toHaveBeenLastCalledWith(armed);
    expect(timer.size).toBe(101); // detaching leaves the tasks for poll()
    timer.clear();
  });

  it('drives a repeating task until it terminates, re-arming after each poll', async () => {
    const timer = new Timer().attachToEventLoop();
    const runs: number[] = [];
    const done = new Promise<void>((resolve) => {
      timer.schedule(5, () => {
        runs.push(performance.now());
        if (runs.length < 3) return TaskResult.COMPLETED;
        resolve();
        return TaskResult.TERMINATE;
      });
    });
    await done;
    expect(runs).toHaveLength(3);
    // Fixed-delay: each run is due one interval after the poll that ran the one before. The task
    // reads the clock a little after its poll does (microseconds, more under a GC pause), so the
    // gap between two readings may fall just short of 5; a fixed-rate catch-up would show ~0.
    expect(runs[1] - runs[0]).toBeGreaterThan(4);
    expect(runs[2] - runs[1]).toBeGreaterThan(4);
    expect(timer.size).toBe(0);
    timer.detach();
  });
});
