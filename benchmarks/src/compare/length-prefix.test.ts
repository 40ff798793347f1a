import { describe, expect, it } from 'vitest';
import { LengthPrefixParser, MAX_BODY_BYTES } from './length-prefix.js';

// The node:net subject's framing: a fair baseline must cut every frame right however TCP splits it.

/** Bodies of many lengths, 0 included, each byte telling its body and position apart. */
const BODIES = Array.from({ length: 64 }, (_, i) =>
  Buffer.from(Array.from({ length: (i * 37) % 129 }, (_, j) => (i * 7 + j) & 0xff)),
);

function framed(bodies: readonly Buffer[]): Buffer {
  return Buffer.concat(
    bodies.flatMap((body) => {
      const header = Buffer.alloc(4);
      header.writeUInt32BE(body.length);
      return [header, body];
    }),
  );
}

describe('hand-written length-prefix framing (the node:net subject)', () => {
  it('cuts the same bodies however the stream is split into chunks', () => {
    const bytes = framed(BODIES);
    let seed = 12345;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (const maxChunk of [1, 2, 3, 5, 7, 64, 131, 132, 133, 1000, bytes.length]) {
      const got: string[] = [];
      const parser = new LengthPrefixParser((body) => got.push(body.toString('hex')));
      for (let at = 0; at < bytes.length;) {
        const size = 1 + Math.floor(random() * maxChunk);
        parser.push(bytes.subarray(at, at + size));
        at += size;
      }
      expect(got, `chunks up to ${maxChunk}`).toEqual(BODIES.map((b) => b.toString('hex')));
      expect(parser.pending).toBe(0);
    }
  });

  it('holds the bytes of an unfinished frame until the rest arrives', () => {
    const bytes = framed([BODIES[5]]);
    const got: Buffer[] = [];
    const parser = new LengthPrefixParser((body) => got.push(Buffer.from(body)));
    parser.push(bytes.subarray(0, 10));
    expect(got).toEqual([]);
    expect(parser.pending).toBe(10);
    parser.push(bytes.subarray(10));
    expect(got).toEqual([BODIES[5]]);
    expect(parser.pending).toBe(0);
  });

  it('hands out frames inside a chunk as views of it, and refuses an absurd length', () => {
    const frame = framed([BODIES[3]]);
    let body: Buffer | undefined;
    new LengthPrefixParser((b) => (body = b)).push(frame);
    expect(body!.buffer).toBe(frame.buffer);
    const huge = Buffer.alloc(4);
    huge.writeUInt32BE(MAX_BODY_BYTES + 1);
    expect(() => new LengthPrefixParser(() => undefined).push(huge)).toThrow(/over/);
  });
});
