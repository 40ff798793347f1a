import { ErrorCode, NetError } from '@net/core';
import { checkTimeout } from '@net/core/internal';

/**
 * How long a call of a synchronous flavour may wait, the same option on every send, receive and
 * accept of `@net/nonblocking` and `@net/blocking`.
 */
export interface CallOptions {
  /**
   * The most ms the call waits for its outcome: `0` makes one attempt, `Infinity` waits until it
   * is done. `@net/nonblocking` calls default to `0`, `@net/blocking` calls to `Infinity`.
   */
  readonly timeout?: number;
}

/** The deadline of a call that makes one attempt and never reads the clock. */
export const ONE_ATTEMPT = -1;

/**
 * The deadline (a `performance.now()` time) of a call with these options: {@link ONE_ATTEMPT} for
 * a timeout of 0, `Infinity` for none. Done once per call, never per attempt.
 * @throws NetError `NET_ERR_INVALID_ARGUMENT` for a timeout that is not 0 or more ms
 */
export function deadlineOf(options: CallOptions | undefined, defaultTimeout: number): number {
  return deadlineAfter(options?.timeout ?? defaultTimeout);
}

/**
 * The deadline of a call that may wait `timeout` ms, as {@link deadlineOf}: for calls that take
 * the timeout as a number (links' `...BusywaitTimeout` names), with no options object to build.
 * `name` is how the caller wrote the option, for the message of a bad value.
 * @throws NetError `NET_ERR_INVALID_ARGUMENT` for a timeout that is not 0 or more ms
 */
export function deadlineAfter(timeout: number, name = 'timeout'): number {
  if (timeout === 0) return ONE_ATTEMPT;
  if (timeout === Infinity) return Infinity;
  return performance.now() + checkTimeout(name, timeout);
}

/** True once `deadline` has passed; a call with {@link ONE_ATTEMPT} has always passed it after its attempt. */
export function isPast(deadline: number): boolean {
  return deadline !== Infinity && (deadline === ONE_ATTEMPT || performance.now() >= deadline);
}

/** The `NET_ERR_TIMEOUT` of a `@net/blocking` call that reached its deadline; the connection stays usable. */
export function timedOut(what: string, options: CallOptions | undefined): NetError {
  const timeout = options?.timeout;
  return new NetError(
    ErrorCode.TIMEOUT,
    `${what}: nothing within ${String(timeout)} ms; the connection is still usable`,
    {
      details: { timeoutMs: timeout },
    },
  );
}
