import type { ConId } from '../connection/con-id.js';
import { ErrorCode } from '../errors/error-codes.js';
import { NetError } from '../errors/net-error.js';

/** Which way a stored message went. */
export type StoreDirection = 'recv' | 'sent';

/** One message in a {@link MessageStore}. */
export interface StoreEntry<T> {
  /** The connection it went through. */
  readonly conId: ConId;
  /** Whether it was received or sent. */
  readonly direction: StoreDirection;
  /** The message, as stored (after any conversion by the `StoreCallback`). */
  readonly message: T;
  /** Wall-clock time it was stored (`Date.now()`), for display. */
  readonly time: number;
  /** Monotonic time it was stored (`performance.now()`), for measuring intervals. */
  readonly monotonic: number;
  /** Position in everything this store has ever taken, from 0; survives eviction and `clear()`. */
  readonly seq: number;
}

/** Decides whether an entry is the one being looked for. */
export type EntryPredicate<T> = (entry: StoreEntry<T>) => boolean;

/** Options of the waiting `find` methods of a {@link MessageStore}. */
export interface FindOptions {
  /**
   * How long to wait, in milliseconds, for a matching entry to arrive when none is stored yet.
   * Default 0: look once. `Infinity` waits until one arrives.
   */
  readonly timeout?: number;
}

/** Options of a {@link MessageStore}. */
export interface MessageStoreOptions {
  /** The most entries kept; the oldest is evicted to make room. Default {@link DEFAULT_STORE_CAPACITY}. */
  readonly capacity?: number;
}

/** How many entries a {@link MessageStore} keeps unless told otherwise. */
export const DEFAULT_STORE_CAPACITY = 10_000;

interface Waiter<T> {
  readonly name: string | undefined;
  readonly matches: EntryPredicate<T>;
  readonly resolve: (entry: StoreEntry<T> | undefined) => void;
  readonly reject: (error: unknown) => void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * An in-memory log of sent and received messages, for tests and debugging: record traffic
 * through a `StoreCallback`, then look for a message with {@link MessageStore.findNow} or wait for
 * one with {@link MessageStore.find}. Lookups search newest first, so they find the latest
 * matching message. Bounded: once `capacity` entries are held, each new one evicts the oldest.
 */
export class MessageStore<T = unknown> {
  /** The most entries kept. */
  readonly capacity: number;
  // A ring buffer: it grows to `capacity`, then `#start` (the oldest) moves round as entries are
  // overwritten, so eviction is O(1) where Array#shift would copy the whole array.
  private _ring: StoreEntry<T>[] = [];
  private _start = 0;
  private _nextSeq = 0;
  private _cleared = 0;
  private _waiters: Waiter<T>[] = [];

  constructor(options: MessageStoreOptions = {}) {
    const capacity = options.capacity ?? DEFAULT_STORE_CAPACITY;
    if (!Number.isSafeInteger(capacity) || capacity < 1) {
      throw new NetError(ErrorCode.INVALID_ARGUMENT, `capacity must be a whole number >= 1, got ${String(capacity)}`, {
        details: { capacity },
      });
    }
    this.capacity = capacity;
  }

  /** How many entries are held. */
  get size(): number {
    return this._ring.length;
  }

  /** How many entries were evicted to respect `capacity` (entries removed by `clear()` not counted). */
  get evictedCount(): number {
    return this._nextSeq - this._ring.length - this._cleared;
  }

  /** Stores a message, stamped with the current time, and wakes any `find` it satisfies. */
  push(conId: ConId, direction: StoreDirection, message: T): StoreEntry<T> {
    const entry: StoreEntry<T> = {
      conId,
      direction,
      message,
      time: Date.now(),
      monotonic: performance.now(),
      seq: this._nextSeq++,
    };
    if (this._ring.length < this.capacity) {
      this._ring.push(entry);
    } else {
      this._ring[this._start] = entry;
      this._start = (this._start + 1) % this.capacity;
    }
    if (this._waiters.length > 0) this._wake(entry);
    return entry;
  }

  /** The entry at `index`, oldest first; a negative index counts back from the newest. */
  at(index: number): StoreEntry<T> | undefined {
    const size = this._ring.length;
    const i = index < 0 ? size + index : index;
    if (!Number.isInteger(i) || i < 0 || i >= size) return undefined;
    return this._ring[(this._start + i) % size];
  }

  /** The newest entry, if any. */
  last(): StoreEntry<T> | undefined {
    return this.at(-1);
  }

  /** A copy of every entry, oldest first. */
  entries(): StoreEntry<T>[] {
    return [...this._ring.slice(this._start), ...this._ring.slice(0, this._start)];
  }

  /** Forgets every entry. Pending `find` calls keep waiting for new ones. */
  clear(): void {
    this._cleared += this._ring.length;
    this._ring = [];
    this._start = 0;
  }

  /**
   * The newest entry from a connection named `name` (any connection when `undefined`) that
   * satisfies `predicate`, or `undefined`. Never waits.
   */
  findNow(name: string | undefined, predicate?: EntryPredicate<T>): StoreEntry<T> | undefined {
    for (let i = this._ring.length - 1; i >= 0; i--) {
      const entry = this._ring[(this._start + i) % this._ring.length];
      if ((name === undefined || entry.conId.name === name) && (predicate === undefined || predicate(entry)))
        return entry;
    }
    return undefined;
  }

  /**
   * Like {@link MessageStore.findNow}, but when nothing stored matches, waits up to
   * `options.timeout` ms for a matching entry to arrive and resolves with it, or with `undefined`
   * at the timeout. Rejects if `predicate` throws, or with `NET_ERR_INVALID_ARGUMENT` for a
   * negative or NaN timeout.
   */
  find(
    name: string | undefined,
    predicate?: EntryPredicate<T>,
    options: FindOptions = {},
  ): Promise<StoreEntry<T> | undefined> {
    const timeout = options.timeout ?? 0;
    if (typeof timeout !== 'number' || Number.isNaN(timeout) || timeout < 0) {
      return Promise.reject(
        new NetError(ErrorCode.INVALID_ARGUMENT, `timeout must be a number >= 0, got ${String(timeout)}`),
      );
    }
    const matches: EntryPredicate<T> = predicate ?? (() => true);
    let found: StoreEntry<T> | undefined;
    try {
      found = this.findNow(name, matches);
    } catch (error) {
      return Promise.reject(error);
    }
    if (found !== undefined || timeout === 0) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const waiter: Waiter<T> = { name, matches, resolve, reject, timer: undefined };
      // Infinity means no deadline: setTimeout would treat it as 1 ms.
      if (timeout !== Infinity) {
        waiter.timer = setTimeout(() => {
          this._waiters = this._waiters.filter((other) => other !== waiter);
          resolve(undefined);
        }, timeout);
      }
      this._waiters.push(waiter);
    });
  }

  /** The newest received message from `name` whose message satisfies `predicate`, or `undefined`. */
  findRecvNow(name: string | undefined, predicate?: (message: T) => boolean): StoreEntry<T> | undefined {
    return this.findNow(name, byMessage('recv', predicate));
  }

  /** The newest sent message from `name` whose message satisfies `predicate`, or `undefined`. */
  findSentNow(name: string | undefined, predicate?: (message: T) => boolean): StoreEntry<T> | undefined {
    return this.findNow(name, byMessage('sent', predicate));
  }

  /** {@link MessageStore.find} for a received message satisfying `predicate`. */
  findRecv(
    name: string | undefined,
    predicate?: (message: T) => boolean,
    options?: FindOptions,
  ): Promise<StoreEntry<T> | undefined> {
    return this.find(name, byMessage('recv', predicate), options);
  }

  /** {@link MessageStore.find} for a sent message satisfying `predicate`. */
  findSent(
    name: string | undefined,
    predicate?: (message: T) => boolean,
    options?: FindOptions,
  ): Promise<StoreEntry<T> | undefined> {
    return this.find(name, byMessage('sent', predicate), options);
  }

  /**
   * A header, then one line per entry, oldest first: index, time since the previous entry,
   * wall-clock time, connection, direction and the message as JSON (bigints as `123n`).
   */
  toString(): string {
    const lines = [`MessageStore<size: ${this.size}, capacity: ${this.capacity}>`];
    let previous: number | undefined;
    this.entries().forEach((entry, index) => {
      const delta = previous === undefined ? 0 : entry.monotonic - previous;
      previous = entry.monotonic;
      const when = new Date(entry.time).toISOString();
      lines.push(
        `#${index} +${delta.toFixed(3)}ms ${when} ${entry.conId.toString()} ${entry.direction} ${toJson(entry.message)}`,
      );
    });
    return lines.join('\n');
  }

  private _wake(entry: StoreEntry<T>): void {
    const still: Waiter<T>[] = [];
    for (const waiter of this._waiters) {
      let hit: boolean;
      try {
        hit = (waiter.name === undefined || entry.conId.name === waiter.name) && waiter.matches(entry);
      } catch (error) {
        // A throwing predicate belongs to whoever is waiting, not to the connection storing.
        if (waiter.timer !== undefined) clearTimeout(waiter.timer);
        waiter.reject(error);
        continue;
      }
      if (hit) {
        if (waiter.timer !== undefined) clearTimeout(waiter.timer);
        waiter.resolve(entry);
      } else {
        still.push(waiter);
      }
    }
    this._waiters = still;
  }
}

function byMessage<T>(direction: StoreDirection, predicate: ((message: T) => boolean) | undefined): EntryPredicate<T> {
  return predicate === undefined
    ? (entry) => entry.direction === direction
    : (entry) => entry.direction === direction && predicate(entry.message);
}

function toJson(value: unknown): string {
  if (value === undefined) return 'undefined';
  try {
    return (
      JSON.stringify(value, (_key, inner: unknown) => (typeof inner === 'bigint' ? `${inner}n` : inner)) ??
      String(value)
    );
  } catch {
    // Circular structures and other unserialisable values still get a line.
    return String(value);
  }
}
