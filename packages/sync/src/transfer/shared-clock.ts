/**
 * Milliseconds on a clock every thread of the process reads alike (each thread's
 * `performance.now()` counts from its own start), wrapped to 32 bits: compare two readings with
 * `(later - earlier) | 0`, which is right for spans under 24 days.
 */
export function sharedClock(): number {
  return Math.floor(performance.timeOrigin + performance.now()) | 0;
}
