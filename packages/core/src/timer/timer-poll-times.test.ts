import { describe, expect, it } from 'vitest';
import { Timer } from './index.js';

describe('Timer.pollTimes', () => {
  it('hands back the same array every call, with the time read and the wait, and reads no clock when idle', () => {
    const clock = { now: 100, reads: 0 };
    const timer = new Timer({ clock: () => (clock.reads++, clock.now) });
    const idle = timer.pollTimes();
    expect(clock.reads).toBe(0);
    expect(idle[0]).toBeNaN();
    expect(idle[1]).toBe(Infinity);
    let runs = 0;
    timer.schedule(10, () => void runs++);
    clock.reads = 0;
    // One array for the timer's life: a number returned per call would be a new heap number.
    const times = timer.pollTimes();
    expect(times).toBe(idle);
    expect([times[0], times[1], clock.reads, runs]).toEqual([100, 10, 1, 0]);
    clock.now = 110;
    expect(timer.pollTimes()).toBe(idle);
    expect([times[0], times[1], runs]).toEqual([110, 10, 1]);
  });
});
