import type { NetError } from '@net/core';
import { type DriverScheduler, RingQueue } from '@net/core/internal';
import { boundedWait, invalidBounds, type Waiter, type WaitBounds } from './bounded-wait.js';

/**
 * Options of a receive or accept: a bound on the wait. After a timeout (`NET_ERR_TIMEOUT`) or an
 * abort (`NET_ERR_ABORTED`) the connection stays usable and no later message is lost.
 */
export type RecvOptions = WaitBounds;

/** A decode error waiting in line with the messages, so it surfaces at the right place. */
class QueuedError {
  constructor(readonly error: NetError) {}
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
  /** Called with each message as it goes to the user (a waiter, or a take). */
  onTaken: ((message: T) => void) | undefined;
  private readonly _queue = new RingQueue<T | QueuedError>();
  private readonly _waiters = new RingQueue<Waiter<T | undefined>>();
  private readonly _scheduler: DriverScheduler;
  private readonly _highMark: number;
  private readonly _lowMark: number;
  private _paused = false;
  private _ended = false;
  private _reason: NetError | undefined;
  // Made once, so a receive that waits allocates only its promise and its waiter.
  private readonly _enlist = (waiter: Waiter<T | undefined>): void => this._waiters.push(waiter);
  private readonly _delist = (waiter: Waiter<T | undefined>): void => {
    this._waiters.remove(waiter);
  };

  constructor(scheduler: DriverScheduler, highMark: number) {
    this._scheduler = scheduler;
    this._highMark = highMark;
    this._lowMark = Math.floor(highMark / 2);
  }

  /** Messages and errors waiting to be taken. */
  get length(): number {
    return this._queue.length;
  }

  /** True once the connection ended (messages may still be waiting to be taken). */
  get ended(): boolean {
    return this._ended;
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
      waiter.cancel();
      this.onTaken?.(message);
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
      waiter.cancel();
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
      waiter.cancel();
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
    this.onTaken?.(item);
    return item;
  }

  /** The next message, waiting for one if needed; `undefined` after a clean end. */
  take(options?: RecvOptions): Promise<T | undefined> {
    if (this._queue.length > 0 || this._ended) {
      const invalid = invalidBounds(options);
      if (invalid !== undefined) return Promise.reject(invalid);
      try {
        return Promise.resolve(this.takeNow());
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return boundedWait<T | undefined>(options, this._scheduler, 'message', this._enlist, this._delist);
  }

  private _afterTake(): void {
    if (this._paused && this._queue.length <= this._lowMark) {
      this._paused = false;
      this.onResume?.();
    }
  }
}
