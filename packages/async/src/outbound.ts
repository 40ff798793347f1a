import type { Socket } from 'node:net';
import { nextTick } from 'node:process';
import { type Codec, ErrorCode, MessageWriter, NetError } from '@net/core';
import { RingQueue } from '@net/core/internal';

const EMPTY_BYTES = new Uint8Array(0);

/** Limits of an {@link Outbound} buffer, in bytes. */
export interface OutboundLimits {
  /** Above this `send` returns false: the caller should wait for `drained()`. */
  readonly highWaterMark: number;
  /** `drained()` resolves once the buffered bytes fall to this. */
  readonly lowWaterMark: number;
  /** Past this `send` fails with `NET_ERR_BACKPRESSURE` and the message is not queued. */
  readonly maxBufferedBytes: number;
  /** Encoded bytes that trigger a write at once instead of at the end of the tick. */
  readonly flushThreshold: number;
}

/** What the outbound buffer reports back to its connection. */
export interface OutboundEvents<Send> {
  /** Each message whose frame the socket has taken completely, in order. */
  sent(message: Send): void;
  /** The buffered bytes fell to the low-water mark. */
  drained(): void;
}

/**
 * The send side of one socket: frames are encoded back to back into a pooled buffer and written
 * with one `socket.write` per tick (or at once past `flushThreshold`), so a burst of sends costs one
 * system call.
 *
 * The buffer handed to the socket must not change until the socket is done with it. Usually the
 * kernel takes it within the `write` call (`writableLength` is 0 afterwards) and it is reused at
 * once; otherwise it is set aside until the socket has written everything, and a second buffer
 * takes new frames meanwhile.
 */
export class Outbound<Send> {
  private readonly _socket: Socket;
  private readonly _codec: Codec<Send, unknown>;
  private readonly _limits: OutboundLimits;
  private readonly _events: OutboundEvents<Send>;
  private readonly _trackSent: boolean;
  private readonly _afterWrite: () => void;
  private readonly _flushSoon: () => void;
  /** Takes new frames. */
  private _current: MessageWriter<Send> | undefined;
  /** Free for reuse. */
  private _spare: MessageWriter<Send> | undefined;
  /** Handed to the socket and not yet written; at most two (the second only from finish()). */
  private readonly _held: MessageWriter<Send>[] = [];
  private _currentCount = 0;
  private _heldCount = 0;
  private readonly _unsent = new RingQueue<Send>();
  // The view of a writer's bytes last handed to the socket: the next hand-over of as many bytes
  // from the same buffer (a round trip's writer, emptied at once each time) reuses it.
  private _viewOf: Uint8Array | undefined;
  private _view: Uint8Array = EMPTY_BYTES;
  private _flushScheduled = false;
  private _needDrain = false;
  private _finished = false;
  private _closed = false;

  constructor(
    socket: Socket,
    codec: Codec<Send, unknown>,
    limits: OutboundLimits,
    events: OutboundEvents<Send>,
    trackSent: boolean,
  ) {
    this._socket = socket;
    this._codec = codec;
    this._limits = limits;
    this._events = events;
    this._trackSent = trackSent;
    this._afterWrite = () => this._onWriteDone();
    this._flushSoon = () => {
      this._flushScheduled = false;
      this.flush();
    };
  }

  /** Bytes encoded and not yet taken by the kernel. */
  get bufferedBytes(): number {
    return (this._current?.buffered ?? 0) + this._socket.writableLength;
  }

  /** True while the buffered bytes are above the high-water mark. */
  get needsDrain(): boolean {
    return this._needDrain;
  }

  /**
   * Encodes `message` and schedules its write.
   * @returns false when the buffered bytes are now above the high-water mark
   * @throws NetError `NET_ERR_BACKPRESSURE` past `maxBufferedBytes` (nothing queued), `NET_ERR_CLOSED`, or an encode error
   */
  enqueue(message: Send): boolean {
    if (this._finished) throw new NetError(ErrorCode.CLOSED, 'connection is closed');
    const writer = (this._current ??= this._takeWriter());
    let length: number;
    try {
      length = writer.write(message);
    } catch (error) {
      if (NetError.hasCode(error, ErrorCode.BUFFER_LIMIT)) {
        throw new NetError(
          ErrorCode.BACKPRESSURE,
          `outbound buffer is full (maxBufferedBytes ${this._limits.maxBufferedBytes})`,
          { cause: error },
        );
      }
      throw error;
    }
    const buffered = writer.buffered + this._socket.writableLength;
    if (buffered > this._limits.maxBufferedBytes) {
      writer.out.position -= length;
      throw new NetError(
        ErrorCode.BACKPRESSURE,
        `outbound buffer would hold ${buffered} bytes, over maxBufferedBytes ${this._limits.maxBufferedBytes}`,
        {
          details: { buffered, maxBufferedBytes: this._limits.maxBufferedBytes },
        },
      );
    }
    if (this._trackSent) this._unsent.push(message);
    this._currentCount++;
    if (writer.buffered >= this._limits.flushThreshold) {
      this.flush();
    } else if (!this._flushScheduled) {
      this._flushScheduled = true;
      // At the end of the tick: after the microtasks queued so far, so that sends made across a
      // chain of them (replies in a `for await` over buffered messages) share one write. And
      // `queueMicrotask` makes an async resource and a bound function per call on Node (about
      // 160 bytes per send that `nextTick`'s one tick object does not).
      nextTick(this._flushSoon);
    }
    // Measured after the flush above: bytes the kernel has just taken are not waiting, and a
    // drain noted with nothing left in flight would never be reported.
    if (this.bufferedBytes > this._limits.highWaterMark) {
      this._needDrain = true;
      return false;
    }
    return true;
  }

  /** Hands everything encoded so far to the socket (unless an earlier write is still in flight). */
  flush(): void {
    if (this._held.length > 0 || this._finished) return;
    this._handOver();
  }

  /**
   * For a graceful close: hands everything encoded so far to the socket now, even behind a write
   * still in flight (the socket keeps writes in order), and takes no more messages. Nothing that
   * `enqueue` accepted is left behind.
   */
  finish(): void {
    if (this._finished) return;
    this._handOver();
    this._finished = true;
  }

  /** Gives every buffer back to its pool; call once the socket is closed and done with them. */
  close(): void {
    if (this._closed) return;
    this._closed = true;
    this._finished = true;
    this._unsent.clear();
    for (const writer of [this._current, this._spare, ...this._held]) writer?.release();
    this._current = this._spare = undefined;
    this._held.length = 0;
  }

  private _handOver(): void {
    const writer = this._current;
    if (writer === undefined || writer.buffered === 0 || this._closed) return;
    this._heldCount += this._currentCount;
    this._currentCount = 0;
    this._socket.write(this._bytesOf(writer), this._afterWrite);
    if (this._socket.writableLength === 0 && this._held.length === 0) {
      writer.out.clear();
      this._reportSent();
      this._checkDrained();
    } else {
      this._held.push(writer);
      this._current = this._spare;
      this._spare = undefined;
    }
  }

  /** The writer's encoded bytes as a view, reused when the last hand-over was the same bytes' length. */
  private _bytesOf(writer: MessageWriter<Send>): Uint8Array {
    const bytes = writer.out.bytes;
    const length = writer.buffered;
    if (this._viewOf !== bytes || this._view.length !== length) {
      this._viewOf = bytes;
      this._view = bytes.subarray(0, length);
    }
    return this._view;
  }

  private _takeWriter(): MessageWriter<Send> {
    const spare = this._spare;
    if (spare !== undefined) {
      this._spare = undefined;
      return spare;
    }
    return new MessageWriter(this._codec, { initialCapacity: 4096, maxBytes: this._limits.maxBufferedBytes });
  }

  private _onWriteDone(): void {
    // Writes complete in order, so an empty socket queue means every held buffer is free.
    if (this._held.length === 0 || this._socket.writableLength !== 0 || this._closed) return;
    for (const writer of this._held) writer.out.clear();
    const freed = this._held.splice(0);
    this._reportSent();
    if (this._current === undefined) this._current = freed.pop();
    this._spare ??= freed.pop();
    for (const writer of freed) writer.release();
    this.flush();
    this._checkDrained();
  }

  private _checkDrained(): void {
    if (this._needDrain && this.bufferedBytes <= this._limits.lowWaterMark) {
      this._needDrain = false;
      this._events.drained();
    }
  }

  private _reportSent(): void {
    const count = this._heldCount;
    this._heldCount = 0;
    if (!this._trackSent) return;
    for (let i = 0; i < count; i++) this._events.sent(this._unsent.shift() as Send);
  }
}
