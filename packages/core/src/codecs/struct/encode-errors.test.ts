import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../errors/error-codes.js';
import { NetError } from '../../errors/net-error.js';
import { MessageWriter } from '../message-writer.js';
import {
  ascii,
  bool,
  bytes,
  f32,
  f64,
  i16,
  i32,
  i53,
  i64,
  i8,
  struct,
  structCodec,
  u16,
  u32,
  u53,
  u64,
  u8,
  utf8,
} from './index.js';
import { decodeStream, encodeStream } from './test-support/round-trip.js';

const Order = struct({
  id: u64,
  header: struct({ seq: u53, flags: u8 }),
  symbol: ascii(8),
  price: struct({ mantissa: i64, exponent: i8 }),
  qty: u32,
});
const codec = structCodec(Order);
const good = { id: 1n, header: { seq: 2, flags: 3 }, symbol: 'AAPL', price: { mantissa: -5n, exponent: -2 }, qty: 100 };

/** [description, message, field path the error must name, text it must contain]. */
const bad: [string, unknown, string, string][] = [
  ['u8 above 255', { ...good, header: { seq: 2, flags: 256 } }, 'header.flags', 'got 256'],
  ['u8 fraction', { ...good, header: { seq: 2, flags: 1.5 } }, 'header.flags', 'from 0 to 255'],
  ['u8 NaN', { ...good, header: { seq: 2, flags: Number.NaN } }, 'header.flags', 'got NaN'],
  ['u8 as string', { ...good, header: { seq: 2, flags: '3' } }, 'header.flags', 'got "3"'],
  ['u8 as bigint', { ...good, header: { seq: 2, flags: 3n } }, 'header.flags', 'got 3n'],
  ['missing u32', { ...good, qty: undefined }, 'qty', 'got undefined (missing)'],
  ['negative u32', { ...good, qty: -1 }, 'qty', 'got -1'],
  ['u32 above 2^32', { ...good, qty: 2 ** 32 }, 'qty', 'got 4294967296'],
  ['u53 above 2^53', { ...good, header: { seq: 2 ** 53, flags: 3 } }, 'header.seq', 'from 0 to 9007199254740991'],
  ['negative u53', { ...good, header: { seq: -1, flags: 3 } }, 'header.seq', 'got -1'],
  ['u64 as number', { ...good, id: 1 }, 'id', 'a bigint from 0 to 18446744073709551615'],
  ['u64 above 2^64', { ...good, id: 2n ** 64n }, 'id', 'got 18446744073709551616n'],
  ['negative u64', { ...good, id: -1n }, 'id', 'got -1n'],
  [
    'i64 above 2^63',
    { ...good, price: { mantissa: 2n ** 63n, exponent: 0 } },
    'price.mantissa',
    'from -9223372036854775808',
  ],
  ['i8 below -128', { ...good, price: { mantissa: 0n, exponent: -129 } }, 'price.exponent', 'got -129'],
  ['nested struct missing', { ...good, price: undefined }, 'price', 'expected an object, got undefined (missing)'],
  ['nested struct null', { ...good, header: null }, 'header', 'expected an object, got null'],
  ['ascii too long', { ...good, symbol: 'ABCDEFGHI' }, 'symbol', 'got 9 characters'],
  ['ascii not ASCII', { ...good, symbol: 'ÄPL' }, 'symbol', 'non-ASCII character U+00c4 at index 0'],
  ['ascii as number', { ...good, symbol: 5 }, 'symbol', 'expected ascii(8)'],
];

describe('encode errors', () => {
  for (const [description, message, path, text] of bad) {
    it(`${description}: NET_ERR_ENCODE naming '${path}', writer unchanged`, () => {
      const writer = new MessageWriter(codec);
      writer.write(good);
      const before = Array.from(writer.out.bytes.subarray(0, writer.buffered));
      let error: unknown;
      try {
        writer.write(message as typeof good);
      } catch (caught) {
        error = caught;
      }
      expect(NetError.hasCode(error, ErrorCode.ENCODE)).toBe(true);
      expect((error as Error).message).toContain(`field '${path}'`);
      expect((error as Error).message).toContain(text);
      expect((error as NetError).details).toMatchObject({ field: path });
      expect(Array.from(writer.out.bytes.subarray(0, writer.buffered))).toEqual(before);
      writer.write(good);
      const stream = writer.out.bytes.subarray(0, writer.buffered);
      expect(decodeStream(codec, stream)).toEqual([good, good]);
      writer.release();
    });
  }

  it('refuses a message that is not an object', () => {
    const writer = new MessageWriter(codec);
    for (const message of [null, undefined, 5, 'text']) {
      expect(() => writer.write(message as never)).toThrow(/cannot encode message: expected an object/);
    }
    expect(writer.buffered).toBe(0);
  });

  it('checks every scalar kind for its type', () => {
    const kinds = {
      u8,
      u16,
      u32,
      u64,
      i8,
      i16,
      i32,
      i64,
      u53,
      i53,
      f32,
      f64,
      bool,
      ascii: ascii(2),
      utf8: utf8(2),
      bytes: bytes(2),
    };
    for (const [name, field] of Object.entries(kinds)) {
      const one = structCodec(struct({ value: field }));
      const writer = new MessageWriter(one);
      for (const value of [undefined, null, {}, [], Symbol('x'), () => 0]) {
        expect(() => writer.write({ value } as never), `${name} ${String(value)}`).toThrow(NetError);
      }
      expect(writer.buffered).toBe(0);
    }
  });

  it('ignores properties the layout does not declare', () => {
    const one = structCodec(struct({ a: u8 }));
    expect(decodeStream(one, encodeStream(one, [{ a: 1, extra: 'x' } as never]))).toEqual([{ a: 1 }]);
  });
});
