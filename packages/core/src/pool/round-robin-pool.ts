import { ErrorCode } from '../errors/error-codes.js';
import { NetError } from '../errors/net-error.js';
import { checkIntegerOption } from '../options/check-integer-option.js';

/**
 * Largest `maxCapacity` a {@link RoundRobinPool} accepts (2^24). It keeps `generation * capacity
 * + slot` ids far inside the safe-integer range: a slot can be reused 2^29 times before its
 * generation wraps.
 */
export const MAX_POOL_CAPACITY = 1 << 24;

/**
 * A fixed-capacity pool served in round-robin order, such as the connections of a service.
 *
 * - **Ids**: `add` returns a numeric id made of the item's slot and that slot's generation, so an
 *   id kept after its item was removed never reaches a newer item in the same slot.
 * - **Full**: `add` throws `NET_ERR_REJECTED` and `tryAdd` returns `undefined`. Either way the
 *   item is left with the caller, who still owns it (for example must close the socket); links
 *   dropped it instead.
 * - **Fairness**: `next` serves the item that has waited longest since it was added or last
 *   served: the items form a queue, `next` moves the head to the back, and new items join the
 *   back. Between two turns of one item every other item present throughout gets exactly one.
 * - **Cost**: add, remove, get and next are O(1): the order is a circular doubly linked list over
 *   slot indices, free slots are a stack, and nothing is spliced.
 *
 * Iteration (`for…of`, `values`, `ids`, `forEach`) goes in slot order and tolerates removals
 * while it runs; items added while it runs are not visited.
 */
export class RoundRobinPool<T> {
  /** The most items the pool holds at once. */
  readonly maxCapacity: number;

  // Per slot. Arrays grow to the peak number of items held at once, never beyond maxCapacity.
  private readonly _items: (T | undefined)[] = [];
  private readonly _ids: number[] = []; // id of the item in the slot, -1 when free
  private readonly _generations: number[] = [];
  private readonly _addedAt: number[] = []; // value of _adds when the item came, for iteration
  private readonly _prev: number[] = [];
  private readonly _next: number[] = [];
  private readonly _free: number[] = [];
  private readonly _maxGeneration: number;
  private _size = 0;
  private _head = -1; // slot next() serves; -1 when empty
  private _lastUsed = -1; // slot next() served last; -1 when none or removed since
  private _adds = 0;

  /** A pool of at most `maxCapacity` items (1 to {@link MAX_POOL_CAPACITY}). */
  constructor(maxCapacity: number) {
    this.maxCapacity = checkIntegerOption('maxCapacity', maxCapacity, 1, MAX_POOL_CAPACITY);
    this._maxGeneration = Math.floor((Number.MAX_SAFE_INTEGER - maxCapacity) / maxCapacity);
  }

  /** Number of items. */
  get size(): number {
    return this._size;
  }

  /** True when there are no items. */
  get isEmpty(): boolean {
    return this._size === 0;
  }

  /** True when another item fits. */
  get hasCapacity(): boolean {
    return this._size < this.maxCapacity;
  }

  /** Adds `item` at the back of the round-robin order and returns its id; `undefined` when full. */
  tryAdd(item: T): number | undefined {
    if (this._size >= this.maxCapacity) return undefined;
    let slot = this._free.pop();
    if (slot === undefined) {
      slot = this._items.length;
      this._items.push(undefined);
      this._ids.push(-1);
      this._generations.push(0);
      this._addedAt.push(0);
      this._prev.push(slot);
      this._next.push(slot);
    }
    let generation = this._generations[slot] + 1;
    if (generation > this._maxGeneration) generation = 1;
    this._generations[slot] = generation;
    const id = generation * this.maxCapacity + slot;
    this._items[slot] = item;
    this._ids[slot] = id;
    this._addedAt[slot] = ++this._adds;
    if (this._head < 0) {
      this._prev[slot] = slot;
      this._next[slot] = slot;
      this._head = slot;
    } else {
      // Link in just before the head: the back of the queue.
      const tail = this._prev[this._head];
      this._next[tail] = slot;
      this._prev[slot] = tail;
      this._next[slot] = this._head;
      this._prev[this._head] = slot;
    }
    this._size++;
    return id;
  }

  /**
   * Adds `item` at the back of the round-robin order and returns its id. Throws
   * `NET_ERR_REJECTED` when the pool is full; the item then stays the caller's to dispose of.
   */
  add(item: T): number {
    const id = this.tryAdd(item);
    if (id === undefined) {
      throw new NetError(ErrorCode.REJECTED, `pool is at its capacity of ${this.maxCapacity}; the item was not added`, {
        details: { maxCapacity: this.maxCapacity },
      });
    }
    return id;
  }

  /** True when `id` names an item in the pool. */
  has(id: number): boolean {
    return this._slotOf(id) >= 0;
  }

  /** The item with `id`, or `undefined` when it is not in the pool (removed, or a stale id). */
  get(id: number): T | undefined {
    const slot = this._slotOf(id);
    return slot < 0 ? undefined : this._items[slot];
  }

  /** Removes and returns the item with `id`; `undefined` (and no change) for an unknown or stale id. */
  remove(id: number): T | undefined {
    const slot = this._slotOf(id);
    return slot < 0 ? undefined : this._removeSlot(slot);
  }

  /** The next item in round-robin order, which becomes the last used; `undefined` when empty. */
  next(): T | undefined {
    const slot = this._head;
    if (slot < 0) return undefined;
    this._lastUsed = slot;
    this._head = this._next[slot];
    return this._items[slot];
  }

  /** The item {@link next} returned last, or `undefined` if none yet or it has been removed since. */
  current(): T | undefined {
    return this._lastUsed < 0 ? undefined : this._items[this._lastUsed];
  }

  /** The id of {@link current}'s item, or `undefined`. */
  get lastUsedId(): number | undefined {
    return this._lastUsed < 0 ? undefined : this._ids[this._lastUsed];
  }

  /** Removes and returns the item {@link next} returned last (say, a connection that failed). */
  removeLastUsed(): T | undefined {
    return this._lastUsed < 0 ? undefined : this._removeSlot(this._lastUsed);
  }

  /** Removes every item. Ids handed out before stay stale: generations are kept. */
  clear(): void {
    const slots = this._items.length;
    this._free.length = 0;
    // Descending, so the stack hands slot 0 out first again.
    for (let slot = slots - 1; slot >= 0; slot--) {
      this._items[slot] = undefined;
      this._ids[slot] = -1;
      this._free.push(slot);
    }
    this._size = 0;
    this._head = -1;
    this._lastUsed = -1;
  }

  /** Calls `fn` for every item, in slot order (see the class notes on changes while iterating). */
  forEach(fn: (item: T, id: number, pool: this) => void): void {
    const seen = this._adds;
    for (let slot = 0; slot < this._items.length; slot++) {
      const id = this._ids[slot];
      if (id >= 0 && this._addedAt[slot] <= seen) fn(this._items[slot] as T, id, this);
    }
  }

  /** The ids of the items, in slot order. */
  *ids(): IterableIterator<number> {
    const seen = this._adds;
    for (let slot = 0; slot < this._items.length; slot++) {
      const id = this._ids[slot];
      if (id >= 0 && this._addedAt[slot] <= seen) yield id;
    }
  }

  /** The items, in slot order. */
  *values(): IterableIterator<T> {
    const seen = this._adds;
    // Generators resume slot by slot, so an item removed by the loop body before its turn is skipped.
    for (let slot = 0; slot < this._items.length; slot++) {
      if (this._ids[slot] >= 0 && this._addedAt[slot] <= seen) yield this._items[slot] as T;
    }
  }

  /** Same as {@link values}. */
  [Symbol.iterator](): IterableIterator<T> {
    return this.values();
  }

  private _slotOf(id: number): number {
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) return -1;
    const slot = id % this.maxCapacity;
    return this._ids[slot] === id ? slot : -1;
  }

  private _removeSlot(slot: number): T | undefined {
    const item = this._items[slot];
    this._items[slot] = undefined; // let the item be collected
    this._ids[slot] = -1;
    if (this._size === 1) {
      this._head = -1;
    } else {
      const prev = this._prev[slot];
      const next = this._next[slot];
      this._next[prev] = next;
      this._prev[next] = prev;
      if (this._head === slot) this._head = next;
    }
    if (this._lastUsed === slot) this._lastUsed = -1;
    this._free.push(slot);
    this._size--;
    return item;
  }
}
