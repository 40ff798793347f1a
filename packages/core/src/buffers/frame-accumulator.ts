import { ErrorCode } from '../errors/error-codes.js';
import { NetError } from '../errors/net-error.js';
import type { FrameSlice } from '../codecs/codec.js';
import { checkIntegerOption } from '../options/check-integer-option.js';
import type { Framer } from '../framing/framer.js';
import { DEFAULT_ACCUMULATOR_CAPACITY, DEFAULT_MIN_READ_SIZE } from '../limits.js';

/** Options of a {@link FrameAccumulator}. */
export interface FrameAccumulatorOptions {
  /** Initial buffer size in bytes (rounded up to a 4 KiB page). Default 64 KiB. */
  readonly initialCapacity?: number;
  /** Smallest free space {@link FrameAccumulator.reserve} guarantees for one read. Default 16 KiB. */
  readonly minReadSize?: number;
  /** Make a DataView for each pushed chunk (for codecs that read `frame.view`). Default true. */
  readonly views?: boolean;
}

const PAGE = 4096;
const EMPTY = Buffer.alloc(0);
const EMPTY_VIEW = new DataView(EMPTY.buffer, EMPTY.byteOffset, 0);

function pageRound(size: number): number {
  return Math.ceil(size / PAGE) * PAGE;
}

/**
 * The receive side of one connection: bytes in, frames out, with as little copying as the input
 * allows. Two ways to feed it:
 *
 * - **Direct reads** ({@link reserve}, then read into `buffer[end..)`, then {@link commit}): the
 *   socket writes straight into the accumulator, so nothing is ever copied except the tail of a
 *   frame cut by a read, which {@link reserve} moves to the front when it needs room (compaction,
 *   not reallocation).
 * - **Chunks** ({@link push}): frames wholly inside a chunk are handed out as views of the chunk;
 *   only a frame that straddles two chunks is copied into the accumulator.
 *
 * {@link nextFrame} fills a reused {@link FrameSlice}. The slice is valid until the accumulator is
 * fed again. The buffer is allocated on first need (`initialCapacity`), grows only when a frame
 * needs it, page-rounded, and never past the framer's `maxFrameLength` plus one read.
 */
export class FrameAccumulator {
  /** The receive buffer; bytes `[start, end)` are pending. Replaced when it grows. */
  buffer: Buffer;
  /** First pending byte in {@link buffer}. */
  start = 0;
  /** One past the last pending byte in {@link buffer}. */
  end = 0;
  /** The frame handed out by the last successful {@link nextFrame}. */
  readonly frame: FrameSlice;
  /** Largest size the buffer may reach. */
  readonly maxCapacity: number;

  private readonly _framer: Framer;
  private readonly _minReadSize: number;
  private readonly _initialCapacity: number;
  private readonly _views: boolean;
  private _view: DataView;
  private _chunk: Uint8Array = EMPTY;
  private _chunkView: DataView = EMPTY_VIEW;
  private _chunkStart = 0;
  private _chunkStable = false;

  constructor(framer: Framer, options: FrameAccumulatorOptions = {}) {
    this._framer = framer;
    this._minReadSize = checkIntegerOption('minReadSize', options.minReadSize ?? DEFAULT_MIN_READ_SIZE, 1, 1 << 24);
    this._views = options.views ?? true;
    this.maxCapacity = pageRound(framer.maxFrameLength + this._minReadSize);
    const initial = checkIntegerOption(
      'initialCapacity',
      options.initialCapacity ?? DEFAULT_ACCUMULATOR_CAPACITY,
      1,
      1 << 30,
    );
    this._initialCapacity = Math.min(pageRound(initial), this.maxCapacity);
    // The buffer is allocated on first need: a connection fed only whole frames in chunks never
    // needs one, which keeps thousands of idle connections cheap.
    this.buffer = EMPTY;
    this._view = EMPTY_VIEW;
    this.frame = { bytes: this.buffer, view: this._view, offset: 0, length: 0, stable: false };
  }

  /** Bytes received and not yet handed out as frames (including any unread chunk). */
  get pending(): number {
    return this.end - this.start + (this._chunk.length - this._chunkStart);
  }

  /** The framer this accumulator cuts frames with. */
  get framer(): Framer {
    return this._framer;
  }

  /**
   * Makes room for a direct read and returns how many bytes may be read into `buffer` at `end`
   * (at least `minReadSize` unless the buffer is at its maximum and full of one frame).
   */
  reserve(): number {
    this._checkNoChunk();
    if (this.start === this.end) {
      this.start = 0;
      this.end = 0;
    }
    const free = this.buffer.length - this.end;
    const expected = this._framer.expectedLength;
    // Enough room for a read, and for the whole frame a header has announced: nothing to do.
    if (free >= this._minReadSize && this.start + expected <= this.buffer.length) return free;
    const pending = this.end - this.start;
    const wanted = Math.max(pending + this._minReadSize, expected);
    if (wanted <= this.buffer.length) {
      this._compact();
    } else {
      this._grow(wanted);
    }
    return this.buffer.length - this.end;
  }

  /** Records that a direct read put `count` bytes at `buffer[end..)`. */
  commit(count: number): void {
    if (count < 0 || this.end + count > this.buffer.length) {
      throw new NetError(ErrorCode.INVALID_ARGUMENT, `commit(${count}) is outside the reserved space`);
    }
    this.end += count;
  }

  /**
   * Feeds a chunk the accumulator does not own (a socket `'data'` buffer). The chunk is kept, not
   * copied, until {@link nextFrame} has taken every whole frame out of it; it must not change
   * until then. `stable` says it will never change at all (Node never reuses a `'data'` chunk), so
   * frames in it are handed out as {@link FrameSlice.stable}.
   */
  push(chunk: Uint8Array, stable = false): void {
    this._checkNoChunk();
    if (chunk.length === 0) return;
    this._chunk = chunk;
    this._chunkStable = stable;
    this._chunkStart = 0;
    this._chunkView = this._views ? new DataView(chunk.buffer, chunk.byteOffset, chunk.length) : EMPTY_VIEW;
  }

  /**
   * Cuts the next whole frame, fills {@link frame} with its body and returns true; false when more
   * bytes are needed.
   * @throws NetError from the framer (`NET_ERR_FRAME_TOO_LARGE`, `NET_ERR_FRAME_CORRUPT`)
   */
  nextFrame(): boolean {
    const framer = this._framer;
    for (;;) {
      if (this.start === this.end && this._chunk !== EMPTY) {
        const chunk = this._chunk;
        const at = this._chunkStart;
        const length = framer.frameLength(chunk, at, chunk.length);
        if (length > 0) {
          const view = this._chunkView;
          this._chunkStart = at + length;
          if (this._chunkStart === chunk.length) this._dropChunk();
          this._setFrame(chunk, view, at, length, this._chunkStable);
          return true;
        }
        // A partial frame at the end of the chunk: the one copy this path makes.
        this._append(chunk, at, chunk.length);
        this._dropChunk();
        return false;
      }
      if (this.end > this.start) {
        const length = framer.frameLength(this.buffer, this.start, this.end);
        if (length > 0) {
          const at = this.start;
          this.start = at + length;
          this._setFrame(this.buffer, this._view, at, length, false);
          return true;
        }
      }
      if (this._chunk === EMPTY) return false;
      this._refillFromChunk();
    }
  }

  /**
   * Moves what is left of a fed chunk into {@link buffer}, behind the bytes pending there, so that
   * a direct read may follow before the chunk's frames are cut (until then {@link reserve} refuses).
   * @returns true when no chunk is left; false, moving nothing, when the bytes would leave less
   * than one read's room under {@link maxCapacity}
   */
  absorbChunk(): boolean {
    const chunk = this._chunk;
    if (chunk === EMPTY) return true;
    if (this.end - this.start + chunk.length - this._chunkStart + this._minReadSize > this.maxCapacity) return false;
    this._append(chunk, this._chunkStart, chunk.length);
    this._dropChunk();
    return true;
  }

  /** Drops every pending byte and the framer's progress (after a fatal framing error, or a reconnect). */
  clear(): void {
    this.start = 0;
    this.end = 0;
    this._dropChunk();
    this._framer.reset();
  }

  private _setFrame(bytes: Uint8Array, view: DataView, at: number, length: number, stable: boolean): void {
    const frame = this.frame;
    frame.stable = stable;
    const head = this._framer.headLength;
    frame.bytes = bytes;
    frame.view = view;
    frame.offset = at + head;
    frame.length = length - head - this._framer.tailLength;
  }

  /** Moves bytes of the pending chunk into the buffer to complete the frame that straddles it. */
  private _refillFromChunk(): void {
    const chunk = this._chunk;
    const available = chunk.length - this._chunkStart;
    const pending = this.end - this.start;
    const expected = this._framer.expectedLength;
    // With a known frame length copy exactly the missing bytes, so the frames after it stay in the
    // chunk as views. Without one (a delimiter, a header still incomplete) copy in doubling steps:
    // the framer resumes its scan, so the total work stays linear, and never past the frame limit.
    const wanted = expected > 0 ? expected - pending : Math.max(PAGE, pending);
    const count = Math.max(1, Math.min(wanted, available, this._framer.maxFrameLength - pending));
    this._append(chunk, this._chunkStart, this._chunkStart + count);
    this._chunkStart += count;
    if (this._chunkStart === chunk.length) this._dropChunk();
  }

  private _append(source: Uint8Array, from: number, to: number): void {
    const count = to - from;
    if (this.start === this.end) {
      this.start = 0;
      this.end = 0;
    }
    if (this.end + count > this.buffer.length) {
      const needed = this.end - this.start + count;
      if (needed <= this.buffer.length) this._compact();
      else this._grow(needed);
    }
    this.buffer.set(source.subarray(from, to), this.end);
    this.end += count;
  }

  private _compact(): void {
    if (this.start === 0) return;
    this.buffer.copyWithin(0, this.start, this.end);
    this.end -= this.start;
    this.start = 0;
  }

  private _grow(needed: number): void {
    if (needed > this.maxCapacity) {
      throw new NetError(
        ErrorCode.BUFFER_LIMIT,
        `receive buffer would need ${needed} bytes, over its limit of ${this.maxCapacity}`,
        {
          details: { needed, maxCapacity: this.maxCapacity },
        },
      );
    }
    const doubled = this.buffer.length === 0 ? this._initialCapacity : this.buffer.length * 2;
    const size = Math.min(this.maxCapacity, Math.max(pageRound(needed), doubled));
    const next = Buffer.allocUnsafeSlow(size);
    this.buffer.copy(next, 0, this.start, this.end);
    this.end -= this.start;
    this.start = 0;
    this.buffer = next;
    this._view = new DataView(next.buffer, next.byteOffset, next.length);
  }

  private _dropChunk(): void {
    this._chunk = EMPTY;
    this._chunkView = EMPTY_VIEW;
    this._chunkStart = 0;
  }

  private _checkNoChunk(): void {
    if (this._chunk !== EMPTY) {
      throw new NetError(
        ErrorCode.INVALID_ARGUMENT,
        'the previous chunk still holds frames: call nextFrame() until it returns false before feeding more',
      );
    }
  }
}
