import { ErrorCode, NetError } from '@net/core';
import { checkTimeout, type DriverScheduler } from '@net/core/internal';

/** Bounds on a wait: a timeout and an abort signal, both optional. */
export interface WaitBounds {
  /**
   * Give up after this many ms with `NET_ERR_TIMEOUT`: `0` unless something is ready now,
   * `Infinity` (or leaving it out) for no bound.
   */
  readonly timeout?: number;
  /** Give up when this signal aborts, with `NET_ERR_ABORTED`. */
  readonly signal?: AbortSignal;
}

/** A pending wait: settle it with `resolve`/`reject`, after `cancel` clears its timer and listener. */
export interface Waiter<T> {
  resolve(value: T): void;
  reject(error: NetError): void;
  /** Clears the timeout and the abort listener; call before settling from outside. */
  cancel(): void;
}

function noCancel(): void {}

/**
 * The `NET_ERR_INVALID_ARGUMENT` for bounds whose `timeout` is not 0 or more ms, else `undefined`.
 * Every wait checks it before looking for something ready, so a bad timeout is refused the same
 * whether or not the call would have had to wait.
 */
export function invalidBounds(bounds: WaitBounds | undefined): NetError | undefined {
  const timeout = bounds?.timeout;
  if (timeout === undefined || (typeof timeout === 'number' && timeout >= 0)) return undefined;
  try {
    checkTimeout('timeout', timeout);
  } catch (error) {
    return error as NetError;
  }
  return undefined;
}

/**
 * Creates a promise whose resolver is registered with `enlist`, and which gives up on its own at
 * the timeout or abort (then `delist` takes the waiter out of its queue). One helper for every
 * bounded wait (receives, accepts, pool receives), so they all time out and abort alike.
 */
export function boundedWait<T>(
  bounds: WaitBounds | undefined,
  scheduler: DriverScheduler,
  what: string,
  enlist: (waiter: Waiter<T>) => void,
  delist: (waiter: Waiter<T>) => void,
): Promise<T> {
  const invalid = invalidBounds(bounds);
  if (invalid !== undefined) return Promise.reject(invalid);
  // An infinite timeout is no bound at all: no timer, which could not take it anyway.
  const timeout = bounds?.timeout === Infinity ? undefined : bounds?.timeout;
  if (timeout === undefined && bounds?.signal === undefined) {
    // The common unbounded wait: no timer, no listener, nothing to cancel.
    return new Promise<T>((resolve, reject) => enlist({ resolve, reject, cancel: noCancel }));
  }
  return new Promise<T>((resolve, reject) => {
    const signal = bounds?.signal;
    if (signal?.aborted) {
      reject(new NetError(ErrorCode.ABORTED, `${what} aborted`, { cause: signal.reason }));
      return;
    }
    let task: { cancel(): void } | undefined;
    let onAbort: (() => void) | undefined;
    const waiter: Waiter<T> = {
      resolve,
      reject,
      cancel: () => {
        task?.cancel();
        if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort);
      },
    };
    if (timeout !== undefined) {
      task = scheduler.once(timeout, () => {
        delist(waiter);
        waiter.cancel();
        reject(new NetError(ErrorCode.TIMEOUT, `no ${what} within ${timeout} ms`, { details: { timeoutMs: timeout } }));
      });
    }
    if (signal !== undefined) {
      onAbort = () => {
        delist(waiter);
        waiter.cancel();
        reject(new NetError(ErrorCode.ABORTED, `${what} aborted`, { cause: signal.reason }));
      };
      signal.addEventListener('abort', onAbort, { once: true });
    }
    enlist(waiter);
  });
}

/** Takes `item` out of `list` if it is there: how a waiter leaves a plain array of waiters. */
export function removeFrom<T>(list: T[], item: T): void {
  const index = list.indexOf(item);
  if (index >= 0) list.splice(index, 1);
}
