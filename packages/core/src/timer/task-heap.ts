/**
 * What the heap needs from an entry: its sort key and a slot for its own position. Entries are
 * ordered by `key`, then by `seq` (lower first), so equal due times keep the order they were set in.
 * @internal
 */
export interface HeapEntry {
  /** The due time the entry is ordered by. */
  key: number;
  /** Tie-breaker: the sequence number of the scheduling that set `key`. */
  seq: number;
  /** Position in the heap array, or -1 when the entry is not in a heap. */
  heapIndex: number;
}

/**
 * A binary min-heap over {@link HeapEntry}s that tracks each entry's position, so any entry can
 * be removed or re-keyed in O(log n) without searching. The timer relies on that to cancel and
 * reschedule tasks eagerly: no cancelled entries linger, so there is no garbage to compact.
 * @internal
 */
export class TaskHeap<T extends HeapEntry> {
  private readonly _items: T[] = [];

  /** Number of entries. */
  get size(): number {
    return this._items.length;
  }

  /** The entry with the lowest key, without removing it. */
  peek(): T | undefined {
    return this._items[0];
  }

  /** Adds `entry` (which must not already be in a heap). */
  push(entry: T): void {
    entry.heapIndex = this._items.length;
    this._items.push(entry);
    this._siftUp(entry.heapIndex);
  }

  /** Removes and returns the entry with the lowest key. */
  pop(): T | undefined {
    const top = this._items[0];
    if (top !== undefined) this._removeAt(0);
    return top;
  }

  /** Removes `entry` if it is in this heap. */
  remove(entry: T): void {
    const index = entry.heapIndex;
    if (index >= 0 && this._items[index] === entry) this._removeAt(index);
  }

  /** Restores the order after `entry`'s key or seq changed, in whichever direction. */
  update(entry: T): void {
    const index = entry.heapIndex;
    if (index < 0 || this._items[index] !== entry) return;
    if (index > 0 && this._less(entry, this._items[(index - 1) >> 1])) this._siftUp(index);
    else this._siftDown(index);
  }

  /** Empties the heap, calling `visit` on every entry it held (in no particular order). */
  clear(visit?: (entry: T) => void): void {
    const items = this._items;
    for (let i = 0; i < items.length; i++) {
      const entry = items[i];
      entry.heapIndex = -1;
      visit?.(entry);
    }
    items.length = 0;
  }

  private _removeAt(index: number): void {
    const items = this._items;
    const removed = items[index];
    // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- index names an item, so the heap is not empty
    const last = items.pop()!;
    removed.heapIndex = -1;
    if (last === removed) return;
    // Move the last entry into the hole, then let it find its place either way.
    items[index] = last;
    last.heapIndex = index;
    this.update(last);
  }

  private _siftUp(index: number): void {
    const items = this._items;
    const entry = items[index];
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = items[parentIndex];
      if (!this._less(entry, parent)) break;
      items[index] = parent;
      parent.heapIndex = index;
      index = parentIndex;
    }
    items[index] = entry;
    entry.heapIndex = index;
  }

  private _siftDown(index: number): void {
    const items = this._items;
    const length = items.length;
    const entry = items[index];
    for (;;) {
      const left = 2 * index + 1;
      if (left >= length) break;
      const right = left + 1;
      const child = right < length && this._less(items[right], items[left]) ? right : left;
      const smaller = items[child];
      if (!this._less(smaller, entry)) break;
      items[index] = smaller;
      smaller.heapIndex = index;
      index = child;
    }
    items[index] = entry;
    entry.heapIndex = index;
  }

  private _less(a: T, b: T): boolean {
    return a.key < b.key || (a.key === b.key && a.seq < b.seq);
  }
}
