import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fcRuns } from '../../../../../test-support/fc-runs.mjs';
import { ErrorCode } from '../../errors/error-codes.js';
import { ascii, bytes, bytesRest, struct, structCodec, u16, utf8 } from './index.js';
import { unicodeText } from './test-support/arbitraries.js';
import { decodeBody, encodeBody, roundTrip, thrown, utf8Bytes } from './test-support/round-trip.js';

const runs = fcRuns(1_000);
const ALL_ASCII = String.fromCharCode(...Array.from({ length: 128 }, (_, i) => i));

describe('ascii(n)', () => {
  it('pads with spaces by default, with NULs on request, and right-aligns on request', () => {
    const text = (options: Parameters<typeof ascii>[1]) => structCodec(struct({ s: ascii(5, options) }));
    expect(encodeBody(text({}), { s: 'AB' })).toEqual([65, 66, 32, 32, 32]);
    expect(encodeBody(text({ pad: 'nul' }), { s: 'AB' })).toEqual([65, 66, 0, 0, 0]);
    expect(encodeBody(text({ align: 'right' }), { s: 'AB' })).toEqual([32, 32, 32, 65, 66]);
    expect(encodeBody(text({ align: 'right', pad: 'nul' }), { s: 'AB' })).toEqual([0, 0, 0, 65, 66]);
    expect(decodeBody(text({}), [65, 32, 66, 32, 32])).toEqual({ s: 'A B' });
    expect(decodeBody(text({ pad: 'nul' }), [65, 32, 0, 0, 0])).toEqual({ s: 'A ' });
    expect(decodeBody(text({ align: 'right' }), [32, 32, 65, 32, 66])).toEqual({ s: 'A B' });
  });

  it('round-trips empty, full-length and every in-between length, through the unrolled and the native path', () => {
    for (const size of [1, 5, 31, 32, 33, 40, 200]) {
      for (const align of ['left', 'right'] as const) {
        const codec = structCodec(struct({ before: u16, s: ascii(size, { align }), after: u16 }));
        for (let length = 0; length <= Math.min(size, 41); length++) {
          const s = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ'.slice(0, length);
          expect(roundTrip(codec, { before: 1, s, after: 2 })).toEqual({ before: 1, s, after: 2 });
          expect(decodeBody(codec, encodeBody(codec, { before: 1, s, after: 2 }))).toEqual({ before: 1, s, after: 2 });
        }
        const full = 'x'.repeat(size);
        expect(roundTrip(codec, { before: 1, s: full, after: 2 }).s).toBe(full);
      }
    }
  });

  it('carries every ASCII character, control characters included', () => {
    const codec = structCodec(struct({ s: ascii(128) }));
    expect(roundTrip(codec, { s: ALL_ASCII })).toEqual({ s: ALL_ASCII });
    const short = structCodec(struct({ s: ascii(30) }));
    expect(roundTrip(short, { s: ALL_ASCII.slice(0, 30) })).toEqual({ s: ALL_ASCII.slice(0, 30) });
  });

  it('drops padding characters at the padded end: they are not part of the value', () => {
    const codec = structCodec(struct({ s: ascii(6) }));
    expect(roundTrip(codec, { s: 'AB  ' })).toEqual({ s: 'AB' });
  });

  it('refuses a string longer than n and a non-ASCII character with NET_ERR_ENCODE', () => {
    const codec = structCodec(struct({ name: ascii(4) }));
    const long = thrown(() => encodeBody(codec, { name: 'ABCDE' }));
    expect(long.code).toBe(ErrorCode.ENCODE);
    expect(long.message).toContain("field 'name'");
    expect(long.message).toContain('5 characters');
    const accent = thrown(() => encodeBody(codec, { name: 'café' }));
    expect(accent.code).toBe(ErrorCode.ENCODE);
    expect(accent.message).toContain('U+00e9 at index 3');
    const right = structCodec(struct({ name: ascii(4, { align: 'right' }) }));
    expect(thrown(() => encodeBody(right, { name: 'é' })).code).toBe(ErrorCode.ENCODE);
  });

  it('refuses a byte above 0x7f on decode with NET_ERR_DECODE', () => {
    for (const size of [4, 40]) {
      const codec = structCodec(struct({ name: ascii(size) }));
      const body = new Array<number>(size).fill(65);
      body[1] = 0xe9;
      const error = thrown(() => decodeBody(codec, body));
      expect(error.code).toBe(ErrorCode.DECODE);
      expect(error.message).toContain("field 'name' at byte 0");
    }
  });
});

describe('utf8(n)', () => {
  const codec = (size: number, pad?: 'space' | 'nul') =>
    structCodec(struct({ s: utf8(size, pad === undefined ? {} : { pad }) }));

  it('writes UTF-8 padded with NUL by default, or spaces', () => {
    expect(encodeBody(codec(4), { s: 'é' })).toEqual([0xc3, 0xa9, 0, 0]);
    expect(encodeBody(codec(4, 'space'), { s: 'é' })).toEqual([0xc3, 0xa9, 32, 32]);
    expect(roundTrip(codec(4, 'space'), { s: 'é' })).toEqual({ s: 'é' });
  });

  it('round-trips empty, ASCII, 2-, 3- and 4-byte characters, a BOM, and text that fills the field', () => {
    for (const s of ['', 'plain', 'héllo', '日本語', '😀', '\uFEFFbom', 'a'.repeat(40), 'é'.repeat(20)]) {
      expect(roundTrip(codec(40), { s })).toEqual({ s });
    }
    expect(roundTrip(codec(4), { s: '😀' })).toEqual({ s: '😀' });
    expect(roundTrip(codec(5), { s: 'a😀' })).toEqual({ s: 'a😀' });
    expect(roundTrip(codec(3), { s: 'aé' })).toEqual({ s: 'aé' });
    expect(roundTrip(codec(3), { s: '日' })).toEqual({ s: '日' });
  });

  it('refuses text whose UTF-8 form is longer than n, also when the boundary splits a character', () => {
    for (const [size, s] of [
      [4, 'a😀'],
      [3, 'abé'],
      [2, '日'],
      [3, 'abcd'],
      [1, 'é'],
    ] as const) {
      const error = thrown(() => encodeBody(codec(size), { s }));
      expect(error.code).toBe(ErrorCode.ENCODE);
      expect(error.message).toContain(`${new TextEncoder().encode(s).length} UTF-8 bytes`);
    }
  });

  it('refuses unpaired surrogates on encode', () => {
    for (const s of ['\uD800', 'a\uD800', '\uDC00a', '\uD800\uD800']) {
      const error = thrown(() => encodeBody(codec(8), { s }));
      expect(error.code).toBe(ErrorCode.ENCODE);
      expect(error.message).toContain('unpaired surrogate');
    }
  });

  it('refuses bytes that are not UTF-8 on decode', () => {
    for (const body of [
      [0xc3, 0x28, 0, 0],
      [0xff, 0, 0, 0],
      [0xc0, 0x80, 0, 0],
      [0xed, 0xa0, 0x80, 0],
      [0xe6, 0x97, 0, 0],
    ]) {
      expect(thrown(() => decodeBody(codec(4), body)).code).toBe(ErrorCode.DECODE);
    }
  });

  it('writes exactly what TextEncoder writes, for any well-formed text', () => {
    const c = codec(64, 'nul');
    fc.assert(
      fc.property(unicodeText(16), (s) => {
        const expected = utf8Bytes(s);
        const body = encodeBody(c, { s });
        expect(body.slice(0, expected.length)).toEqual(expected);
        expect(body.slice(expected.length).every((byte) => byte === 0)).toBe(true);
        if (!s.endsWith('\0')) expect(decodeBody(c, body)).toEqual({ s });
      }),
      { numRuns: runs },
    );
  });
});

describe('bytes(n) and bytesRest()', () => {
  it('round-trips fixed byte arrays of every size class, as plain Uint8Array copies', () => {
    for (const size of [1, 16, 32, 33, 100]) {
      const codec = structCodec(struct({ id: u16, data: bytes(size) }));
      for (const fill of [0, 0xff, -1]) {
        const data = fill === -1 ? Uint8Array.from({ length: size }, (_, i) => i * 7) : new Uint8Array(size).fill(fill);
        const back = roundTrip(codec, { id: 3, data });
        expect(back).toEqual({ id: 3, data });
        expect(back.data.constructor).toBe(Uint8Array);
      }
      expect(roundTrip(codec, { id: 1, data: Buffer.alloc(size, 9) }).data).toEqual(new Uint8Array(size).fill(9));
    }
  });

  it('copies on decode: the message does not change when the frame bytes do', () => {
    const codec = structCodec(struct({ data: bytes(40), rest: bytesRest() }));
    const body = Array.from({ length: 50 }, (_, i) => i);
    const bytesIn = new Uint8Array(body);
    const decoded = codec.decode({ bytes: bytesIn, view: new DataView(bytesIn.buffer), offset: 0, length: 50 });
    bytesIn.fill(0);
    expect(Array.from(decoded.data)).toEqual(body.slice(0, 40));
    expect(Array.from(decoded.rest)).toEqual(body.slice(40));
  });

  it('refuses a byte array of the wrong length or type', () => {
    const codec = structCodec(struct({ data: bytes(4) }));
    for (const data of [new Uint8Array(3), new Uint8Array(5), [1, 2, 3, 4], 'abcd', new Uint16Array(4), undefined]) {
      const error = thrown(() => encodeBody(codec, { data } as never));
      expect(error.code).toBe(ErrorCode.ENCODE);
      expect(error.message).toContain('exactly 4 bytes');
    }
  });

  it('bytesRest takes the rest of the frame, empty included, and must be a Uint8Array', () => {
    const codec = structCodec(struct({ kind: u16, payload: bytesRest() }));
    for (const length of [0, 1, 32, 33, 1000]) {
      const payload = Uint8Array.from({ length }, (_, i) => i & 0xff);
      expect(roundTrip(codec, { kind: 7, payload })).toEqual({ kind: 7, payload });
    }
    expect(encodeBody(codec, { kind: 1, payload: Uint8Array.of(9, 8) })).toEqual([0, 1, 9, 8]);
    expect(decodeBody(codec, [0, 1])).toEqual({ kind: 1, payload: new Uint8Array(0) });
    expect(thrown(() => decodeBody(codec, [0])).code).toBe(ErrorCode.DECODE);
    expect(thrown(() => encodeBody(codec, { kind: 1, payload: [1] } as never)).code).toBe(ErrorCode.ENCODE);
  });

  it('refuses a rest payload the u16 length prefix cannot announce', () => {
    const codec = structCodec(struct({ kind: u16, payload: bytesRest() }));
    expect(thrown(() => roundTrip(codec, { kind: 1, payload: new Uint8Array(0xffff - 1) })).code).toBe(
      ErrorCode.FRAME_TOO_LARGE,
    );
    expect(roundTrip(codec, { kind: 1, payload: new Uint8Array(0xffff - 2) }).payload.length).toBe(0xffff - 2);
  });
});
