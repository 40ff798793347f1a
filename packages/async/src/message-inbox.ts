import { type DriverScheduler, ErrorCode, NetError, RingQueue } from '@net/core';

/** Options of a receive: a bound on the wait. */
export interface RecvOptions {
  /** Give up after this many ms with `NET_ERR_TIMEOUT`; the connection stays usable. */
  readonly timeout?: number;
  /** Give up when this signal aborts, with `NET_ERR_ABORTED`. */
  readonly signal?: AbortSignal;
}

/** A decode error waiting in line with the messages, so it surfaces at the right place. */
class QueuedError {
  constructor(readonly error: NetError) {}
}

interface Waiter<T> {
  resolve(value: T | undefined): void;
  reject(error: NetError): void;
  cancel: (() => void) | undefined;
}

/**
 * Received messages waiting for `recv()`, and `recv()` calls waiting for messages. A message goes
 * straight to the oldest waiter when there is one, so nothing is queued on the fast path. The
 * queue is bounded by the connection, which stops reading from the socket above `highMark` and
 * resumes below `lowMark` (TCP then slows the peer down).
 */
export class MessageInbox<T> {
  /** Called when the queue fell to the low mark after being above the high mark. */
  onResume: (() => void) | undefined;
  /** Called whenever a message (or error) is queued with nobody waiting: lets a service pool notice. */
  onQueued: (() => void) | undefined;
  private readonly _queue = new RingQueue<T | QueuedError>();
  private readonly _waiters = new RingQueue<Waiter<T>>();
  private readonly _scheduler: DriverScheduler;
  private readonly _highMark: number;
  private readonly _lowMark: number;
  private _paused = false;
  private _ended = false;
  private _reason: NetError | undefined;

  constructor(scheduler: DriverScheduler, highMark: number) {
    this._scheduler = scheduler;
    this._highMark = highMark;
    this._lowMark = Math.floor(highMark / 2);
  }

  /** Messages and errors waiting to be taken. */
  get length(): number {
    return this._queue.length;
  }

  /** True once the connection ended and nothing is left to take. */
  get finished(): boolean {
    return this._ended && this._queue.length === 0;
  }

  /**
   * Hands `message` to a waiter or queues it.
   * @returns false when the queue is now full and reading should pause
   */
  push(message: T): boolean {
    const waiter = this._waiters.shift();
    if (waiter !== undefined) {
      waiter.cancel?.();
      waiter.resolve(message);
      return true;
    }
    this._queue.push(message);
    this.onQueued?.();
    if (this._queue.length >= this._highMark) this._paused = true;
    return !this._paused;
  }

  /** Queues an error that the next `take` reports (a frame that did not decode). */
  pushError(error: NetError): void {
    const waiter = this._waiters.shift();
    if (waiter !== undefined) {
      waiter.cancel?.();
      waiter.reject(error);
      return;
    }
    this._queue.push(new QueuedError(error));
    this.onQueued?.();
  }

  /** No more messages will come: waiters get `undefined` (clean end) or `reason`. */
  end(reason: NetError | undefined): void {
    if (this._ended) return;
    this._ended = true;
    this._reason = reason;
    for (let waiter = this._waiters.shift(); waiter !== undefined; waiter = this._waiters.shift()) {
      waiter.cancel?.();
      if (reason === undefined) waiter.resolve(undefined);
      else waiter.reject(reason);
    }
    this.onQueued?.();
  }

  /**
   * The next message without waiting: a message, `undefined` when none is queued.
   * @throws NetError a queued decode error, or the end reason once everything was taken
   */
  takeNow(): T | undefined {
    const item = this._queue.shift();
    if (item === undefined) {
      if (this._ended && this._reason !== undefined) throw this._reason;
      return undefined;
    }
    this._afterTake();
    if (item instanceof QueuedError) throw item.error;
    return item;
  }

  /** The next message, waiting for one if needed; `undefined` after a clean end. */
  take(options?: RecvOptions): Promise<T | undefined> {
    if (this._queue.length > 0 || this._ended) {
      try {
        return Promise.resolve(this.takeNow());
      } catch (error) {
        return Promise.reject(error as NetError);
      }
    }
    return new Promise<T | undefined>((resolve, reject) => {
      const waiter: Waiter<T> = { resolve, reject, cancel: undefined };
      const signal = options?.signal;
      if (signal?.aborted) {
        reject(aborted(signal));
        return;
      }
      let task: { cancel(): void } | undefined;
      let onAbort: (() => void) | undefined;
      const timeout = options?.timeout;
      if (timeout !== undefined) {
        task = this._scheduler.once(timeout, () => {
          this._waiters.remove(waiter);
          if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort);
          reject(new NetError(ErrorCode.TIMEOUT, `no message within ${timeout} ms`, { details: { timeoutMs: timeout } }));
        });
      }
      if (signal !== undefined) {
        onAbort = () => {
          this._waiters.remove(waiter);
          task?.cancel();
          reject(aborted(signal));
        };
        signal.addEventListener('abort', onAbort, { once: true });
      }
      if (task !== undefined || onAbort !== undefined) {
        waiter.cancel = () => {
          task?.cancel();
          if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort);
        };
      }
      this._waiters.push(waiter);
    });
  }

  private _afterTake(): void {
    if (this._paused && this._queue.length <= this._lowMark) {
      this._paused = false;
      this.onResume?.();
    }
  }
}

function aborted(signal: AbortSignal): NetError {
  return new NetError(ErrorCode.ABORTED, 'receive aborted', { cause: signal.reason });
}
