import { describe, expect, it } from 'vitest';
import { ErrorCode, fixedSizeFramer, lengthFieldFramer } from '../index.js';
import { FrameAccumulator } from './frame-accumulator.js';

/** Frames of `size` bytes each with a u16 length prefix; byte values tell frames apart. */
function prefixed(count: number, size: number): Uint8Array {
  const out = new Uint8Array(count * (size + 2));
  for (let i = 0; i < count; i++) {
    const at = i * (size + 2);
    out[at] = size >> 8;
    out[at + 1] = size & 0xff;
    out.fill(i + 1, at + 2, at + 2 + size);
  }
  return out;
}

describe('FrameAccumulator', () => {
  it('hands out frames wholly inside a pushed chunk as views of that chunk, without copying', () => {
    const accumulator = new FrameAccumulator(lengthFieldFramer({ lengthFieldLength: 2 }));
    const chunk = prefixed(3, 10);
    accumulator.push(chunk);
    for (let i = 0; i < 3; i++) {
      expect(accumulator.nextFrame()).toBe(true);
      expect(accumulator.frame.bytes).toBe(chunk);
      expect(accumulator.frame.offset).toBe(i * 12 + 2);
      expect(accumulator.frame.length).toBe(10);
    }
    expect(accumulator.nextFrame()).toBe(false);
    expect(accumulator.end).toBe(0);
  });

  it('gives every frame a DataView over its own bytes, the last frame of a chunk included', () => {
    for (const direct of [false, true]) {
      const accumulator = new FrameAccumulator(lengthFieldFramer({ lengthFieldLength: 2 }));
      const chunk = prefixed(3, 10);
      if (direct) {
        accumulator.reserve();
        accumulator.buffer.set(chunk, accumulator.end);
        accumulator.commit(chunk.length);
      } else {
        accumulator.push(chunk);
      }
      for (let i = 1; i <= 3; i++) {
        expect(accumulator.nextFrame()).toBe(true);
        const { view, offset, length } = accumulator.frame;
        expect(view.getUint8(offset)).toBe(i);
        expect(view.getUint8(offset + length - 1)).toBe(i);
      }
    }
  });

  it('copies only the frame that straddles two chunks; the frames after it stay views', () => {
    const accumulator = new FrameAccumulator(lengthFieldFramer({ lengthFieldLength: 2 }));
    const stream = prefixed(4, 10);
    const first = stream.subarray(0, 17); // frame 1 whole, 5 bytes of frame 2
    const second = stream.subarray(17);
    accumulator.push(first);
    expect(accumulator.nextFrame()).toBe(true);
    expect(accumulator.nextFrame()).toBe(false);
    expect(accumulator.end - accumulator.start).toBe(5);
    accumulator.push(second);
    expect(accumulator.nextFrame()).toBe(true);
    expect(accumulator.frame.bytes).toBe(accumulator.buffer);
    expect(accumulator.frame.bytes[accumulator.frame.offset]).toBe(2);
    // Exactly the 7 missing bytes were taken from the second chunk; frames 3 and 4 are views of it.
    expect(accumulator.end).toBe(12);
    for (const expected of [3, 4]) {
      expect(accumulator.nextFrame()).toBe(true);
      expect(accumulator.frame.bytes).toBe(second);
      expect(accumulator.frame.bytes[accumulator.frame.offset]).toBe(expected);
    }
    expect(accumulator.nextFrame()).toBe(false);
  });

  it('compacts instead of growing when the pending tail fits', () => {
    const accumulator = new FrameAccumulator(fixedSizeFramer(100), { initialCapacity: 4096, minReadSize: 1024 });
    expect(accumulator.buffer.length).toBe(0); // nothing allocated before the first read
    // Fill most of the buffer with whole frames plus half a frame, then consume the whole ones.
    let room = accumulator.reserve();
    const original = accumulator.buffer;
    expect(room).toBe(4096);
    accumulator.buffer.fill(7, accumulator.end, accumulator.end + 3950);
    accumulator.commit(3950);
    let frames = 0;
    while (accumulator.nextFrame()) frames++;
    expect(frames).toBe(39);
    expect(accumulator.end - accumulator.start).toBe(50);
    room = accumulator.reserve();
    expect(accumulator.buffer).toBe(original);
    expect(accumulator.start).toBe(0);
    expect(accumulator.end).toBe(50);
    expect(room).toBe(4096 - 50);
  });

  it('grows page-rounded to the announced frame length, and not past its limit', () => {
    const framer = lengthFieldFramer({ lengthFieldLength: 4, maxFrameLength: 100_000 });
    const accumulator = new FrameAccumulator(framer, { initialCapacity: 4096, minReadSize: 1024 });
    accumulator.reserve();
    accumulator.buffer.set([0, 0, 0x75, 0x30], 0); // announces 30,000 body bytes
    accumulator.commit(4);
    expect(accumulator.nextFrame()).toBe(false);
    accumulator.reserve();
    expect(accumulator.buffer.length).toBe(Math.ceil(30_004 / 4096) * 4096);
    expect(accumulator.maxCapacity).toBeLessThanOrEqual(Math.ceil((100_000 + 1024) / 4096) * 4096);
  });

  it('refuses a frame over the limit before buffering its body', () => {
    const accumulator = new FrameAccumulator(lengthFieldFramer({ lengthFieldLength: 4, maxFrameLength: 1024 }), {
      initialCapacity: 4096,
    });
    accumulator.push(Uint8Array.from([0xff, 0xff, 0xff, 0xf0, 1, 2, 3]));
    expect(() => accumulator.nextFrame()).toThrow(expect.objectContaining({ code: ErrorCode.FRAME_TOO_LARGE }));
    expect(accumulator.buffer.length).toBe(0);
  });

  it('asks for the previous chunk to be drained before taking another', () => {
    const accumulator = new FrameAccumulator(fixedSizeFramer(1));
    accumulator.push(Uint8Array.from([1, 2]));
    expect(() => accumulator.push(Uint8Array.from([3]))).toThrow(
      expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT }),
    );
    expect(() => accumulator.commit(-1)).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT }));
  });

  it('clear() drops pending bytes and framer progress', () => {
    const accumulator = new FrameAccumulator(lengthFieldFramer({ lengthFieldLength: 2 }));
    accumulator.push(Uint8Array.from([0, 5, 1]));
    expect(accumulator.nextFrame()).toBe(false);
    accumulator.clear();
    expect(accumulator.pending).toBe(0);
    accumulator.push(Uint8Array.from([0, 1, 9]));
    expect(accumulator.nextFrame()).toBe(true);
    expect(accumulator.frame.bytes[accumulator.frame.offset]).toBe(9);
  });
});
