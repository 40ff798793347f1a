import type { Socket } from 'node:net';
import { type Codec, ErrorCode, MessageWriter, NetError, RingQueue } from '@net/core';

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
 * once; otherwise it is set aside until the write completes and a second buffer takes new frames.
 */
export class Outbound<Send> {
  private readonly _socket: Socket;
  private readonly _codec: Codec<Send, unknown>;
  private readonly _limits: OutboundLimits;
  private readonly _events: OutboundEvents<Send>;
  private readonly _trackSent: boolean;
  private readonly _afterWrite: (error?: Error | null) => void;
  private readonly _flushSoon: () => void;
  private _current: MessageWriter<Send> | undefined;
  private _spare: MessageWriter<Send> | undefined;
  private _inflight: MessageWriter<Send> | undefined;
  private _currentCount = 0;
  private _inflightCount = 0;
  private readonly _unsent = new RingQueue<Send>();
  private _flushScheduled = false;
  private _needDrain = false;
  private _closed = false;

  constructor(socket: Socket, codec: Codec<Send, unknown>, limits: OutboundLimits, events: OutboundEvents<Send>, trackSent: boolean) {
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
    if (this._closed) throw new NetError(ErrorCode.CLOSED, 'connection is closed');
    const writer = (this._current ??= this._takeWriter());
    let length: number;
    try {
      length = writer.write(message);
    } catch (error) {
      if (NetError.hasCode(error, ErrorCode.BUFFER_LIMIT)) {
        throw new NetError(ErrorCode.BACKPRESSURE, `outbound buffer is full (maxBufferedBytes ${this._limits.maxBufferedBytes})`, { cause: error });
      }
      throw error;
    }
    const buffered = writer.buffered + this._socket.writableLength;
    if (buffered > this._limits.maxBufferedBytes) {
      writer.out.position -= length;
      throw new NetError(ErrorCode.BACKPRESSURE, `outbound buffer would hold ${buffered} bytes, over maxBufferedBytes ${this._limits.maxBufferedBytes}`, {
        details: { buffered, maxBufferedBytes: this._limits.maxBufferedBytes },
      });
    }
    if (this._trackSent) this._unsent.push(message);
    this._currentCount++;
    if (writer.buffered >= this._limits.flushThreshold) {
      this.flush();
    } else if (!this._flushScheduled) {
      this._flushScheduled = true;
      queueMicrotask(this._flushSoon);
    }
    if (buffered > this._limits.highWaterMark) {
      this._needDrain = true;
      return false;
    }
    return true;
  }

  /** Hands everything encoded so far to the socket (unless a previous write is still in flight). */
  flush(): void {
    const writer = this._current;
    if (this._inflight !== undefined || writer === undefined || writer.buffered === 0 || this._closed) return;
    const count = this._currentCount;
    this._currentCount = 0;
    this._socket.write(writer.out.bytes.subarray(0, writer.buffered), this._afterWrite);
    if (this._socket.writableLength === 0) {
      writer.out.clear();
      this._reportSent(count);
      this._checkDrained();
    } else {
      this._inflight = writer;
      this._inflightCount = count;
      this._current = this._spare;
      this._spare = undefined;
    }
  }

  /** Stops taking messages and gives the buffers back to their pool. */
  close(): void {
    if (this._closed) return;
    this._closed = true;
    this._unsent.clear();
    for (const writer of [this._current, this._spare]) writer?.release();
    // A buffer still in flight belongs to the socket until it is destroyed; the pool does not
    // get it back, which is the safe side.
    this._current = this._spare = undefined;
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
    const inflight = this._inflight;
    // Writes complete in order, so an empty socket queue means the buffer in flight is free.
    if (inflight === undefined || this._socket.writableLength !== 0 || this._closed) return;
    inflight.out.clear();
    this._inflight = undefined;
    if (this._current === undefined) this._current = inflight;
    else this._spare = inflight;
    this._reportSent(this._inflightCount);
    this._inflightCount = 0;
    this.flush();
    this._checkDrained();
  }

  private _checkDrained(): void {
    if (this._needDrain && this.bufferedBytes <= this._limits.lowWaterMark) {
      this._needDrain = false;
      this._events.drained();
    }
  }

  private _reportSent(count: number): void {
    if (!this._trackSent) return;
    for (let i = 0; i < count; i++) this._events.sent(this._unsent.shift() as Send);
  }
}
