import { afterEach, describe, expect, it, vi } from 'vitest';
import { bytesCodec } from './bytes-codec.js';
import type { FrameSlice } from './codec.js';
import { BYTEWISE_COPY_MAX } from './owned-bodies.js';

function frameIn(bytes: Uint8Array, offset: number, length: number, stable: boolean): FrameSlice {
  return { bytes, view: new DataView(bytes.buffer), offset, length, stable };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('bytesCodec queued bodies', () => {
  it('a body in a reused buffer is its own copy, the copy itself, with no view made to copy it', () => {
    const queued = bytesCodec().forConnection(true);
    const received = new Uint8Array(64).map((_, i) => i);
    const subarray = vi.spyOn(Uint8Array.prototype, 'subarray');
    const body = queued.decode(frameIn(received, 4, 20, false));
    expect(subarray).not.toHaveBeenCalled();
    // The copy is the body: a whole pooled Buffer of the body's length, not a view made on top of it.
    expect(Object.getPrototypeOf(body)).toBe(Buffer.prototype);
    expect(body.length).toBe(20);
    expect(body.buffer).not.toBe(received.buffer);
    expect(Array.from(body)).toEqual(Array.from(received.subarray(4, 24)));
    received.fill(0);
    expect(body[0]).toBe(4);
  });

  it('copies a larger body in one call, and lends a view of a chunk that is never reused', () => {
    const queued = bytesCodec().forConnection(true);
    const received = new Uint8Array(BYTEWISE_COPY_MAX * 4).map((_, i) => i & 255);
    const large = queued.decode(frameIn(received, 8, BYTEWISE_COPY_MAX * 2, false));
    expect(Array.from(large)).toEqual(Array.from(received.subarray(8, 8 + BYTEWISE_COPY_MAX * 2)));
    expect(large.buffer).not.toBe(received.buffer);
    const lent = queued.decode(frameIn(received, 8, 16, true));
    expect(lent.buffer).toBe(received.buffer);
    expect(lent.byteOffset).toBe(received.byteOffset + 8);
  });
});
