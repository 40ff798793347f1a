import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fcRuns } from '../../../../test-support/fc-runs.mjs';
import { ErrorCode } from '../index.js';
import { byteByByte, collectFrames, everySingleCut, join } from '../test-support/feed.js';
import { NEED_MORE } from './framer.js';
import { type LengthFieldLength, lengthFieldFramer, type LengthFieldFramerOptions } from './length-field-framer.js';

/** Builds a frame by hand: `offset` filler bytes, the length field, the body. */
function handFrame(
  body: number[],
  width: LengthFieldLength,
  offset: number,
  little: boolean,
  value: number,
): Uint8Array {
  const field: number[] = [];
  let rest = value;
  for (let i = 0; i < width; i++) {
    field.push(rest % 256);
    rest = Math.floor(rest / 256);
  }
  if (!little) field.reverse();
  return Uint8Array.from([...Array.from({ length: offset }, (_, i) => 0xa0 + i), ...field, ...body]);
}

describe('LengthFieldFramer', () => {
  it('reads a u16 big-endian length and waits for a little-endian one (links C2)', () => {
    const bytes = Uint8Array.from([0x00, 0x01, 0x41]);
    const be = lengthFieldFramer({ lengthFieldLength: 2 });
    expect(be.frameLength(bytes, 0, 1)).toBe(NEED_MORE);
    expect(be.frameLength(bytes, 0, 3)).toBe(3);
    const le = lengthFieldFramer({ lengthFieldLength: 2, byteOrder: 'little' });
    expect(le.frameLength(bytes, 0, 3)).toBe(NEED_MORE);
    expect(le.expectedLength).toBe(258);
  });

  it('is SoupBinTCP framing with { lengthFieldLength: 2 }', () => {
    // Login accepted: length 0x001f (31), type 'A', 10-byte session, 20-byte sequence number.
    const body = [0x41, ...new TextEncoder().encode('SESSION001'), ...new TextEncoder().encode('1'.padStart(20, ' '))];
    const frame = Uint8Array.from([0x00, body.length, ...body]);
    const framer = lengthFieldFramer({ lengthFieldLength: 2 });
    const [decoded] = collectFrames(framer, frame, [], 'push');
    expect(Array.from(decoded)).toEqual(body);
  });

  for (const width of [1, 2, 4, 8] as const) {
    for (const offset of [0, 1, 3, 7]) {
      for (const little of [false, true]) {
        it(`decodes and encodes u${width * 8}${little ? 'le' : 'be'} at offset ${offset}, split at every offset`, () => {
          const options: LengthFieldFramerOptions = {
            lengthFieldLength: width,
            lengthFieldOffset: offset,
            byteOrder: little ? 'little' : 'big',
            initialBytesToStrip: 0,
          };
          const framer = lengthFieldFramer(options);
          const bodies = [[1, 2, 3], [], [9], [4, 5, 6, 7, 8]];
          const frames = bodies.map((body) => handFrame(body, width, offset, little, body.length));
          const stream = join(frames);
          for (const mode of ['push', 'direct'] as const) {
            for (const cuts of [...everySingleCut(stream.length), byteByByte(stream.length)]) {
              expect(collectFrames(framer, stream, cuts, mode).map((f) => Array.from(f))).toEqual(
                frames.map((f) => Array.from(f)),
              );
            }
          }
          // seal writes the same length field the hand-built frame has (bytes before it become zero).
          const out = new Uint8Array(64);
          out.set(frames[3].subarray(offset + width), offset + width);
          expect(framer.seal(out, 0, frames[3].length)).toBe(frames[3].length);
          expect(Array.from(out.subarray(offset, frames[3].length))).toEqual(Array.from(frames[3].subarray(offset)));
        });
      }
    }
  }

  it('applies lengthAdjustment when the length counts the whole frame', () => {
    const framer = lengthFieldFramer({ lengthFieldLength: 4, lengthIncludesHeader: true });
    const frame = Uint8Array.from([0, 0, 0, 7, 1, 2, 3]);
    expect(framer.frameLength(frame, 0, 7)).toBe(7);
    expect(collectFrames(framer, frame, [], 'push').map((f) => Array.from(f))).toEqual([[1, 2, 3]]);
    const out = new Uint8Array(8);
    out.set([1, 2, 3], 4);
    expect(framer.seal(out, 0, 3)).toBe(7);
    expect(Array.from(out.subarray(0, 7))).toEqual([0, 0, 0, 7, 1, 2, 3]);
  });

  it('strips the requested header bytes and hands the codec the rest', () => {
    const framer = lengthFieldFramer({ lengthFieldOffset: 1, lengthFieldLength: 2, initialBytesToStrip: 1 });
    const frame = Uint8Array.from([0xee, 0x00, 0x02, 0x0a, 0x0b]);
    expect(collectFrames(framer, frame, [], 'push').map((f) => Array.from(f))).toEqual([[0x00, 0x02, 0x0a, 0x0b]]);
  });

  it('rejects a frame that announces 4 GB from its header alone', () => {
    const framer = lengthFieldFramer({ lengthFieldLength: 4, maxFrameLength: 1 << 20 });
    const header = Uint8Array.from([0xff, 0xff, 0xff, 0xff]);
    expect(() => framer.frameLength(header, 0, 4)).toThrow(
      expect.objectContaining({ code: ErrorCode.FRAME_TOO_LARGE }),
    );
    const wide = lengthFieldFramer({ lengthFieldLength: 8 });
    expect(() => wide.frameLength(new Uint8Array(8).fill(0xff), 0, 8)).toThrow(
      expect.objectContaining({ code: ErrorCode.FRAME_TOO_LARGE }),
    );
  });

  it('calls a length shorter than the header corrupt', () => {
    const framer = lengthFieldFramer({ lengthFieldLength: 2, lengthIncludesHeader: true });
    expect(() => framer.frameLength(Uint8Array.from([0, 1, 0]), 0, 3)).toThrow(
      expect.objectContaining({ code: ErrorCode.FRAME_CORRUPT }),
    );
  });

  it('refuses to encode a body the field cannot announce or the limit forbids', () => {
    const narrow = lengthFieldFramer({ lengthFieldLength: 1 });
    expect(() => narrow.seal(new Uint8Array(400), 0, 300)).toThrow(expect.objectContaining({ code: ErrorCode.ENCODE }));
    const small = lengthFieldFramer({ lengthFieldLength: 4, maxFrameLength: 16 });
    expect(() => small.seal(new Uint8Array(64), 0, 13)).toThrow(
      expect.objectContaining({ code: ErrorCode.FRAME_TOO_LARGE }),
    );
  });

  it('validates its options', () => {
    const bad: LengthFieldFramerOptions[] = [
      { lengthFieldLength: 3 as LengthFieldLength },
      { lengthFieldOffset: -1 },
      { initialBytesToStrip: 5, lengthFieldLength: 4 },
      { maxFrameLength: 2 ** 31 },
      { lengthAdjustment: 1, lengthIncludesHeader: true },
      { byteOrder: 'middle' as 'big' },
    ];
    for (const options of bad) {
      expect(() => lengthFieldFramer(options)).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT }));
    }
  });

  it('never throws anything but a coded error on random bytes, and never reports a frame past the limit', () => {
    const runs = fcRuns(10_000);
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 64 }),
        fc.constantFrom<LengthFieldLength>(1, 2, 4, 8),
        fc.integer({ min: 0, max: 7 }),
        fc.integer({ min: -8, max: 8 }),
        (bytes, width, offset, adjustment) => {
          const framer = lengthFieldFramer({
            lengthFieldLength: width,
            lengthFieldOffset: offset,
            lengthAdjustment: adjustment,
            maxFrameLength: 32,
          });
          try {
            const length = framer.frameLength(bytes, 0, bytes.length);
            expect(length).toBeLessThanOrEqual(32);
            expect(length).toBeLessThanOrEqual(bytes.length);
          } catch (error) {
            expect([ErrorCode.FRAME_TOO_LARGE, ErrorCode.FRAME_CORRUPT]).toContain((error as { code: string }).code);
          }
        },
      ),
      { numRuns: runs },
    );
  });
});
