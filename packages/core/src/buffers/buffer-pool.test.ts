import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../index.js';
import { BufferPool } from './buffer-pool.js';
import { ByteWriter } from './byte-writer.js';

describe('BufferPool', () => {
  it('hands out power-of-two size classes and reuses released buffers', () => {
    const pool = new BufferPool({ minBufferSize: 1024, maxBufferSize: 8192 });
    const a = pool.acquire(1000);
    expect(a.length).toBe(1024);
    const b = pool.acquire(1025);
    expect(b.length).toBe(2048);
    expect(pool.stats()).toMatchObject({ inUse: 2, inUseBytes: 3072, allocated: 2, pooled: 0 });
    pool.release(a);
    pool.release(b);
    expect(pool.stats()).toMatchObject({ inUse: 0, inUseBytes: 0, pooled: 2, pooledBytes: 3072 });
    expect(pool.acquire(2000)).toBe(b);
    expect(pool.stats().allocated).toBe(2);
  });

  it('allocates over-size requests exactly and never pools them', () => {
    const pool = new BufferPool({ minBufferSize: 1024, maxBufferSize: 4096 });
    const big = pool.acquire(10_000);
    expect(big.length).toBe(10_000);
    pool.release(big);
    expect(pool.stats()).toMatchObject({ inUse: 0, pooled: 0, allocatedBytes: 10_000 });
  });

  it('keeps no more idle bytes than maxPooledBytes', () => {
    const pool = new BufferPool({ minBufferSize: 1024, maxBufferSize: 4096, maxPooledBytes: 2048 });
    const buffers = [pool.acquire(1024), pool.acquire(1024), pool.acquire(1024)];
    for (const buffer of buffers) pool.release(buffer);
    expect(pool.stats()).toMatchObject({ pooled: 2, pooledBytes: 2048, inUse: 0 });
    pool.trim();
    expect(pool.stats()).toMatchObject({ pooled: 0, pooledBytes: 0 });
  });

  it('refuses a double release and a foreign buffer with a coded error', () => {
    const pool = new BufferPool();
    const buffer = pool.acquire(10);
    pool.release(buffer);
    expect(() => pool.release(buffer)).toThrow(expect.objectContaining({ code: ErrorCode.BUFFER_RELEASE }));
    expect(() => pool.release(Buffer.alloc(1024))).toThrow(expect.objectContaining({ code: ErrorCode.BUFFER_RELEASE }));
  });

  it('validates its options', () => {
    expect(() => new BufferPool({ minBufferSize: 1000 })).toThrow(
      expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT }),
    );
    expect(() => new BufferPool({ minBufferSize: 4096, maxBufferSize: 1024 })).toThrow(
      expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT }),
    );
  });
});

describe('ByteWriter', () => {
  it('grows through the pool, keeps its content, and gives every buffer back', () => {
    const pool = new BufferPool({ minBufferSize: 1024, maxBufferSize: 1 << 20 });
    const writer = new ByteWriter({ pool, initialCapacity: 1024 });
    for (let i = 0; i < 5000; i++) writer.writeBytes(Uint8Array.of(i & 0xff));
    expect(writer.bytes.length).toBe(8192);
    expect(writer.bytes[4999]).toBe(4999 & 0xff);
    expect(writer.view.getUint8(1234)).toBe(1234 & 0xff);
    expect(pool.stats().inUse).toBe(1);
    writer.consume(4000);
    expect(writer.position).toBe(1000);
    expect(writer.bytes[0]).toBe(4000 & 0xff);
    writer.release();
    writer.release();
    expect(pool.stats().inUse).toBe(0);
  });

  it('stops at maxBytes with a coded error and keeps what it had', () => {
    const writer = new ByteWriter({ pool: new BufferPool(), initialCapacity: 1024, maxBytes: 2048 });
    writer.writeBytes(new Uint8Array(2000));
    expect(() => writer.ensure(100)).toThrow(expect.objectContaining({ code: ErrorCode.BUFFER_LIMIT }));
    expect(writer.position).toBe(2000);
  });

  it('holds a maxBytes below the smallest pooled buffer: the buffer is larger, the limit is not', () => {
    const writer = new ByteWriter({ pool: new BufferPool(), initialCapacity: 64, maxBytes: 64 });
    expect(writer.bytes.length).toBeGreaterThan(64);
    writer.writeBytes(new Uint8Array(64));
    expect(() => writer.ensure(1)).toThrow(expect.objectContaining({ code: ErrorCode.BUFFER_LIMIT }));
    expect(writer.position).toBe(64);
  });
});
