/**
 * The addresses of buffers' bytes, for interfaces whose way to ask is slow (Deno's
 * `UnsafePointer.of` takes about 200 ns, Node's `getRawPointer` about 50 ns, against a 400-600 ns
 * system call). An address is asked once per `ArrayBuffer` and kept while the buffer lives; the
 * last one asked is kept aside, since a connection reads into the same frame buffer call after call.
 *
 * Keeping an address is sound because the memory of an `ArrayBuffer` that has been handed out as
 * `view.buffer` never moves in V8. A buffer without bytes (detached by a transfer, say) gets the
 * null address: a call that still asks for bytes there fails with EFAULT, and no memory is touched.
 */
export class BufferAddresses {
  private readonly _addressOf: (buffer: ArrayBufferLike) => number;
  private readonly _known = new WeakMap<ArrayBufferLike, number>();
  private _lastBuffer: ArrayBufferLike | undefined;
  private _lastAddress = 0;

  /** @param addressOf the interface's own way to ask where a buffer's bytes are */
  constructor(addressOf: (buffer: ArrayBufferLike) => number) {
    this._addressOf = addressOf;
  }

  /** The address of `view`'s bytes from `offset` on. */
  of(view: ArrayBufferView, offset = 0): number {
    // Reading `.buffer` also moves a small typed array's bytes off V8's heap, where they could move.
    const buffer = view.buffer;
    if (buffer.byteLength === 0) return 0;
    if (buffer !== this._lastBuffer) this._remember(buffer);
    return this._lastAddress + view.byteOffset + offset;
  }

  private _remember(buffer: ArrayBufferLike): void {
    let address = this._known.get(buffer);
    if (address === undefined) {
      address = this._addressOf(buffer);
      this._known.set(buffer, address);
    }
    this._lastBuffer = buffer;
    this._lastAddress = address;
  }
}
