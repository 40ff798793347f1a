import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../errors/error-codes.js';
import { bool, f32, f64, i16, i32, i53, i64, i8, struct, structCodec, u16, u32, u53, u64, u8 } from './index.js';
import type { Field } from './index.js';
import { decodeBody, encodeBody, roundTrip, thrown } from './test-support/round-trip.js';

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** [field, values that must round-trip, the big-endian bytes of the first value]. */
const cases: [string, Field, unknown[], number[]][] = [
  ['u8', u8, [0xab, 0, 255, 1], [0xab]],
  ['u16', u16, [0x1234, 0, 0xffff], [0x12, 0x34]],
  ['u32', u32, [0x12345678, 0, 0xffffffff], [0x12, 0x34, 0x56, 0x78]],
  ['u64', u64, [0x0102030405060708n, 0n, 2n ** 64n - 1n], [1, 2, 3, 4, 5, 6, 7, 8]],
  ['i8', i8, [-2, 0, -128, 127], [0xfe]],
  ['i16', i16, [-2, 0, -32768, 32767], [0xff, 0xfe]],
  ['i32', i32, [-2, 0, -(2 ** 31), 2 ** 31 - 1], [0xff, 0xff, 0xff, 0xfe]],
  ['i64', i64, [-2n, 0n, -(2n ** 63n), 2n ** 63n - 1n], [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe]],
  ['u53', u53, [0x01020304050607, 0, MAX_SAFE, 2 ** 32, 2 ** 32 - 1], [0, 1, 2, 3, 4, 5, 6, 7]],
  ['i53', i53, [-2, 0, MAX_SAFE, -MAX_SAFE, -(2 ** 32), 2 ** 32], [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe]],
  [
    'f32',
    f32,
    [1.5, 0, -0, Number.NaN, Infinity, -Infinity, Math.fround(0.1), 3.4028234663852886e38, Math.fround(1e-45)],
    [0x3f, 0xc0, 0, 0],
  ],
  [
    'f64',
    f64,
    [1.5, 0, -0, Number.NaN, Infinity, -Infinity, 0.1, Number.MAX_VALUE, Number.MIN_VALUE],
    [0x3f, 0xf8, 0, 0, 0, 0, 0, 0],
  ],
  ['bool', bool, [true, false], [1]],
];

describe('number fields', () => {
  for (const [name, field, values, bytes] of cases) {
    it(`${name} round-trips 0, its extremes and more, and writes network order`, () => {
      const codec = structCodec(struct({ value: field }));
      for (const value of values) {
        expect(roundTrip(codec, { value })).toEqual({ value });
        expect(decodeBody(codec, encodeBody(codec, { value }))).toEqual({ value });
      }
      expect(encodeBody(codec, { value: values[0] })).toEqual(bytes);
      expect(field.size).toBe(bytes.length);
    });

    it(`${name} writes little-endian when the codec says so`, () => {
      const codec = structCodec(struct({ value: field }), { byteOrder: 'little' });
      expect(encodeBody(codec, { value: values[0] })).toEqual([...bytes].reverse());
      for (const value of values) expect(roundTrip(codec, { value })).toEqual({ value });
    });
  }

  it('f32 rounds a number to the nearest float32', () => {
    const codec = structCodec(struct({ value: f32 }));
    expect(roundTrip(codec, { value: 0.1 })).toEqual({ value: Math.fround(0.1) });
  });

  it('decodes any non-zero bool byte as true', () => {
    const codec = structCodec(struct({ flag: bool }));
    expect(decodeBody(codec, [0xff])).toEqual({ flag: true });
    expect(decodeBody(codec, [0])).toEqual({ flag: false });
  });

  it('lets a struct choose its byte order, inherited by what it nests, overridable inside', () => {
    const inner = struct({ a: u16, b: struct({ c: u16 }, { byteOrder: 'big' }) });
    const layout = struct({ x: u32, le: struct({ y: u32, inner }, { byteOrder: 'little' }) });
    const codec = structCodec(layout);
    const message = { x: 1, le: { y: 2, inner: { a: 3, b: { c: 4 } } } };
    expect(encodeBody(codec, message)).toEqual([0, 0, 0, 1, 2, 0, 0, 0, 3, 0, 0, 4]);
    expect(roundTrip(codec, message)).toEqual(message);
  });

  it('refuses u53/i53 values outside the safe range on decode, with NET_ERR_DECODE', () => {
    const unsigned = structCodec(struct({ n: u53 }));
    expect(decodeBody(unsigned, [0, 0x1f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])).toEqual({ n: MAX_SAFE });
    expect(thrown(() => decodeBody(unsigned, [0, 0x20, 0, 0, 0, 0, 0, 0])).code).toBe(ErrorCode.DECODE);
    expect(thrown(() => decodeBody(unsigned, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])).code).toBe(
      ErrorCode.DECODE,
    );
    const signed = structCodec(struct({ n: i53 }));
    expect(decodeBody(signed, [0xff, 0xe0, 0, 0, 0, 0, 0, 1])).toEqual({ n: -MAX_SAFE });
    expect(thrown(() => decodeBody(signed, [0xff, 0xe0, 0, 0, 0, 0, 0, 0])).code).toBe(ErrorCode.DECODE);
    expect(thrown(() => decodeBody(signed, [0x00, 0x20, 0, 0, 0, 0, 0, 0])).code).toBe(ErrorCode.DECODE);
    const little = structCodec(struct({ n: u53 }), { byteOrder: 'little' });
    expect(decodeBody(little, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x1f, 0])).toEqual({ n: MAX_SAFE });
    expect(thrown(() => decodeBody(little, [0, 0, 0, 0, 0, 0, 0x20, 0])).code).toBe(ErrorCode.DECODE);
  });

  it('packs fields back to back with no alignment padding', () => {
    const codec = structCodec(struct({ a: u8, b: u32, c: u8, d: u16 }));
    expect(encodeBody(codec, { a: 1, b: 2, c: 3, d: 4 })).toEqual([1, 0, 0, 0, 2, 3, 0, 4]);
  });
});
