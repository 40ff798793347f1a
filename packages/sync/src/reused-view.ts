/**
 * The last view made of some bytes, given again while the same bytes are asked for. `set()` copies
 * only from a view of exactly the bytes to copy; a steady stream asks for the same ones again and
 * again (its batch buffer at the same length, and again on a full socket), so keeping the last
 * view makes those copies allocate nothing. Sound because a view reads the bytes, not a copy.
 */
export class ReusedView {
  private _view: Uint8Array | undefined;

  /** A view of `bytes[offset, offset + count)`: the last one while it is the same bytes. */
  of(bytes: Uint8Array, offset: number, count: number): Uint8Array {
    const view = this._view;
    const start = bytes.byteOffset + offset;
    if (view !== undefined && view.byteOffset === start && view.length === count && view.buffer === bytes.buffer)
      return view;
    return (this._view = new Uint8Array(bytes.buffer, start, count));
  }
}
