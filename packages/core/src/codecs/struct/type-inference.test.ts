import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Codec } from '../codec.js';
import { MessageWriter } from '../message-writer.js';
import {
  ascii,
  bool,
  bytes,
  bytesRest,
  f32,
  f64,
  i16,
  i32,
  i53,
  i64,
  i8,
  type InferMessage,
  type MessageLayout,
  struct,
  type StructCodec,
  structCodec,
  type StructLayout,
  u16,
  u32,
  u53,
  u64,
  u8,
  union,
  type UnionLayout,
  utf8,
} from './index.js';

const Everything = struct({
  a: u8,
  b: u16,
  c: u32,
  d: u64,
  e: i8,
  f: i16,
  g: i32,
  h: i64,
  i: u53,
  j: i53,
  k: f32,
  l: f64,
  m: bool,
  n: ascii(3),
  o: utf8(3),
  p: bytes(2),
  q: struct({ r: u8 }),
  s: bytesRest(),
});

describe('type inference', () => {
  it('infers a plain object type from a struct', () => {
    expectTypeOf<InferMessage<typeof Everything>>().toEqualTypeOf<{
      a: number;
      b: number;
      c: number;
      d: bigint;
      e: number;
      f: number;
      g: number;
      h: bigint;
      i: number;
      j: number;
      k: number;
      l: number;
      m: boolean;
      n: string;
      o: string;
      p: Uint8Array;
      q: { r: number };
      s: Uint8Array;
    }>();
  });

  it('infers a discriminated union, with numeric or string tags', () => {
    const Chars = union('type', ascii(1), { A: struct({ x: u8 }), H: struct({}) });
    expectTypeOf<InferMessage<typeof Chars>>().toEqualTypeOf<{ type: 'A'; x: number } | { type: 'H' }>();
    const Numbers = union('op', u8, { 1: struct({ x: u8 }), 2: struct({}) });
    expectTypeOf<InferMessage<typeof Numbers>>().toEqualTypeOf<{ op: 1; x: number } | { op: 2 }>();
    const Nested = struct({ seq: u32, body: Chars });
    expectTypeOf<InferMessage<typeof Nested>['body']>().toEqualTypeOf<InferMessage<typeof Chars>>();
  });

  it('types codecs by direction', () => {
    const Request = struct({ id: u32 });
    const Reply = struct({ id: u32, ok: bool });
    const client = structCodec({ send: Request, recv: Reply });
    expectTypeOf(client).toEqualTypeOf<StructCodec<{ id: number }, { id: number; ok: boolean }>>();
    expectTypeOf(client.reverse()).toEqualTypeOf<StructCodec<{ id: number; ok: boolean }, { id: number }>>();
    expectTypeOf(structCodec(Request)).toExtend<Codec<{ id: number }, { id: number }>>();
    const writer = new MessageWriter(client);
    // @ts-expect-error -- a Reply is not what the client sends
    expect(() => writer.write({ id: 1, ok: true, extra: 1 })).not.toThrow();
    // @ts-expect-error -- id must be a number
    expect(() => writer.write({ id: '1' })).toThrow();
    writer.release();
  });

  it('accepts every concrete layout where the general layout types are expected', () => {
    const Chars = union('type', ascii(1), { A: struct({ x: u8 }) });
    expectTypeOf(Chars).toExtend<UnionLayout>();
    expectTypeOf(Chars).toExtend<MessageLayout>();
    expectTypeOf(Everything).toExtend<StructLayout>();
    expectTypeOf(Everything).toExtend<MessageLayout>();
  });

  it('refuses tag types other than u8 and ascii at compile time (and at run time)', () => {
    // @ts-expect-error -- u16 is not a tag type
    expect(() => union('t', u16, { 1: struct({}) })).toThrow(/tag type/);
  });
});
