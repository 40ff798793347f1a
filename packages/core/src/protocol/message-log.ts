import { checkIntegerOption } from '../options/check-integer-option.js';

/**
 * An in-memory, append-only log of messages numbered from 1, for protocols that replay what a
 * client missed (SoupBinTCP's sequenced data). Bounded: past `capacity` the oldest entries are
 * dropped and {@link firstSequence} moves on, so a client asking for them can be told they are gone.
 */
export class MessageLog<T> {
  /** Most entries kept. */
  readonly capacity: number;
  private readonly _entries: (T | undefined)[];
  private _first = 1;
  private _next = 1;

  constructor(capacity = 1_000_000) {
    this.capacity = checkIntegerOption('capacity', capacity, 1, 1 << 30);
    this._entries = [];
  }

  /** Appends `message` and returns its sequence number. */
  append(message: T): number {
    const sequence = this._next++;
    this._entries[(sequence - 1) % this.capacity] = message;
    if (this._next - this._first > this.capacity) this._first++;
    return sequence;
  }

  /** Sequence number of the oldest entry still kept (equals {@link nextSequence} when empty). */
  get firstSequence(): number {
    return this._first;
  }

  /** Sequence number the next append will get. */
  get nextSequence(): number {
    return this._next;
  }

  /** Entries kept. */
  get length(): number {
    return this._next - this._first;
  }

  /** The entry with `sequence`, or undefined when it was never written or has been dropped. */
  get(sequence: number): T | undefined {
    if (sequence < this._first || sequence >= this._next) return undefined;
    return this._entries[(sequence - 1) % this.capacity];
  }

  /** Entries from `sequence` (inclusive) to the newest, oldest first, as `[sequence, message]`. */
  *from(sequence: number): IterableIterator<[number, T]> {
    for (let s = Math.max(sequence, this._first); s < this._next; s++)
      yield [s, this._entries[(s - 1) % this.capacity] as T];
  }
}
