import { ascii, bool, type Codec, i32, i53, type InferMessage, struct, structCodec, u8, u32, u53 } from '@net/core';
import type { Order } from './order.js';

/**
 * The 128-byte layout of {@link Order}, big-endian. The 64-bit fields are `u53`/`i53` (8 bytes on
 * the wire, a `number` in JavaScript) because the same `Order` object also goes through
 * `JSON.stringify` and msgpackr, which cannot carry a `bigint`.
 */
export const ORDER_STRUCT = struct({
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

// The layout and the hand-written Order type must describe the same message.
const layoutMatchesOrder: InferMessage<typeof ORDER_STRUCT> extends Order
  ? Order extends InferMessage<typeof ORDER_STRUCT>
    ? true
    : false
  : false = true;
void layoutMatchesOrder;

let cached: Codec<Order, Order> | undefined;

/**
 * The @net struct codec for {@link Order} with its default framing (a u16 length prefix). The demo
 * and the codec benchmark take the struct codec from here and nowhere else.
 */
export function structOrderCodec(): Codec<Order, Order> {
  cached ??= structCodec(ORDER_STRUCT) as Codec<Order, Order>;
  return cached;
}
