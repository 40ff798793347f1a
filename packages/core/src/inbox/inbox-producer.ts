import { ErrorCode } from '../errors/error-codes.js';
import { NetError } from '../errors/net-error.js';
import { checkTimeout } from '../options/check-timeout.js';
import {
  CONSUMER,
  H_CLOSED,
  H_CONSUMER_WAITING,
  H_PRODUCER_WAITING,
  H_READ,
  H_STALLS,
  H_WRITE,
  HEADER_BYTES,
  LENGTH_BYTES,
  PRODUCER,
  WRAP_MARKER,
  claimRole,
  closeSide,
  closedError,
  recordBytes,
  wake,
  type InboxSizes,
} from './inbox-layout.js';
import { writeFailure } from './inbox-failure.js';
import { WORD_COPY_MAX_BYTES, WordCopy } from './word-copy.js';

/**
 * The writing side of a {@link FrameInbox}, attached on one thread (`FrameInbox.attach(shared,
 * 'producer')`). Each write copies one frame into the shared memory whole, or not at all; the
 * consumer sees the frames in the order they were written.
 */
export class InboxProducer {
  private readonly _header: Int32Array;
  private readonly _buffer: SharedArrayBuffer;
  private readonly _words: Int32Array;
  private readonly _bytes: Uint8Array;
  private readonly _mask: number;
  private readonly _capacity: number;
  private readonly _maxFrameBytes: number;
  private readonly _wordCopy: WordCopy;
  private _write = 0;
  // The cursor as the consumer last saw it: staged records past it are not visible yet.
  private _published = 0;
  // The consumer's cursor as last loaded. It only grows, so the room it implies is never more than
  // there is: it is loaded again only when that room is too small, not on every write.
  private _readSeen = 0;
  private _stalled = false;

  /** @internal Use `FrameInbox.attach(shared, 'producer')`. */
  constructor(buffer: SharedArrayBuffer, header: Int32Array, sizes: InboxSizes) {
    claimRole(header, PRODUCER);
    this._header = header;
    this._buffer = buffer;
    this._words = new Int32Array(buffer, HEADER_BYTES, sizes.capacity / 4);
    this._bytes = new Uint8Array(buffer, HEADER_BYTES, sizes.capacity);
    this._capacity = sizes.capacity;
    this._mask = sizes.capacity - 1;
    this._maxFrameBytes = sizes.maxFrameBytes;
    this._wordCopy = new WordCopy(this._bytes, this._words);
    this._write = Atomics.load(header, H_WRITE);
    this._published = this._write;
    this._readSeen = Atomics.load(header, H_READ);
  }

  /** The largest frame a write takes, in bytes. */
  get maxFrameBytes(): number {
    return this._maxFrameBytes;
  }

  /**
   * How many times a write found the inbox full after the previous write had gone in: one stall
   * however many attempts it lasted (counted modulo 2^32, shared with the consumer's side).
   */
  get stalls(): number {
    return Atomics.load(this._header, H_STALLS) >>> 0;
  }

  /** True once either side closed the inbox. */
  get closed(): boolean {
    return Atomics.load(this._header, H_CLOSED) !== 0;
  }

  /**
   * Copies `bytes[offset .. offset + length)` into the inbox as one frame, if there is room now.
   * @returns true when the frame went in; false when the inbox is full (nothing was written, and
   * the stall is counted in {@link stalls})
   * @throws NetError `NET_ERR_FRAME_TOO_LARGE` for a frame over `maxFrameBytes`,
   * `NET_ERR_INVALID_ARGUMENT` for a range outside `bytes`, `NET_ERR_CLOSED` once either side closed
   */
  tryWrite(bytes: Uint8Array, offset: number, length: number): boolean {
    if (!this.tryStage(bytes, offset, length)) return false;
    this.publish();
    return true;
  }

  /**
   * Copies one frame into the inbox as {@link tryWrite} does, without showing it to the consumer
   * yet: {@link publish} shows every frame staged since the last one at once, so a producer that
   * writes many frames in a row pays one store of its cursor (and one look for a waiting
   * consumer) for all of them. {@link close} and {@link fail} publish first.
   * @returns true when the frame went in; false when the inbox is full (counted in {@link stalls})
   * @throws NetError as {@link tryWrite}
   */
  tryStage(bytes: Uint8Array, offset: number, length: number): boolean {
    this._check(bytes, offset, length);
    const closed = Atomics.load(this._header, H_CLOSED);
    if (closed !== 0) throw closedError('write to inbox', closed, PRODUCER);
    const size = recordBytes(length);
    const write = this._write;
    let at = write & this._mask;
    const toEnd = this._capacity - at;
    const skip = toEnd < size ? toEnd : 0;
    if (skip + size > this._capacity - ((write - this._readSeen) | 0)) {
      this._readSeen = Atomics.load(this._header, H_READ);
      if (skip + size > this._capacity - ((write - this._readSeen) | 0)) {
        if (!this._stalled) {
          this._stalled = true;
          Atomics.add(this._header, H_STALLS, 1);
        }
        return false;
      }
    }
    if (skip !== 0) {
      this._words[at >> 2] = WRAP_MARKER;
      at = 0;
    }
    this._words[at >> 2] = length;
    this._copy(bytes, offset, length, at + LENGTH_BYTES);
    this._write = (write + skip + size) | 0;
    this._stalled = false;
    return true;
  }

  /**
   * Shows the consumer every frame staged since the last publish (see {@link tryStage}), waking it
   * if it parks or awaits. Does nothing when nothing was staged.
   */
  publish(): void {
    if (this._published === this._write) return;
    this._published = this._write;
    // The store publishes the bytes staged before it: a consumer that loads this cursor sees them all.
    Atomics.store(this._header, H_WRITE, this._write);
    wake(this._header, H_CONSUMER_WAITING);
  }

  /**
   * Writes one frame as {@link tryWrite}, parking the thread (`Atomics.wait`) while the inbox is
   * full, up to `timeoutMs` (`Infinity` for no bound, 0 for one attempt).
   * @throws NetError `NET_ERR_TIMEOUT` when no room came in time (nothing was written), and as
   * {@link tryWrite}
   */
  writeWait(bytes: Uint8Array, offset: number, length: number, timeoutMs: number): void {
    checkTimeout('timeoutMs', timeoutMs);
    if (this.tryWrite(bytes, offset, length)) return;
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      // Flag, then look again: a read after the flag wakes the wait, one before it is seen by the look.
      Atomics.store(this._header, H_PRODUCER_WAITING, 1);
      try {
        if (this.tryWrite(bytes, offset, length)) return;
        const left = deadline - performance.now();
        if (left <= 0) {
          throw new NetError(ErrorCode.TIMEOUT, `write to inbox: no room within ${timeoutMs} ms; nothing was written`, {
            details: { timeoutMs, length },
          });
        }
        Atomics.wait(this._header, H_PRODUCER_WAITING, 1, left);
      } finally {
        Atomics.store(this._header, H_PRODUCER_WAITING, 0);
      }
    }
  }

  /**
   * Ends the stream: the consumer reads what was written, then the end. Writes after this fail
   * with `NET_ERR_CLOSED`. Idempotent.
   */
  close(): void {
    this.publish();
    closeSide(this._header, PRODUCER);
  }

  /**
   * Ends the stream because of `error`: the consumer reads what was written, then every read fails
   * with a `NetError` of the same code and message (the cause stays on this thread). Writes after
   * this fail with `NET_ERR_CLOSED`. Does nothing once either side closed.
   */
  fail(error: NetError): void {
    if (Atomics.load(this._header, H_CLOSED) !== 0) return;
    this.publish();
    writeFailure(this._buffer, this._header, error);
    closeSide(this._header, PRODUCER);
  }

  /** True when the consumer has closed its side (writes fail with `NET_ERR_CLOSED`). */
  get consumerClosed(): boolean {
    return (Atomics.load(this._header, H_CLOSED) & CONSUMER) !== 0;
  }

  private _check(bytes: Uint8Array, offset: number, length: number): void {
    if (!(bytes instanceof Uint8Array) || !Number.isInteger(offset) || !Number.isInteger(length)) {
      throw new NetError(ErrorCode.INVALID_ARGUMENT, 'write to inbox: takes a Uint8Array, a whole offset and length');
    }
    if (length > this._maxFrameBytes) {
      throw new NetError(
        ErrorCode.FRAME_TOO_LARGE,
        `write to inbox: a frame of ${length} bytes is over the inbox's maxFrameBytes ${this._maxFrameBytes}`,
        { details: { length, maxFrameBytes: this._maxFrameBytes } },
      );
    }
    if (offset < 0 || length < 0 || offset + length > bytes.length) {
      throw new NetError(
        ErrorCode.INVALID_ARGUMENT,
        `write to inbox: bytes ${offset} .. ${offset + length} are outside the ${bytes.length} given`,
        { details: { offset, length, available: bytes.length } },
      );
    }
  }

  private _copy(bytes: Uint8Array, offset: number, length: number, at: number): void {
    if (length <= WORD_COPY_MAX_BYTES) this._wordCopy.copy(bytes, offset, length, at);
    else if (offset === 0 && length === bytes.length) this._bytes.set(bytes, at);
    else this._bytes.set(bytes.subarray(offset, offset + length), at);
  }
}
