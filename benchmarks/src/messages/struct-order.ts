import * as core from '@net/core';
import type { Codec } from '@net/core';
import type { Order } from './order.js';

/**
 * The part of the struct codec API this file uses (`packages/core/src/codecs/struct/`), declared
 * here so this package builds against a `@net/core` that does not export it yet.
 * TODO(struct-codec): once `@net/core`'s index re-exports the struct codec, import `structCodec`,
 * `struct`, `ascii`, ... directly and let `InferMessage<typeof layout>` check `Order` at compile time.
 */
interface StructApi {
  structCodec(layout: unknown, options?: object): Codec<Order, Order>;
  struct(fields: Record<string, unknown>): unknown;
  ascii(length: number): unknown;
  u8: unknown;
  u32: unknown;
  i32: unknown;
  u53: unknown;
  i53: unknown;
  bool: unknown;
}

function structApi(): StructApi | undefined {
  const exports = core as unknown as Partial<StructApi>;
  return typeof exports.structCodec === 'function' && typeof exports.struct === 'function' ? (exports as StructApi) : undefined;
}

let cached: Codec<Order, Order> | null | undefined;

/**
 * The @net struct codec for {@link Order}: the 128-byte body of `ORDER_LAYOUT`, big-endian, with
 * the struct codec's default framing (a u16 length prefix), or `undefined` while `@net/core` does
 * not export a struct codec. The demo and the codec benchmark take the struct codec from here and
 * nowhere else, so both pick it up as soon as `@net/core` exports it.
 *
 * The 64-bit fields are `u53`/`i53` (8 bytes on the wire, a `number` in JavaScript) because the same
 * `Order` object also goes through `JSON.stringify` and msgpackr, which cannot carry a `bigint`.
 */
export function structOrderCodec(): Codec<Order, Order> | undefined {
  if (cached !== undefined) return cached ?? undefined;
  const api = structApi();
  if (api === undefined) {
    cached = null;
    return undefined;
  }
  const { struct, ascii, u8, u32, i32, u53, i53, bool } = api;
  const layout = struct({
    msgType: u8,
    side: ascii(1),
    timeInForce: u8,
    hidden: bool,
    quantity: u32,
    orderId: u53,
    price: i53,
    sendTimeUs: u53,
    symbol: ascii(8),
    account: ascii(4),
    minQuantity: u32,
    clientOrderId: ascii(14),
    capacity: ascii(1),
    postOnly: bool,
    stopPrice: i53,
    maxFloor: u32,
    pegOffset: i32,
    firm: ascii(4),
    userRef: u32,
    parentOrderId: u53,
    text: ascii(32),
  });
  cached = api.structCodec(layout);
  return cached;
}

/** A sentence for outputs that have to say why there is no struct row or struct demo. */
export const STRUCT_MISSING = '@net/core exports no struct codec yet';
