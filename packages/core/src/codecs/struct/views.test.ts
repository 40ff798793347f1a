import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { ErrorCode } from '../../errors/error-codes.js';
import type { Codec } from '../codec.js';
import { MessageReader } from '../message-reader.js';
import { owningCodec } from '../owning-codec.js';
import {
  ascii,
  bytes,
  bytesRest,
  i64,
  type InferMessage,
  type MessageView,
  struct,
  structCodec,
  structViewCodec,
  u16,
  u32,
  u53,
  u8,
  union,
  utf8,
} from './index.js';
import { layoutArbitrary, messageArbitrary } from './test-support/arbitraries.js';
import { decodeBody, encodeBody, encodeStream, thrown } from './test-support/round-trip.js';

const Order = struct({
  id: u53,
  symbol: ascii(8),
  price: i64,
  leg: struct({ qty: u32, venue: utf8(6) }),
  raw: bytes(3),
});
type Order = InferMessage<typeof Order>;

const Packet = union('type', ascii(1), {
  A: struct({ session: ascii(4), seq: u53 }),
  P: struct({ pick: union('kind', u8, { 1: struct({ x: u16 }), 2: struct({ y: u16 }) }) }),
  S: struct({ seq: u32, payload: bytesRest() }),
});

/** Reads every field of a view, recursively, into a plain value shaped as `expected`. */
function readAll(view: unknown, expected: unknown): unknown {
  if (expected === null || typeof expected !== 'object' || expected instanceof Uint8Array) return view;
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(expected)) {
    out[name] = readAll((view as Record<string, unknown>)[name], (expected as Record<string, unknown>)[name]);
  }
  return out;
}

/** A reader over `codec`, fed the frames of `messages`. */
function receiveAll<S, R>(codec: Codec<S, R>, messages: readonly S[]): MessageReader<R> {
  const reader = new MessageReader(codec, { initialCapacity: 64, minReadSize: 16 });
  reader.accumulator.push(encodeStream(codec, messages));
  return reader;
}

const order: Order = {
  id: 7,
  symbol: 'ACME',
  price: -12n,
  leg: { qty: 100, venue: 'XNYS' },
  raw: Uint8Array.of(1, 2, 3),
};

describe('struct view codec', () => {
  it('reads every field of random layouts as the object codec decodes them, in both byte orders', () => {
    const layouts = fc.sample(layoutArbitrary, { numRuns: 60, seed: 2610 });
    for (const layout of layouts) {
      for (const byteOrder of ['big', 'little'] as const) {
        const objects = structCodec(layout, { byteOrder });
        for (const checkLifetime of [false, true]) {
          const views = structViewCodec(layout, { byteOrder, checkLifetime });
          for (const message of fc.sample(messageArbitrary(layout), { numRuns: 5, seed: 7 })) {
            const body = encodeBody(objects, message);
            const expected = decodeBody(objects, body);
            const view = decodeBody(views, body);
            expect(readAll(view, expected)).toEqual(expected);
            expect(view.toObject()).toEqual(expected);
          }
        }
      }
    }
  });

  it('reuses one view per connection without the check, and reads each new frame through it', () => {
    const codec = structViewCodec(Order, { checkLifetime: false });
    const reader = receiveAll(codec, [order, { ...order, id: 8, leg: { qty: 5, venue: 'é' } }]);
    const first = reader.next()!;
    expect(first.id).toBe(7);
    const leg = first.leg;
    const kept = first.toObject();
    const second = reader.next()!;
    expect(second).toBe(first);
    expect(second.leg).toBe(leg);
    expect(second.id).toBe(8);
    expect(leg.venue).toBe('é');
    expect(kept).toEqual(order);
  });

  it('throws NET_ERR_VIEW_EXPIRED for a view read after the next receive or after release, in development mode', () => {
    const codec = structViewCodec(Order, { checkLifetime: true });
    const reader = receiveAll(codec, [order, { ...order, id: 8 }]);
    const first = reader.next()!;
    const leg = first.leg;
    const kept = first.toObject();
    expect(first.symbol).toBe('ACME');
    const second = reader.next()!;
    expect(second).not.toBe(first);
    expect(thrown(() => first.id).code).toBe(ErrorCode.VIEW_EXPIRED);
    expect(thrown(() => leg.qty).code).toBe(ErrorCode.VIEW_EXPIRED);
    expect(thrown(() => first.toObject()).code).toBe(ErrorCode.VIEW_EXPIRED);
    expect(second.id).toBe(8);
    reader.release();
    expect(thrown(() => second.id).code).toBe(ErrorCode.VIEW_EXPIRED);
    expect(kept).toEqual(order);
  });

  it('gives each queued message its own copy, expiring the one handed out before', () => {
    const codec = structViewCodec(Packet, { checkLifetime: true });
    const messages = [
      { type: 'A', session: 'S1', seq: 1 },
      { type: 'S', seq: 2, payload: Uint8Array.of(9, 8) },
      { type: 'P', pick: { kind: 2, y: 3 } },
    ] as const;
    const reader = new MessageReader(owningCodec(codec), { initialCapacity: 64, minReadSize: 16 });
    reader.accumulator.push(encodeStream(codec, messages));
    const queued = [reader.next()!, reader.next()!, reader.next()!];
    reader.accumulator.push(encodeStream(codec, [{ type: 'A', session: 'XX', seq: 99 }]));
    expect(reader.next()!.toObject()).toEqual({ type: 'A', session: 'XX', seq: 99 });
    reader.handOut(queued[0]);
    expect(queued[0].toObject()).toEqual(messages[0]);
    reader.handOut(queued[1]);
    expect(thrown(() => queued[0].type).code).toBe(ErrorCode.VIEW_EXPIRED);
    const s = queued[1];
    expect(s.type === 'S' && Array.from(s.payload)).toEqual([9, 8]);
    reader.handOut(queued[2]);
    const p = queued[2];
    expect(p.type === 'P' && p.pick.kind === 2 && p.pick.y).toBe(3);
  });

  it('refuses bodies of the wrong length and unknown tags on receive, bad text when read', () => {
    const codec = structViewCodec(Packet, { checkLifetime: false });
    expect(thrown(() => decodeBody(codec, [0x41, 1])).code).toBe(ErrorCode.DECODE);
    expect(thrown(() => decodeBody(codec, [0x5a])).code).toBe(ErrorCode.DECODE);
    const bad = decodeBody(codec, [0x41, 0xff, 0x41, 0x41, 0x41, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(bad.type).toBe('A');
    expect(thrown(() => bad.type === 'A' && bad.session).code).toBe(ErrorCode.DECODE);
    const pick = decodeBody(codec, [0x50, 9, 0, 1]);
    expect(thrown(() => pick.type === 'P' && pick.pick).code).toBe(ErrorCode.DECODE);
  });

  it('refuses field names that clash with the properties of views', () => {
    for (const name of ['toObject', 'constructor', '$b', '$c0']) {
      expect(thrown(() => structViewCodec(struct({ [name]: u8 }))).code).toBe(ErrorCode.INVALID_ARGUMENT);
    }
    expect(thrown(() => structViewCodec(Order, { checkLifetime: 1 as never })).code).toBe(ErrorCode.INVALID_ARGUMENT);
  });

  it('infers a read-only view type of the same shape as the message type', () => {
    const codec = structViewCodec(Order);
    type View = ReturnType<typeof codec.decode>;
    expectTypeOf<View>().toEqualTypeOf<MessageView<Order>>();
    expectTypeOf<View['leg']['venue']>().toEqualTypeOf<string>();
    expectTypeOf<View['price']>().toEqualTypeOf<bigint>();
    expectTypeOf<ReturnType<View['toObject']>>().toEqualTypeOf<Order>();
    expectTypeOf<View>().not.toHaveProperty('nope');
    const packets = structViewCodec(Packet);
    const view = {} as ReturnType<typeof packets.decode>;
    if (view.type === 'S') expectTypeOf(view.payload).toEqualTypeOf<Uint8Array>();
    // @ts-expect-error views are read-only
    view.type = 'A';
  });
});
