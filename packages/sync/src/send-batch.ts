/**
 * The messages of one write, as the protocol's `beforeSend` made them, kept for the hooks that run
 * after the write. One is reused for every send of a connection: emptying it keeps its storage,
 * where `array.length = 0` would free it and make the next push allocate it again (about 150 bytes
 * per send, the largest garbage of a small-message send).
 */
export class SendBatch<T> {
  private readonly _items: (T | undefined)[] = [];
  private _length = 0;

  /** How many messages the batch holds. */
  get length(): number {
    return this._length;
  }

  /** The message at `index` (below {@link length}). */
  at(index: number): T {
    return this._items[index] as T;
  }

  /** Adds a message at the end. */
  push(item: T): void {
    this._items[this._length++] = item;
  }

  /** Empties the batch, letting go of its messages but keeping its storage. */
  clear(): void {
    const items = this._items;
    for (let i = 0; i < this._length; i++) items[i] = undefined;
    this._length = 0;
  }
}
