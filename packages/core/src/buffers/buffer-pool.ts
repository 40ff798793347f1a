import { ErrorCode } from '../errors/error-codes.js';
import { NetError } from '../errors/net-error.js';
import { checkIntegerOption } from '../options/check-integer-option.js';
import { DEFAULT_MAX_BUFFER_SIZE, DEFAULT_MAX_POOLED_BYTES, DEFAULT_MIN_BUFFER_SIZE } from '../limits.js';

/** Options of a {@link BufferPool}. */
export interface BufferPoolOptions {
  /** Smallest size class in bytes, a power of two. Default 1 KiB. */
  readonly minBufferSize?: number;
  /** Largest size class in bytes, a power of two; larger requests are allocated exactly and never pooled. Default 4 MiB. */
  readonly maxBufferSize?: number;
  /** Upper bound on the bytes kept idle in the pool; releases beyond it are left to the GC. Default 64 MiB. */
  readonly maxPooledBytes?: number;
}

/** Counters of a {@link BufferPool}, for monitoring and for tests that prove nothing leaks. */
export interface BufferPoolStats {
  /** Buffers handed out and not yet released. */
  readonly inUse: number;
  /** Bytes of the buffers handed out and not yet released. */
  readonly inUseBytes: number;
  /** Idle buffers kept for reuse. */
  readonly pooled: number;
  /** Bytes of the idle buffers kept for reuse. */
  readonly pooledBytes: number;
  /** Buffers ever allocated by this pool (reuse does not count). */
  readonly allocated: number;
  /** Bytes ever allocated by this pool. */
  readonly allocatedBytes: number;
}

/**
 * Output buffers in power-of-two size classes with explicit release. Connections take a buffer to
 * encode into and give it back when written, so steady traffic allocates nothing.
 *
 * Release is checked: releasing a buffer twice, or one this pool did not hand out, throws
 * `NET_ERR_BUFFER_RELEASE` instead of silently corrupting a later message.
 */
export class BufferPool {
  /** Smallest size class in bytes. */
  readonly minBufferSize: number;
  /** Largest pooled size class in bytes. */
  readonly maxBufferSize: number;
  /** Upper bound on idle pooled bytes. */
  readonly maxPooledBytes: number;

  private readonly _free: Buffer[][] = [];
  private readonly _outstanding = new Set<Buffer>();
  private readonly _minShift: number;
  private _inUseBytes = 0;
  private _pooled = 0;
  private _pooledBytes = 0;
  private _allocated = 0;
  private _allocatedBytes = 0;

  constructor(options: BufferPoolOptions = {}) {
    this.minBufferSize = checkPowerOfTwo('minBufferSize', options.minBufferSize ?? DEFAULT_MIN_BUFFER_SIZE);
    this.maxBufferSize = checkPowerOfTwo('maxBufferSize', options.maxBufferSize ?? DEFAULT_MAX_BUFFER_SIZE);
    if (this.maxBufferSize < this.minBufferSize) {
      throw new NetError(ErrorCode.INVALID_ARGUMENT, 'maxBufferSize must not be smaller than minBufferSize');
    }
    this.maxPooledBytes = checkIntegerOption(
      'maxPooledBytes',
      options.maxPooledBytes ?? DEFAULT_MAX_POOLED_BYTES,
      0,
      Number.MAX_SAFE_INTEGER,
    );
    this._minShift = Math.log2(this.minBufferSize);
    const classes = Math.log2(this.maxBufferSize) - this._minShift + 1;
    for (let i = 0; i < classes; i++) this._free.push([]);
  }

  /**
   * A buffer of at least `size` bytes (its `length` is the size class, so callers may use all of
   * it). Give it back with {@link release}.
   */
  acquire(size: number): Buffer {
    checkIntegerOption('size', size, 0, Number.MAX_SAFE_INTEGER);
    let buffer: Buffer | undefined;
    if (size <= this.maxBufferSize) {
      const index = this._classIndex(size);
      buffer = this._free[index].pop();
      if (buffer !== undefined) {
        this._pooled--;
        this._pooledBytes -= buffer.length;
      } else {
        buffer = this._allocate(this.minBufferSize << index);
      }
    } else {
      buffer = this._allocate(size);
    }
    this._outstanding.add(buffer);
    this._inUseBytes += buffer.length;
    return buffer;
  }

  /** Gives back a buffer from {@link acquire}. It must not be used afterwards. */
  release(buffer: Buffer): void {
    if (!this._outstanding.delete(buffer)) {
      throw new NetError(ErrorCode.BUFFER_RELEASE, 'buffer released twice, or not acquired from this pool', {
        details: { length: buffer.length },
      });
    }
    this._inUseBytes -= buffer.length;
    const size = buffer.length;
    if (size > this.maxBufferSize || this._pooledBytes + size > this.maxPooledBytes) return;
    this._free[this._classIndex(size)].push(buffer);
    this._pooled++;
    this._pooledBytes += size;
  }

  /** Drops every idle buffer (buffers in use are unaffected). */
  trim(): void {
    for (const list of this._free) list.length = 0;
    this._pooled = 0;
    this._pooledBytes = 0;
  }

  /** Current counters. */
  stats(): BufferPoolStats {
    return {
      inUse: this._outstanding.size,
      inUseBytes: this._inUseBytes,
      pooled: this._pooled,
      pooledBytes: this._pooledBytes,
      allocated: this._allocated,
      allocatedBytes: this._allocatedBytes,
    };
  }

  private _classIndex(size: number): number {
    if (size <= this.minBufferSize) return 0;
    return 32 - Math.clz32(size - 1) - this._minShift;
  }

  private _allocate(size: number): Buffer {
    this._allocated++;
    this._allocatedBytes += size;
    // allocUnsafeSlow: a buffer of our own, never a slice of Node's shared pool, so handing it
    // to a socket or a pool never aliases unrelated memory.
    return Buffer.allocUnsafeSlow(size);
  }
}

function checkPowerOfTwo(name: string, value: number): number {
  checkIntegerOption(name, value, 16, 1 << 30);
  if ((value & (value - 1)) !== 0) {
    throw new NetError(ErrorCode.INVALID_ARGUMENT, `${name} must be a power of two, got ${value}`, {
      details: { option: name, value },
    });
  }
  return value;
}

/** The process-wide pool that connections use unless given their own. */
export const defaultBufferPool: BufferPool = new BufferPool();
