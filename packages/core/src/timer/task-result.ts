import { ErrorCode } from '../errors/error-codes.js';
import { NetError } from '../errors/net-error.js';

/** What a task asks for by returning {@link TaskResult.retryAfter}: run again after `retryAfterMs`. */
export interface RetryAfter {
  /** Milliseconds from the run that returned this until the next run. */
  readonly retryAfterMs: number;
}

/**
 * What a timer task tells the timer after a run (links' `TimerTaskStatus`). Returning nothing
 * means {@link TaskResult.COMPLETED}.
 *
 * - `COMPLETED`: this run is done; a repeating task runs again one interval after this run, a
 *   one-shot task ends.
 * - `TERMINATE`: the task ends and leaves the timer.
 * - `retryAfter(ms)`: run again `ms` after this run instead of after the interval (for example a
 *   heartbeat whose send would block). Works for one-shot tasks too.
 */
export const TaskResult = {
  /** Done for now; a repeating task runs again after its interval. */
  COMPLETED: 'completed',
  /** Stop; the task is removed from the timer. */
  TERMINATE: 'terminate',
  /** Run again `ms` milliseconds after this run (at least 0) instead of after the interval. */
  retryAfter(ms: number): RetryAfter {
    return { retryAfterMs: checkMs('retryAfterMs', ms, false) };
  },
} as const;

/** One of the answers in {@link TaskResult}. */
export type TaskResult = typeof TaskResult.COMPLETED | typeof TaskResult.TERMINATE | RetryAfter;

/** The body of a timer task. It runs synchronously inside `Timer.poll`, so it must be quick. */
export type TaskFunction = () => TaskResult | void;

/**
 * Validates a duration in milliseconds: a finite number, at least 0 (above 0 when `positive`).
 * Fractions are allowed because callers often compute delays from `performance.now()`.
 * @internal
 */
export function checkMs(name: string, value: number, positive: boolean): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (positive && value === 0)) {
    throw new NetError(
      ErrorCode.INVALID_ARGUMENT,
      `${name} must be a finite number of milliseconds ${positive ? 'above' : 'from'} 0, got ${String(value)}`,
      { details: { option: name, value } },
    );
  }
  return value;
}
