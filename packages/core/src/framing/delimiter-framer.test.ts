import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../index.js';
import { byteByByte, collectFrames, everySingleCut } from '../test-support/feed.js';
import { delimiterFramer } from './delimiter-framer.js';
import { NEED_MORE } from './framer.js';

const text = (s: string) => new TextEncoder().encode(s);
const decode = (frames: Uint8Array[]) => frames.map((f) => new TextDecoder().decode(f));

describe('DelimiterFramer', () => {
  it('cuts newline-delimited frames and strips the delimiter', () => {
    const framer = delimiterFramer();
    for (const mode of ['push', 'direct'] as const) {
      expect(decode(collectFrames(framer, text('a\nbb\n\nccc\n'), [], mode))).toEqual(['a', 'bb', '', 'ccc']);
    }
  });

  it('handles a two-byte delimiter split at every offset and byte by byte', () => {
    const framer = delimiterFramer({ delimiter: '\r\n' });
    const stream = text('one\r\ntw\ro\r\n\r\nfour\r\n');
    const expected = ['one', 'tw\ro', '', 'four'];
    for (const mode of ['push', 'direct'] as const) {
      for (const cuts of [...everySingleCut(stream.length), byteByByte(stream.length)]) {
        expect(decode(collectFrames(framer, stream, cuts, mode))).toEqual(expected);
      }
    }
  });

  it('does not rescan bytes it has already scanned', () => {
    const framer = delimiterFramer({ delimiter: 'XY' });
    const bytes = text('aaaaaaaaXY');
    let reads = 0;
    const counting = new Proxy(bytes, {
      get(target, key) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
        const value = Reflect.get(target, key, target) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    for (let end = 1; end < bytes.length; end++) {
      expect(framer.frameLength(counting, 0, end)).toBe(NEED_MORE);
    }
    expect(framer.frameLength(counting, 0, bytes.length)).toBe(10);
    // One look per byte plus one to confirm the second delimiter byte; a rescanning framer needs ~n²/2.
    expect(reads).toBeLessThanOrEqual(bytes.length + 2);
  });

  it('fails with FRAME_TOO_LARGE as soon as maxFrameLength bytes hold no delimiter', () => {
    const framer = delimiterFramer({ maxFrameLength: 8 });
    const bytes = text('1234567\n');
    expect(framer.frameLength(bytes, 0, 8)).toBe(8);
    const long = text('12345678\n');
    expect(framer.frameLength(long, 0, 7)).toBe(NEED_MORE);
    expect(() => framer.frameLength(long, 0, 8)).toThrow(expect.objectContaining({ code: ErrorCode.FRAME_TOO_LARGE }));
  });

  it('refuses to encode a body that contains the delimiter, and a frame over the limit', () => {
    const framer = delimiterFramer({ delimiter: '\r\n', maxFrameLength: 10 });
    const buffer = new Uint8Array(16);
    buffer.set(text('ab\r\ncd'));
    expect(() => framer.seal(buffer, 0, 6)).toThrow(expect.objectContaining({ code: ErrorCode.ENCODE }));
    buffer.set(text('ab\rcd'));
    expect(framer.seal(buffer, 0, 5)).toBe(7);
    expect(new TextDecoder().decode(buffer.subarray(0, 7))).toBe('ab\rcd\r\n');
    expect(() => framer.seal(buffer, 0, 9)).toThrow(expect.objectContaining({ code: ErrorCode.FRAME_TOO_LARGE }));
  });

  it('rejects an empty delimiter', () => {
    expect(() => delimiterFramer({ delimiter: '' })).toThrow(
      expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT }),
    );
  });
});

describe('DelimiterFramer.seal bound', () => {
  it('looks for the delimiter in the body only, however much buffer follows it', () => {
    const framer = delimiterFramer();
    // A body of 2,000 bytes deep in a 1 MiB buffer whose bytes after it are all newlines.
    const buffer = new Uint8Array(1 << 20).fill(0x0a);
    buffer.fill(0x61, 5_000, 7_000);
    expect(framer.seal(buffer, 5_000, 2_000)).toBe(2_001);
    buffer.fill(0x61, 10, 100);
    expect(framer.seal(buffer, 10, 90)).toBe(91);
  });
});
