import { describe, expect, it } from 'vitest';
import { allocatedOver, countsAllocations } from '../../../../test-support/heap-allocation.mjs';
import { FrameInbox } from './frame-inbox.js';
import { WORD_COPY_MAX_BYTES, WordCopy } from './word-copy.js';

/** A target of `bytes` bytes, as bytes and as words over the same memory. */
function target(bytes: number) {
  const buffer = new SharedArrayBuffer(bytes);
  return { bytes: new Uint8Array(buffer), copy: new WordCopy(new Uint8Array(buffer), new Int32Array(buffer)) };
}

/** `length` bytes that differ from their neighbours, from `seed`. */
function pattern(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (seed + i * 13) & 0xff;
  return bytes;
}

describe('WordCopy', () => {
  it('copies every length up to its limit from every alignment of the source, and nothing around it', () => {
    const source = pattern(WORD_COPY_MAX_BYTES + 16, 5);
    const { bytes, copy } = target(WORD_COPY_MAX_BYTES + 64);
    for (let offset = 0; offset < 8; offset++) {
      for (let length = 0; length <= WORD_COPY_MAX_BYTES; length++) {
        bytes.fill(0xee);
        copy.copy(source, offset, length, 8);
        expect(bytes.subarray(8, 8 + length)).toEqual(source.subarray(offset, offset + length));
        expect(bytes.subarray(0, 8).every((b) => b === 0xee)).toBe(true);
        expect(bytes.subarray(8 + length).every((b) => b === 0xee)).toBe(true);
      }
    }
  });

  it('reads a view from where it starts in its memory (a Buffer of the shared pool, a subarray)', () => {
    const { bytes, copy } = target(256);
    const pooled = Buffer.from(pattern(150, 9));
    const inner = pattern(300, 3).subarray(7, 290);
    for (const [source, offset, length] of [
      [pooled, 3, 141],
      [inner, 0, 200],
      [inner, 2, 61],
    ] as const) {
      copy.copy(source, offset, length, 4);
      expect(bytes.subarray(4, 4 + length)).toEqual(new Uint8Array(source.subarray(offset, offset + length)));
    }
  });

  it('copies from the source it is given when sources take turns, and from a memory that grew', () => {
    const { bytes, copy } = target(256);
    const a = pattern(128, 1);
    const b = pattern(128, 2);
    for (let turn = 0; turn < 6; turn++) {
      const source = turn % 2 === 0 ? a : b;
      copy.copy(source, turn, 100, 0);
      expect(bytes.subarray(0, 100)).toEqual(source.subarray(turn, turn + 100));
    }
    // A resizable ArrayBuffer (ES2024; the compiler's library here is older).
    type Resizable = ArrayBuffer & { resize(bytes: number): void };
    const Resizable = ArrayBuffer as unknown as new (bytes: number, options: { maxByteLength: number }) => Resizable;
    const growable = new Resizable(64, { maxByteLength: 1024 });
    const view = new Uint8Array(growable);
    view.set(pattern(64, 4));
    copy.copy(view, 0, 64, 0);
    growable.resize(512);
    const grown = new Uint8Array(growable);
    grown.set(pattern(512, 8));
    for (const offset of [100, 301]) {
      copy.copy(grown, offset, 200, 0);
      expect(bytes.subarray(0, 200)).toEqual(grown.subarray(offset, offset + 200));
    }
    // The first view tracks the memory's length: the same view object, read past its old end.
    copy.copy(view, 0, 64, 0);
    copy.copy(view, 400, 100, 0);
    expect(bytes.subarray(0, 100)).toEqual(grown.subarray(400, 500));
  });
});

describe.skipIf(!countsAllocations)('an inbox producer', () => {
  it('copies 128-byte frames out of a receive buffer at any offset with no object per frame (it made a view per frame)', () => {
    const inbox = new FrameInbox({ capacity: 1 << 16, maxFrameBytes: 1024 });
    const producer = inbox.producer();
    const consumer = inbox.consumer();
    // A receive buffer as a connection's: a Buffer, frames at every alignment in it.
    const received = Buffer.from(pattern(4096, 6));
    const frames = (count: number) => {
      for (let n = 0; n < count; n++) {
        producer.tryWrite(received, 1 + (n % 2048), 128);
        consumer.tryRead();
      }
    };
    frames(30_000); // warm: the path optimized
    const count = 100_000;
    const perFrame = allocatedOver(() => frames(count)) / count;
    // A view per frame is 60-100 bytes; a recompilation inside the window a few hundred KB in all.
    expect(perFrame).toBeLessThan(16);
  });
});
