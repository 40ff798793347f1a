import { describe, expect, expectTypeOf, it } from 'vitest';
import { ErrorCode } from '../../errors/error-codes.js';
import { ascii, bytesRest, type InferMessage, i16, struct, structCodec, u16, u32, u53, u8, union } from './index.js';
import { decodeBody, encodeBody, roundTrip, thrown } from './test-support/round-trip.js';

const Packet = union('type', ascii(1), {
  A: struct({ session: ascii(10), seq: u53 }),
  B: struct({ flag: u8 }),
  H: struct({}),
  S: struct({ seq: u32, payload: bytesRest() }),
});
type Packet = InferMessage<typeof Packet>;

const Numbered = union('kind', u8, {
  1: struct({ a: u16 }),
  2: struct({ b: u32, c: u16 }),
  255: struct({}),
});

describe('union', () => {
  it('round-trips every variant and puts the tag byte first', () => {
    const codec = structCodec(Packet);
    const messages: Packet[] = [
      { type: 'A', session: 'SESSION01', seq: 12 },
      { type: 'B', flag: 7 },
      { type: 'H' },
      { type: 'S', seq: 9, payload: Uint8Array.of(1, 2, 3) },
      { type: 'S', seq: 9, payload: new Uint8Array(0) },
    ];
    for (const message of messages) expect(roundTrip(codec, message)).toEqual(message);
    expect(encodeBody(codec, { type: 'B', flag: 7 })).toEqual([0x42, 7]);
    expect(encodeBody(codec, { type: 'H' })).toEqual([0x48]);
    expect(Packet.size).toBe(1);
    expect(Packet.variable).toBe(true);
  });

  it('supports numeric u8 tags, including 0 and 255', () => {
    const codec = structCodec(Numbered);
    for (const message of [{ kind: 1, a: 5 }, { kind: 2, b: 6, c: 7 }, { kind: 255 }] as const) {
      expect(roundTrip(codec, message)).toEqual(message);
    }
    expect(encodeBody(codec, { kind: 2, b: 1, c: 2 })).toEqual([2, 0, 0, 0, 1, 0, 2]);
    const zero = structCodec(union('t', u8, { 0: struct({}) }));
    expect(roundTrip(zero, { t: 0 })).toEqual({ t: 0 });
  });

  it('narrows on the tag in TypeScript', () => {
    const message = roundTrip(structCodec(Packet), { type: 'A', session: 'S', seq: 1 });
    if (message.type === 'S') {
      expectTypeOf(message.payload).toEqualTypeOf<Uint8Array>();
      // @ts-expect-error -- no session on S
      void message.session;
    } else if (message.type === 'A') {
      expectTypeOf(message.session).toEqualTypeOf<string>();
      expect(message.session).toBe('S');
    }
    type Kinds = InferMessage<typeof Numbered>['kind'];
    expectTypeOf<Kinds>().toEqualTypeOf<1 | 2 | 255>();
    expectTypeOf<Packet['type']>().toEqualTypeOf<'A' | 'B' | 'H' | 'S'>();
  });

  it('refuses an unknown tag with NET_ERR_DECODE, naming it', () => {
    const error = thrown(() => decodeBody(structCodec(Packet), [0x5a, 1, 2]));
    expect(error.code).toBe(ErrorCode.DECODE);
    expect(error.message).toContain("unknown field 'type' tag 0x5a ('Z') at byte 0");
    expect(thrown(() => decodeBody(structCodec(Numbered), [3])).code).toBe(ErrorCode.DECODE);
  });

  it('refuses an unknown, missing or mistyped tag with NET_ERR_ENCODE, listing the tags', () => {
    const codec = structCodec(Packet);
    for (const message of [{ type: 'Z' }, {}, { type: 65 }, { type: 'AB' }]) {
      const error = thrown(() => encodeBody(codec, message as never));
      expect(error.code).toBe(ErrorCode.ENCODE);
      expect(error.message).toContain('one of "A", "B", "H", "S"');
    }
    expect(thrown(() => encodeBody(structCodec(Numbered), { kind: '1' } as never)).code).toBe(ErrorCode.ENCODE);
  });

  it('checks the body length per variant: short and long bodies are NET_ERR_DECODE', () => {
    const codec = structCodec(Packet);
    const a = encodeBody(codec, { type: 'A', session: 'X', seq: 1 });
    expect(a.length).toBe(19);
    for (const body of [[], a.slice(0, 1), a.slice(0, 18), [...a, 0], [0x48, 0], [0x53, 0, 0, 0]]) {
      const error = thrown(() => decodeBody(codec, body));
      expect(error.code).toBe(ErrorCode.DECODE);
    }
    expect(thrown(() => decodeBody(codec, a.slice(0, 18))).message).toContain(
      'does not fit variant type "A", which needs 19 bytes',
    );
    expect(thrown(() => decodeBody(codec, [])).message).toContain('the type tag, which needs at least 1 bytes');
  });

  it('accepts longer bodies with allowTrailingBytes, ignoring the extra bytes', () => {
    const codec = structCodec(Packet, { allowTrailingBytes: true });
    expect(decodeBody(codec, [0x42, 7, 0, 0, 0])).toEqual({ type: 'B', flag: 7 });
    expect(thrown(() => decodeBody(codec, [0x41, 0])).code).toBe(ErrorCode.DECODE);
  });

  it('nests: a variable union as the last field, a union inside a union variant', () => {
    const Inner = union('op', u8, { 1: struct({ x: u16 }), 2: struct({ data: bytesRest() }) });
    const Outer = struct({
      seq: u32,
      body: union('type', ascii(1), { N: struct({ id: u16, inner: Inner }), E: struct({}) }),
    });
    const codec = structCodec(Outer);
    const messages: InferMessage<typeof Outer>[] = [
      { seq: 1, body: { type: 'N', id: 2, inner: { op: 1, x: 3 } } },
      { seq: 1, body: { type: 'N', id: 2, inner: { op: 2, data: Uint8Array.of(4, 5) } } },
      { seq: 1, body: { type: 'E' } },
    ];
    for (const message of messages) expect(roundTrip(codec, message)).toEqual(message);
    expect(encodeBody(codec, messages[0])).toEqual([0, 0, 0, 1, 0x4e, 0, 2, 1, 0, 3]);
    const truncated = thrown(() => decodeBody(codec, [0, 0, 0, 1, 0x4e, 0, 2]));
    expect(truncated.code).toBe(ErrorCode.DECODE);
    expect(truncated.message).toContain('body.inner.op tag');
    expect(
      thrown(() => encodeBody(codec, { seq: 1, body: { type: 'N', id: 2, inner: null } } as never)).message,
    ).toContain("field 'body.inner': expected an object, got null");
  });

  it('lays out a union whose variants have equal sizes in place, anywhere in a struct', () => {
    const Fixed = union('t', u8, { 1: struct({ x: u16 }), 2: struct({ y: i16 }) });
    expect(Fixed.variable).toBe(false);
    expect(Fixed.size).toBe(3);
    const codec = structCodec(struct({ head: u8, body: Fixed, tail: u8 }));
    for (const body of [
      { t: 1, x: 65535 },
      { t: 2, y: -1 },
    ] as const) {
      expect(roundTrip(codec, { head: 1, body, tail: 2 })).toEqual({ head: 1, body, tail: 2 });
    }
    expect(encodeBody(codec, { head: 1, body: { t: 2, y: -2 }, tail: 3 })).toEqual([1, 2, 0xff, 0xfe, 3]);
    expect(thrown(() => decodeBody(codec, [1, 3, 0, 0, 3])).code).toBe(ErrorCode.DECODE);
    expect(thrown(() => encodeBody(codec, { head: 1, body: { t: 3 }, tail: 3 } as never)).code).toBe(ErrorCode.ENCODE);
    const root = structCodec(Fixed);
    expect(roundTrip(root, { t: 2, y: 5 })).toEqual({ t: 2, y: 5 });
    expect(thrown(() => decodeBody(root, [2, 0])).code).toBe(ErrorCode.DECODE);
  });

  it('lets a union set the byte order of its variants', () => {
    const codec = structCodec(union('t', u8, { 1: struct({ x: u16 }) }, { byteOrder: 'little' }));
    expect(encodeBody(codec, { t: 1, x: 0x0102 })).toEqual([1, 2, 1]);
  });
});
