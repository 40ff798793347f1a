import { FrameAccumulator } from '../buffers/frame-accumulator.js';
import type { Framer } from '../framing/framer.js';

/** How a test delivers a byte stream to an accumulator. */
export type FeedMode = 'push' | 'direct';

/**
 * Feeds `stream` to a fresh accumulator in the given pieces and returns every frame body found,
 * copied. Exercises both input paths: chunks handed over (`push`) and reads into the buffer.
 */
export function collectFrames(
  framer: Framer,
  stream: Uint8Array,
  cuts: readonly number[],
  mode: FeedMode,
): Uint8Array[] {
  const accumulator = new FrameAccumulator(framer.clone(), { initialCapacity: 4096, minReadSize: 16 });
  const frames: Uint8Array[] = [];
  let from = 0;
  for (const to of [...cuts, stream.length]) {
    let at = from;
    while (at < to) {
      if (mode === 'push') {
        accumulator.push(stream.subarray(at, to));
        at = to;
      } else {
        const room = accumulator.reserve();
        const count = Math.min(room, to - at);
        accumulator.buffer.set(stream.subarray(at, at + count), accumulator.end);
        accumulator.commit(count);
        at += count;
      }
      while (accumulator.nextFrame()) {
        const { bytes, offset, length } = accumulator.frame;
        frames.push(Uint8Array.prototype.slice.call(bytes, offset, offset + length));
      }
    }
    from = to;
  }
  return frames;
}

/** Every offset at which a stream of `length` bytes can be cut in two. */
export function everySingleCut(length: number): number[][] {
  const cuts: number[][] = [];
  for (let i = 1; i < length; i++) cuts.push([i]);
  return cuts;
}

/** Cuts after every byte. */
export function byteByByte(length: number): number[] {
  return Array.from({ length: Math.max(0, length - 1) }, (_, i) => i + 1);
}

/** Concatenates byte arrays (test helper; the library itself never does this). */
export function join(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
