/**
 * Frames up to this many bytes are copied a 32-bit word at a time. `set` needs a view of exactly
 * the frame (a new object per frame, which is garbage on every message) and costs more than the
 * loop at these sizes on Node, Bun and Deno; above it the copy itself dominates and `set` on a
 * view is the faster.
 */
export const WORD_COPY_MAX_BYTES = 256;

// Int32Array elements are in the machine's byte order; a DataView read must use the same one for
// the bytes to land unchanged.
const HOST_LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;
const EMPTY = new ArrayBuffer(0);

/**
 * Copies byte ranges of any `Uint8Array` into a word-aligned place of one target without making an
 * object per copy: whole 32-bit words through an `Int32Array` over the source's memory (a
 * `DataView` when the range does not start on a word), then the last bytes one by one. The views
 * of the last source's memory are kept, so a producer copying frame after frame out of one receive
 * buffer makes them once.
 */
export class WordCopy {
  private readonly _targetBytes: Uint8Array;
  private readonly _targetWords: Int32Array;
  // The last source view, and where it starts in its memory: reading a Buffer's `buffer` and
  // `byteOffset` costs a third of a 128-byte copy on Node 20, so they are read once per source.
  private _sourceArray: Uint8Array | undefined;
  private _sourceStart = 0;
  private _source: ArrayBufferLike = EMPTY;
  private _sourceWords: Int32Array<ArrayBufferLike> = new Int32Array(EMPTY);
  private _sourceView: DataView<ArrayBufferLike> = new DataView(EMPTY);
  // The source memory's size when the views were made: both views are fixed at it.
  private _sourceBytes = 0;

  /**
   * @param targetBytes the memory copied into
   * @param targetWords the same memory as 32-bit words (same start; the start is word-aligned)
   */
  constructor(targetBytes: Uint8Array, targetWords: Int32Array) {
    this._targetBytes = targetBytes;
    this._targetWords = targetWords;
  }

  /**
   * Copies `bytes[offset .. offset + length)` to `targetBytes[at ..]`; `at` is a multiple of 4 and
   * `length` at most {@link WORD_COPY_MAX_BYTES} (the caller uses `set` above it).
   */
  copy(bytes: Uint8Array, offset: number, length: number, at: number): void {
    if (bytes !== this._sourceArray) this._takeArray(bytes);
    const start = this._sourceStart + offset;
    // A source memory that grew since its views were made (a resizable one) gets new views.
    if (start + length > this._sourceBytes) this._take(this._source);
    const words = length >>> 2;
    const out = this._targetWords;
    const to = at >>> 2;
    if ((start & 3) === 0) {
      const source = this._sourceWords;
      const from = start >>> 2;
      for (let i = 0; i < words; i++) out[to + i] = source[from + i];
    } else {
      const view = this._sourceView;
      for (let i = 0; i < words; i++) out[to + i] = view.getInt32(start + 4 * i, HOST_LITTLE_ENDIAN);
    }
    const target = this._targetBytes;
    for (let i = words << 2; i < length; i++) target[at + i] = bytes[offset + i];
  }

  private _takeArray(bytes: Uint8Array): void {
    this._sourceArray = bytes;
    this._sourceStart = bytes.byteOffset;
    if (bytes.buffer !== this._source) this._take(bytes.buffer);
  }

  // A new source memory: both views over all of it (a receive buffer grows into a new one now and
  // then, so this is rare).
  private _take(buffer: ArrayBufferLike): void {
    const bytes = buffer.byteLength;
    this._source = buffer;
    this._sourceBytes = bytes;
    this._sourceWords = new Int32Array(buffer, 0, bytes >>> 2);
    this._sourceView = new DataView(buffer, 0, bytes);
  }
}
