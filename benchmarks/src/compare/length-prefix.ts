/**
 * Hand-written u32 length-prefix framing for plain `node:net`: the code an application writes when
 * it uses no library, and the baseline @net is measured against. It is written with care (a fair
 * baseline, not a straw man): frames inside a `'data'` chunk are handed out as views of the chunk,
 * and only a frame cut by the end of a chunk is copied, into a buffer of exactly its size. There is
 * no `Buffer.concat` of everything received on every event.
 */

/** Largest body this parser accepts (a corrupt length field must not allocate gigabytes). */
export const MAX_BODY_BYTES = 1 << 20;

/** Cuts a byte stream into the bodies of u32 big-endian length-prefixed frames. */
export class LengthPrefixParser {
  private readonly _header = Buffer.alloc(4);
  private _headerFilled = 0;
  private _partial: Buffer | undefined;
  private _partialFilled = 0;

  /**
   * @param _onBody called with each body; a view of the chunk (or of the parser's copy) that is
   *   valid only until it returns
   */
  constructor(private readonly _onBody: (body: Buffer) => void) {}

  /** Bytes of an unfinished frame held between chunks. */
  get pending(): number {
    return this._headerFilled + (this._partial === undefined ? 0 : 4 + this._partialFilled);
  }

  /** Feeds one chunk; calls the body callback for every frame it completes. */
  push(chunk: Buffer): void {
    let at = 0;
    if (this._headerFilled > 0 || this._partial !== undefined) {
      at = this._continue(chunk);
      if (at < 0) return;
    }
    const end = chunk.length;
    while (end - at >= 4) {
      const length = chunk.readUInt32BE(at);
      if (length > MAX_BODY_BYTES) throw new Error(`frame body of ${length} bytes announced, over ${MAX_BODY_BYTES}`);
      const bodyStart = at + 4;
      if (end - bodyStart >= length) {
        at = bodyStart + length;
        this._onBody(chunk.subarray(bodyStart, at));
      } else {
        this._startPartial(length, chunk, bodyStart);
        return;
      }
    }
    if (at < end) {
      chunk.copy(this._header, 0, at, end);
      this._headerFilled = end - at;
    }
  }

  /** Completes the frame that straddles into `chunk`; returns where the chunk's own frames start, or -1 when it was used up. */
  private _continue(chunk: Buffer): number {
    let at = 0;
    if (this._headerFilled > 0) {
      const take = Math.min(4 - this._headerFilled, chunk.length);
      chunk.copy(this._header, this._headerFilled, 0, take);
      this._headerFilled += take;
      at = take;
      if (this._headerFilled < 4) return -1;
      this._headerFilled = 0;
      const length = this._header.readUInt32BE(0);
      if (length > MAX_BODY_BYTES) throw new Error(`frame body of ${length} bytes announced, over ${MAX_BODY_BYTES}`);
      this._partial = Buffer.allocUnsafe(length);
      this._partialFilled = 0;
    }
    const partial = this._partial!;
    const take = Math.min(partial.length - this._partialFilled, chunk.length - at);
    chunk.copy(partial, this._partialFilled, at, at + take);
    this._partialFilled += take;
    at += take;
    if (this._partialFilled < partial.length) return -1;
    this._partial = undefined;
    this._partialFilled = 0;
    this._onBody(partial);
    return at;
  }

  private _startPartial(length: number, chunk: Buffer, bodyStart: number): void {
    const partial = Buffer.allocUnsafe(length);
    chunk.copy(partial, 0, bodyStart);
    this._partial = partial;
    this._partialFilled = chunk.length - bodyStart;
  }
}
