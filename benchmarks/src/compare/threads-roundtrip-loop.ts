import type { ClientResult } from './protocol.js';
import { Recorder } from './recorder.js';

/** How many round trips a threads-suite row makes, and in how long. */
export interface RoundTripCounts {
  readonly count: number;
  readonly warmup: number;
  readonly budgetMs: number;
}

/** The recorder of a threads-suite round-trip row. */
export function roundTripRecorder(job: RoundTripCounts): Recorder {
  return new Recorder({ mode: 'pingpong', count: job.count, warmup: job.warmup, rate: 0, budgetMs: job.budgetMs });
}

/**
 * The same-thread round trips of a threads-suite row: `roundTrip` sends one message and takes its
 * reply on this thread, timed by `recorder`, warm-up first, then the measured part until its
 * count or its budget runs out.
 */
export function sameThreadRoundTrips(job: RoundTripCounts, recorder: Recorder, roundTrip: () => void): ClientResult {
  const warmUntil = performance.now() + job.budgetMs;
  for (let i = -job.warmup; i < job.count; i++) {
    recorder.beginRoundTrip(i);
    roundTrip();
    recorder.endRoundTrip(i);
    if (i >= 0 && recorder.expired()) break;
    // A warm-up past the time budget (a loaded machine) ends early too: the measured part begins.
    if (i < -1 && performance.now() > warmUntil) i = -1;
  }
  return recorder.result();
}
