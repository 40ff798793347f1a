import { END_OF_STREAM } from '../connection/end-of-stream.js';
import { ErrorCode } from '../errors/error-codes.js';
import { NetError } from '../errors/net-error.js';
import type { FrameSlice } from '../codecs/codec.js';
import { checkTimeout } from '../options/check-timeout.js';
import { WOULD_BLOCK } from '../connection/would-block.js';
import { awaitChange } from './await-change.js';
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
import { readFailure } from './inbox-failure.js';

/**
 * The reading side of a {@link FrameInbox}, attached on one thread (`FrameInbox.attach(shared,
 * 'consumer')`), read in the style of that thread: {@link tryRead} (one attempt), {@link readWait}
 * (parks the thread), {@link read} or `for await` (the event loop runs while it waits).
 *
 * Every read lends the same {@link FrameSlice} object, pointing into the shared memory: the
 * frame is `slice.bytes[slice.offset .. slice.offset + slice.length)`. It stays valid until the
 * next read or `close()` on this consumer, which hand its room back to the producer; decode it (or
 * copy what must outlive it) before reading again. Reading allocates nothing per frame.
 */
export class InboxConsumer {
  private readonly _header: Int32Array;
  private readonly _buffer: SharedArrayBuffer;
  private readonly _words: Int32Array;
  private readonly _mask: number;
  private readonly _maxFrameBytes: number;
  private readonly _slice: FrameSlice;
  private _read: number;
  // The producer's cursor as last loaded: the records up to it are read without loading it again,
  // so a batch of frames costs one load of the line the producer writes.
  private _writeSeen: number;
  // Set by this side's close(), which only this thread makes.
  private _closedHere = false;
  private _lent = 0;
  private _ref = true;

  /** @internal Use `FrameInbox.attach(shared, 'consumer')`. */
  constructor(buffer: SharedArrayBuffer, header: Int32Array, sizes: InboxSizes) {
    claimRole(header, CONSUMER);
    this._header = header;
    this._buffer = buffer;
    this._words = new Int32Array(buffer, HEADER_BYTES, sizes.capacity / 4);
    this._mask = sizes.capacity - 1;
    this._maxFrameBytes = sizes.maxFrameBytes;
    const bytes = new Uint8Array(buffer, HEADER_BYTES, sizes.capacity);
    const view = new DataView(buffer, HEADER_BYTES, sizes.capacity);
    this._slice = { bytes, view, offset: 0, length: 0, stable: false };
    this._read = Atomics.load(header, H_READ);
    this._writeSeen = this._read;
  }

  /** How many times the producer found the inbox full (see `InboxProducer.stalls`). */
  get stalls(): number {
    return Atomics.load(this._header, H_STALLS) >>> 0;
  }

  /** True once either side closed the inbox (frames written before a producer's close are still read). */
  get closed(): boolean {
    return Atomics.load(this._header, H_CLOSED) !== 0;
  }

  /**
   * The next frame if one is there now, else {@link WOULD_BLOCK}; {@link END_OF_STREAM} once the
   * producer closed and every frame it wrote was read. Hands the previous frame's room back.
   * @throws NetError the producer's error once it ended the stream with `fail()` and every frame
   * was read (same code and message), `NET_ERR_CLOSED` after this consumer's own `close()`, `NET_ERR_FRAME_CORRUPT`
   * when the shared memory holds no valid record (written by something other than a producer)
   */
  tryRead(): FrameSlice | typeof WOULD_BLOCK | typeof END_OF_STREAM {
    this._release();
    if (this._closedHere) throw closedError('read from inbox', CONSUMER, CONSUMER);
    if (this._read === this._writeSeen) {
      // The closed word is loaded before the cursor: a producer stores its last cursor before it
      // closes, so seeing the close guarantees seeing every frame written before it.
      const closed = Atomics.load(this._header, H_CLOSED);
      this._writeSeen = Atomics.load(this._header, H_WRITE);
      if (this._writeSeen === this._read) {
        if ((closed & PRODUCER) === 0) return WOULD_BLOCK;
        const failure = readFailure(this._buffer, this._header);
        if (failure !== undefined) throw failure;
        return END_OF_STREAM;
      }
    }
    const write = this._writeSeen;
    let at = this._read & this._mask;
    let length = this._words[at >> 2];
    let skipped = 0;
    if (length === WRAP_MARKER) {
      skipped = this._mask + 1 - at;
      at = 0;
      length = this._words[0];
    }
    const size = skipped + recordBytes(length);
    if (length < 0 || length > this._maxFrameBytes || size > ((write - this._read) | 0)) {
      throw new NetError(ErrorCode.FRAME_CORRUPT, `read from inbox: no valid record at ${at} (length ${length})`, {
        details: { at, length, maxFrameBytes: this._maxFrameBytes },
      });
    }
    this._lent = size;
    const slice = this._slice;
    slice.offset = at + LENGTH_BYTES;
    slice.length = length;
    return slice;
  }

  /**
   * The next frame, parking the thread (`Atomics.wait`) until one comes, up to `timeoutMs`
   * (`Infinity` for no bound, 0 for one attempt); {@link END_OF_STREAM} as {@link tryRead}.
   * @throws NetError `NET_ERR_TIMEOUT` when none came in time, and as {@link tryRead}
   */
  readWait(timeoutMs: number): FrameSlice | typeof END_OF_STREAM {
    checkTimeout('timeoutMs', timeoutMs);
    // A frame already there is taken before the clock is read: on Node 20 each read of it is a new
    // 16-byte number, garbage on every receive of a busy inbox.
    let got = this._attempt();
    if (got !== WOULD_BLOCK) return got;
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const left = deadline - performance.now();
      if (left <= 0) throw this._timedOut(timeoutMs);
      Atomics.wait(this._header, H_CONSUMER_WAITING, 1, left);
      Atomics.store(this._header, H_CONSUMER_WAITING, 0);
      got = this._attempt();
      if (got !== WOULD_BLOCK) return got;
    }
  }

  /**
   * The next frame, awaiting it on the event loop (`Atomics.waitAsync`) up to `timeoutMs`, or
   * until `signal` aborts; while it waits, the process stays alive unless {@link unref} was called.
   * A timeout or an abort takes no frame: the next read gets it.
   * @throws NetError (as a rejection) `NET_ERR_ABORTED` when `signal` aborted (before or during the
   * wait; its reason as `cause`), and as {@link readWait}
   */
  async read(timeoutMs = Infinity, signal?: AbortSignal): Promise<FrameSlice | typeof END_OF_STREAM> {
    checkTimeout('timeoutMs', timeoutMs);
    if (signal?.aborted === true) throw abortedError(signal);
    const got = this._attempt();
    if (got !== WOULD_BLOCK) return got;
    if (signal === undefined) return this._awaitFrame(timeoutMs, undefined);
    // An abort clears and notifies the word the wait is on, so the wait ends at once, not at its
    // timeout (a runtime without Atomics.waitAsync polls the word, and sees it cleared).
    const onAbort = () => {
      Atomics.store(this._header, H_CONSUMER_WAITING, 0);
      Atomics.notify(this._header, H_CONSUMER_WAITING);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      return await this._awaitFrame(timeoutMs, signal);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Reads every frame until the producer closes, awaiting each as {@link read}; each slice is lent
   * until the loop asks for the next one. Breaking out of the loop leaves the inbox open.
   */
  async *[Symbol.asyncIterator](): AsyncGenerator<FrameSlice, void, undefined> {
    for (;;) {
      const got = await this.read();
      if (got === END_OF_STREAM) return;
      yield got;
    }
  }

  /**
   * Lets the process exit while {@link read} waits with nothing else to do (as `timer.unref()`).
   * Not on Bun, whose `Atomics.waitAsync` holds the process by itself.
   */
  unref(): this {
    this._ref = false;
    return this;
  }

  /** Keeps the process alive while {@link read} waits (the default). */
  ref(): this {
    this._ref = true;
    return this;
  }

  /**
   * Closes the reading side: the lent frame's room is handed back, the producer's writes fail with
   * `NET_ERR_CLOSED` from now on (a parked one wakes), and so do this consumer's reads. Idempotent.
   */
  close(): void {
    this._release();
    this._closedHere = true;
    closeSide(this._header, CONSUMER);
  }

  private async _awaitFrame(
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): Promise<FrameSlice | typeof END_OF_STREAM> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const left = deadline - performance.now();
      if (left <= 0) throw this._timedOut(timeoutMs);
      try {
        await awaitChange(this._header, H_CONSUMER_WAITING, left, this._ref);
      } finally {
        Atomics.store(this._header, H_CONSUMER_WAITING, 0);
      }
      if (signal?.aborted === true) throw abortedError(signal);
      const got = this._attempt();
      if (got !== WOULD_BLOCK) return got;
    }
  }

  /** One read, with the consumer flagged as waiting when it finds nothing: a write then notifies. */
  private _attempt(): FrameSlice | typeof WOULD_BLOCK | typeof END_OF_STREAM {
    const got = this.tryRead();
    if (got !== WOULD_BLOCK) return got;
    // Flag, then look again: a write after the flag wakes the wait, one before it is seen by the look.
    Atomics.store(this._header, H_CONSUMER_WAITING, 1);
    const again = this.tryRead();
    if (again !== WOULD_BLOCK) Atomics.store(this._header, H_CONSUMER_WAITING, 0);
    return again;
  }

  private _release(): void {
    if (this._lent === 0) return;
    this._read = (this._read + this._lent) | 0;
    this._lent = 0;
    Atomics.store(this._header, H_READ, this._read);
    wake(this._header, H_PRODUCER_WAITING);
  }

  private _timedOut(timeoutMs: number): NetError {
    return new NetError(ErrorCode.TIMEOUT, `read from inbox: no frame within ${timeoutMs} ms`, {
      details: { timeoutMs },
    });
  }
}

function abortedError(signal: AbortSignal): NetError {
  return new NetError(ErrorCode.ABORTED, 'read from inbox aborted', { cause: signal.reason });
}
