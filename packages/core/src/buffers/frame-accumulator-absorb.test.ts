import { describe, expect, it } from 'vitest';
import { lengthFieldFramer } from '../index.js';
import { FrameAccumulator } from './frame-accumulator.js';

/** Frames of a 2-byte length field, each body one byte. */
const frames = (...bodies: number[]) => Uint8Array.from(bodies.flatMap((body) => [0, 1, body]));

function drain(accumulator: FrameAccumulator): number[] {
  const bodies: number[] = [];
  while (accumulator.nextFrame()) bodies.push(accumulator.frame.bytes[accumulator.frame.offset]);
  return bodies;
}

describe('FrameAccumulator.absorbChunk', () => {
  it('moves the rest of a chunk into the buffer, so that a direct read may follow, in order', () => {
    const accumulator = new FrameAccumulator(lengthFieldFramer({ lengthFieldLength: 2 }));
    accumulator.push(frames(1, 2, 3).subarray(0, 7)); // frames 1 and 2, and the first byte of 3
    expect(accumulator.nextFrame()).toBe(true);
    expect(accumulator.absorbChunk()).toBe(true);
    const room = accumulator.reserve();
    const rest = frames(3, 4).subarray(1);
    accumulator.buffer.set(rest, accumulator.end);
    accumulator.commit(Math.min(room, rest.length));
    expect(drain(accumulator)).toEqual([2, 3, 4]);
    expect(accumulator.pending).toBe(0);
  });

  it('leaves a chunk that would take the room of the next read under maxCapacity', () => {
    const accumulator = new FrameAccumulator(lengthFieldFramer({ lengthFieldLength: 2, maxFrameLength: 64 }), {
      minReadSize: 4096,
    });
    const big = frames(...Array.from({ length: accumulator.maxCapacity / 3 }, (_, i) => i & 0xff));
    accumulator.push(big);
    expect(accumulator.absorbChunk()).toBe(false);
    // Nothing moved: the chunk's frames still come out, all of them.
    expect(drain(accumulator)).toHaveLength(big.length / 3);
    expect(accumulator.absorbChunk()).toBe(true);
  });
});
