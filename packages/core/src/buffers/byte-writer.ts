import { ErrorCode } from '../errors/error-codes.js';
import { NetError } from '../errors/net-error.js';
import { checkIntegerOption } from '../options/check-integer-option.js';
import { DEFAULT_WRITER_CAPACITY, DEFAULT_WRITER_MAX_BYTES } from '../limits.js';
import { type BufferPool, defaultBufferPool } from './buffer-pool.js';

/** Options of a {@link ByteWriter}. */
export interface ByteWriterOptions {
  /** Pool the writer takes its buffer from. Default: the process-wide pool. */
  readonly pool?: BufferPool;
  /** Initial capacity in bytes. Default 16 KiB. */
  readonly initialCapacity?: number;
  /** Hard limit on the bytes the writer may hold; going past it throws `NET_ERR_BUFFER_LIMIT`. Default 64 MiB. */
  readonly maxBytes?: number;
}

/**
 * A growable output buffer from a {@link BufferPool}, written at {@link position}. Codecs encode into
 * it through {@link bytes} and the cached {@link view} without creating any object per message;
 * connections append frame after frame and write `bytes[0..position)` in one system call.
 */
export class ByteWriter {
  /** The current buffer. Replaced when the writer grows: read it again after {@link ensure}. */
  bytes: Buffer;
  /** A DataView over {@link bytes}, replaced together with it. */
  view: DataView;
  /** Where the next byte goes; bytes before it are written content. */
  position = 0;
  /** Hard limit on {@link position}. */
  readonly maxBytes: number;

  private readonly _pool: BufferPool;
  private _released = false;

  constructor(options: ByteWriterOptions = {}) {
    this._pool = options.pool ?? defaultBufferPool;
    this.maxBytes = checkIntegerOption(
      'maxBytes',
      options.maxBytes ?? DEFAULT_WRITER_MAX_BYTES,
      1,
      Number.MAX_SAFE_INTEGER,
    );
    const initial = checkIntegerOption(
      'initialCapacity',
      options.initialCapacity ?? DEFAULT_WRITER_CAPACITY,
      1,
      this.maxBytes,
    );
    this.bytes = this._pool.acquire(initial);
    this.view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.length);
  }

  /** Bytes that can be written before the writer must grow. */
  get available(): number {
    return this.bytes.length - this.position;
  }

  /**
   * Makes room for `count` more bytes after {@link position}, growing into a larger pooled buffer
   * (and copying the content) when needed.
   * @throws NetError `NET_ERR_BUFFER_LIMIT` when that would pass {@link maxBytes}
   */
  ensure(count: number): void {
    const needed = this.position + count;
    // The pool may hand out a buffer larger than maxBytes (its smallest size class): the limit
    // holds all the same.
    if (needed <= this.bytes.length && needed <= this.maxBytes) return;
    this._grow(needed);
  }

  /** Copies `source` in at {@link position} and advances past it. */
  writeBytes(source: Uint8Array): void {
    this.ensure(source.length);
    this.bytes.set(source, this.position);
    this.position += source.length;
  }

  /** Drops the content, keeping the buffer. */
  clear(): void {
    this.position = 0;
  }

  /**
   * Drops the first `count` bytes (they were written out), moving what follows to the front.
   */
  consume(count: number): void {
    if (count >= this.position) {
      this.position = 0;
      return;
    }
    this.bytes.copyWithin(0, count, this.position);
    this.position -= count;
  }

  /** Returns the buffer to its pool. The writer must not be used afterwards; a second call does nothing. */
  release(): void {
    if (this._released) return;
    this._released = true;
    this._pool.release(this.bytes);
  }

  private _grow(needed: number): void {
    if (this._released) {
      throw new NetError(ErrorCode.CLOSED, 'ByteWriter used after release');
    }
    if (needed > this.maxBytes) {
      throw new NetError(ErrorCode.BUFFER_LIMIT, `output needs ${needed} bytes, over the limit of ${this.maxBytes}`, {
        details: { needed, maxBytes: this.maxBytes },
      });
    }
    const next = this._pool.acquire(Math.min(Math.max(needed, this.bytes.length * 2), this.maxBytes));
    this.bytes.copy(next, 0, 0, this.position);
    this._pool.release(this.bytes);
    this.bytes = next;
    this.view = new DataView(next.buffer, next.byteOffset, next.length);
  }
}
