import { describe, expect, it } from 'vitest';
import { ErrorCode, NetError } from '../index.js';
import { byteByByte, collectFrames, everySingleCut } from '../test-support/feed.js';
import { FixedSizeFramer, fixedSizeFramer } from './fixed-size-framer.js';
import { NEED_MORE } from './framer.js';

const text = (s: string) => new TextEncoder().encode(s);
const decode = (frames: Uint8Array[]) => frames.map((f) => new TextDecoder().decode(f));

describe('FixedSizeFramer', () => {
  it('splits 12345 into 12, 34 and waits on 5 (links C1)', () => {
    const framer = fixedSizeFramer(2);
    const bytes = text('12345');
    expect(framer.frameLength(bytes, 0, 5)).toBe(2);
    expect(framer.frameLength(bytes, 2, 5)).toBe(2);
    expect(framer.frameLength(bytes, 4, 5)).toBe(NEED_MORE);
    for (const mode of ['push', 'direct'] as const) {
      expect(decode(collectFrames(framer, bytes, [], mode))).toEqual(['12', '34']);
    }
  });

  it('finds the same frames however the stream is split', () => {
    const framer = fixedSizeFramer(3);
    const bytes = text('abcdefghijkl');
    for (const mode of ['push', 'direct'] as const) {
      for (const cuts of [...everySingleCut(bytes.length), byteByByte(bytes.length)]) {
        expect(decode(collectFrames(framer, bytes, cuts, mode))).toEqual(['abc', 'def', 'ghi', 'jkl']);
      }
    }
  });

  it('pads a short body with zeros and refuses a long one', () => {
    const framer = new FixedSizeFramer(4);
    const bytes = new Uint8Array([9, 9, 7, 7, 7, 7]);
    expect(framer.seal(bytes, 0, 2)).toBe(4);
    expect(Array.from(bytes.subarray(0, 4))).toEqual([9, 9, 0, 0]);
    expect(() => framer.seal(bytes, 0, 5)).toThrow(expect.objectContaining({ code: ErrorCode.FRAME_TOO_LARGE }));
  });

  it('rejects sizes that are not whole numbers from 1 to 1 GiB', () => {
    for (const bad of [0, -1, 1.5, 2 ** 31, Number.NaN]) {
      const attempt = () => fixedSizeFramer(bad);
      expect(attempt).toThrow(NetError);
      expect(attempt).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT }));
    }
  });
});
