import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../errors/error-codes.js';
import { fixedSizeFramer } from '../../framing/fixed-size-framer.js';
import { lengthFieldFramer } from '../../framing/length-field-framer.js';
import {
  ascii,
  bool,
  bytes,
  bytesRest,
  f64,
  i16,
  struct,
  structCodec,
  u16,
  u32,
  u64,
  u8,
  union,
  utf8,
  type Field,
} from './index.js';
import { roundTrip, thrown } from './test-support/round-trip.js';

function invalid(fn: () => unknown, text?: string): void {
  const error = thrown(fn);
  expect(error.code).toBe(ErrorCode.INVALID_ARGUMENT);
  if (text !== undefined) expect(error.message).toContain(text);
}

describe('layout validation', () => {
  it('refuses text and byte lengths that are not whole numbers from 1 to 1 GiB', () => {
    for (const length of [0, -1, 1.5, Number.NaN, 2 ** 31]) {
      invalid(() => ascii(length), 'ascii(n)');
      invalid(() => utf8(length), 'utf8(n)');
      invalid(() => bytes(length), 'bytes(n)');
    }
  });

  it('refuses unknown text options', () => {
    invalid(() => ascii(3, { pad: 'zero' as 'nul' }), 'pad');
    invalid(() => ascii(3, { align: 'center' as 'left' }), 'align');
    invalid(() => utf8(3, { pad: 'x' as 'nul' }), 'pad');
  });

  it('refuses struct fields that are not field types', () => {
    invalid(() => struct({ a: 5 as unknown as Field }), "field 'a' is not a field type");
    invalid(() => struct({ a: { kind: 'u8', size: 1, variable: false } }), "field 'a'");
    invalid(() => struct(null as never), 'struct() takes an object');
    invalid(() => struct([u8] as never), 'struct() takes an object');
  });

  it('refuses empty, __proto__ and index-like field names', () => {
    invalid(() => struct({ '': u8 }), 'must not be empty');
    invalid(() => struct({ ['__proto__']: u8 }), '__proto__');
    invalid(() => struct({ a: u8, 1: u8 }), "'1' looks like an array index");
  });

  it('accepts names that are not identifiers, and keeps them exact', () => {
    const codec = structCodec(struct({ 'a-b': u8, 'with space': u16, $x: bool, class: u8, 'quo"te': u8, '1a': u8 }));
    const message = { 'a-b': 1, 'with space': 2, $x: true, class: 3, 'quo"te': 4, '1a': 5 };
    expect(roundTrip(codec, message)).toEqual(message);
  });

  it('allows a variable-size field only at the end', () => {
    invalid(() => struct({ rest: bytesRest(), a: u8 }), "field 'rest' has a variable size");
    const Variable = union('t', u8, { 1: struct({ a: u8 }), 2: struct({}) });
    invalid(() => struct({ u: Variable, a: u8 }), "field 'u' has a variable size");
    invalid(() => struct({ s: struct({ rest: bytesRest() }), a: u8 }), "field 's' has a variable size");
    expect(struct({ a: u8, u: Variable }).variable).toBe(true);
    expect(struct({ a: u8, s: struct({ rest: bytesRest() }) }).size).toBe(1);
  });

  it('refuses bad union declarations', () => {
    const A = struct({ a: u8 });
    invalid(() => union('t', u16 as never, { 1: A }), 'tag type must be u8 or ascii(1)');
    invalid(() => union('t', ascii(2) as never, { A }), 'tag type must be u8 or ascii(1)');
    invalid(() => union('t', utf8(1) as never, { A }), 'tag type must be u8 or ascii(1)');
    invalid(() => union('t', ascii(1), { AB: A }), "'AB' is not a single ASCII character");
    invalid(() => union('t', ascii(1), { é: A }), "'é' is not a single ASCII character");
    for (const tag of ['256', '01', '-1', 'x', '1.5'])
      invalid(() => union('t', u8, { [tag]: A }), `'${tag}' is not a whole number`);
    invalid(() => union('t', u8, { 1: u8 as never }), "variant '1' is not a struct");
    invalid(() => union('t', u8, {}), 'has no variants');
    invalid(() => union('a', u8, { 1: A }), 'has a field named like the tag');
    invalid(() => union('__proto__', u8, { 1: A }), '__proto__');
    invalid(() => union('', u8, { 1: A }), 'must not be empty');
  });

  it('refuses a byte order other than big or little', () => {
    invalid(() => struct({}, { byteOrder: 'middle' as 'big' }), 'byteOrder');
    invalid(() => union('t', u8, { 1: struct({}) }, { byteOrder: 'middle' as 'big' }), 'byteOrder');
    invalid(() => structCodec(struct({}), { byteOrder: 'middle' as 'big' }), 'byteOrder');
  });

  it('takes only structs and unions as message layouts', () => {
    invalid(() => structCodec(u8 as never), 'must be a struct');
    invalid(() => structCodec({ send: struct({}) } as never), 'takes a layout, or { send, recv }');
    invalid(() => structCodec({ send: u8, recv: struct({}) } as never), 'the send layout');
    invalid(() => structCodec(null as never));
  });

  it('refuses a layout whose largest message the framer cannot carry', () => {
    invalid(
      () => structCodec(struct({ big: bytes(70_000) })),
      'the largest send message takes 70000 bytes, more than the 65535',
    );
    invalid(() => structCodec(struct({ a: u64 }), { framer: fixedSizeFramer(4) }), 'more than the 4');
    const Big = union('t', u8, { 1: struct({}), 2: struct({ big: bytes(65_535) }) });
    invalid(() => structCodec(Big), '65536 bytes');
    const wide = structCodec(struct({ big: bytes(70_000) }), { framer: lengthFieldFramer({ lengthFieldLength: 4 }) });
    expect(roundTrip(wide, { big: new Uint8Array(70_000).fill(3) }).big[69_999]).toBe(3);
  });

  it('works with a fixed-size framer, zero-padded variants needing allowTrailingBytes', () => {
    const codec = structCodec(struct({ a: u32, b: i16 }), { framer: fixedSizeFramer(6) });
    expect(roundTrip(codec, { a: 1, b: -1 })).toEqual({ a: 1, b: -1 });
    const Packet = union('t', u8, { 1: struct({ x: f64 }), 2: struct({}) });
    const padded = structCodec(Packet, { framer: fixedSizeFramer(9), allowTrailingBytes: true });
    expect(roundTrip(padded, { t: 2 })).toEqual({ t: 2 });
    expect(roundTrip(padded, { t: 1, x: 0.5 })).toEqual({ t: 1, x: 0.5 });
  });

  it('describes sizes and freezes descriptors', () => {
    const Inner = struct({ a: u8, b: u32 });
    const Outer = struct({ inner: Inner, c: ascii(3), d: bytes(4) });
    expect([Inner.size, Outer.size, Outer.variable]).toEqual([5, 12, false]);
    expect(Outer.entries.map(([name]) => name)).toEqual(['inner', 'c', 'd']);
    for (const field of [u8, Inner, Outer, ascii(3), union('t', u8, { 1: Inner })])
      expect(Object.isFrozen(field)).toBe(true);
  });
});
