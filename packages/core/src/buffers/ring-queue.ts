/**
 * A first-in, first-out queue on a power-of-two ring of slots, so taking from the front is O(1)
 * with no `Array#shift` and steady traffic allocates nothing; the ring doubles when full.
 *
 * ```
 *  head                 tail
 *   v                    v
 * [ a | b | c | d | . | . | . | . ]   length 4, capacity 8
 * ```
 */
export class RingQueue<T> {
  private _slots: (T | undefined)[] = [];
  private _mask = 0;
  private readonly _initialCapacity: number;
  private _head = 0;
  private _length = 0;

  constructor(initialCapacity = 16) {
    let capacity = 2;
    while (capacity < initialCapacity) capacity *= 2;
    // Slots are allocated on the first push: many queues (one per idle connection) stay empty.
    this._initialCapacity = capacity;
  }

  /** Items in the queue. */
  get length(): number {
    return this._length;
  }

  /** Adds `item` at the back. */
  push(item: T): void {
    if (this._length === this._slots.length) this._grow();
    this._slots[(this._head + this._length) & this._mask] = item;
    this._length++;
  }

  /** Removes and returns the front item, or `undefined` when empty. */
  shift(): T | undefined {
    if (this._length === 0) return undefined;
    const item = this._slots[this._head];
    this._slots[this._head] = undefined;
    this._head = (this._head + 1) & this._mask;
    this._length--;
    return item;
  }

  /** The front item without removing it. */
  peek(): T | undefined {
    return this._length === 0 ? undefined : this._slots[this._head];
  }

  /** Removes the first item equal to `item`; true when one was found. O(n), for rare removals. */
  remove(item: T): boolean {
    for (let i = 0; i < this._length; i++) {
      if (this._slots[(this._head + i) & this._mask] === item) {
        for (let j = i; j < this._length - 1; j++) {
          this._slots[(this._head + j) & this._mask] = this._slots[(this._head + j + 1) & this._mask];
        }
        this._slots[(this._head + this._length - 1) & this._mask] = undefined;
        this._length--;
        return true;
      }
    }
    return false;
  }

  /** Empties the queue, dropping references to the items. */
  clear(): void {
    this._slots.fill(undefined);
    this._head = 0;
    this._length = 0;
  }

  /** Iterates front to back without removing. */
  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = 0; i < this._length; i++) yield this._slots[(this._head + i) & this._mask] as T;
  }

  private _grow(): void {
    const old = this._slots;
    const next = new Array<T | undefined>(old.length === 0 ? this._initialCapacity : old.length * 2);
    for (let i = 0; i < this._length; i++) next[i] = old[(this._head + i) & this._mask];
    this._slots = next;
    this._mask = next.length - 1;
    this._head = 0;
  }
}
