import { describe, expect, it } from 'vitest';
import { Recorder } from './recorder.js';

const job = (budgetMs: number) => ({ mode: 'pingpong' as const, count: 10, warmup: 10, rate: 0, budgetMs });

describe('the recorder of a client', () => {
  it("gives the warm-up the measured part's budget, from when it was made", async () => {
    const generous = new Recorder(job(600_000));
    const spent = new Recorder(job(1));
    // Waits on the clock the recorder reads, not on a fixed sleep: the 1 ms budget has passed once it moved 2 ms.
    const from = performance.now();
    while (performance.now() - from < 2) await new Promise((resolve) => setImmediate(resolve));
    expect(generous.warmupExpired()).toBe(false);
    expect(spent.warmupExpired()).toBe(true);
  });

  it('records only the measured round trips', () => {
    const recorder = new Recorder(job(600_000));
    for (let i = -10; i < 10; i++) {
      recorder.beginRoundTrip(i);
      recorder.endRoundTrip(i);
    }
    expect(recorder.result()).toMatchObject({ count: 10 });
  });
});
