/**
 * The message every benchmark and demo in this package sends: an order-entry message modelled on
 * OUCH / FIX "new order single", laid out as a fixed 128-byte body for the struct codec.
 *
 * 64-bit integers are JavaScript numbers holding safe integers (order ids, prices in 1e-4 ticks,
 * microsecond timestamps), so the very same object can go through `JSON.stringify` and msgpackr,
 * which cannot take a `bigint` (JSON) or turn it back into one by default (msgpackr).
 */
export interface Order {
  /** Message type tag: {@link MSG_NEW_ORDER} for requests, {@link MSG_ACCEPTED} for replies. */
  msgType: number;
  /** `'B'` buy or `'S'` sell. */
  side: string;
  /** 0 day, 3 immediate-or-cancel, ... */
  timeInForce: number;
  hidden: boolean;
  quantity: number;
  /** Sequence-like id, above 2^32 so it needs the 64-bit field. */
  orderId: number;
  /** Limit price in 1e-4 ticks (i64). */
  price: number;
  /** Send time in microseconds since the epoch (u64). */
  sendTimeUs: number;
  /** Exactly 8 ASCII characters. */
  symbol: string;
  /** Exactly 4 ASCII characters. */
  account: string;
  minQuantity: number;
  /** Exactly 14 ASCII characters (the OUCH order token width). */
  clientOrderId: string;
  /** Exactly 1 ASCII character: `'A'` agency, `'P'` principal. */
  capacity: string;
  postOnly: boolean;
  /** Stop price in 1e-4 ticks (i64), 0 for none. */
  stopPrice: number;
  maxFloor: number;
  /** Peg offset in ticks (i32), may be negative. */
  pegOffset: number;
  /** Exactly 4 ASCII characters. */
  firm: string;
  userRef: number;
  /** Parent order id (u64), 0 for none. */
  parentOrderId: number;
  /** Exactly 32 ASCII characters of free text. */
  text: string;
}

/** `msgType` of a request. */
export const MSG_NEW_ORDER = 1;
/** `msgType` of the reply the pong server sends back. */
export const MSG_ACCEPTED = 2;

/**
 * The wire layout of {@link Order}: `[field, type, offset]`, big-endian, `asciiN` fields exactly N
 * bytes. The struct codec's schema and the hand-written reference codec both follow it.
 */
export const ORDER_LAYOUT = [
  ['msgType', 'u8', 0],
  ['side', 'ascii1', 1],
  ['timeInForce', 'u8', 2],
  ['hidden', 'bool', 3],
  ['quantity', 'u32', 4],
  ['orderId', 'u64', 8],
  ['price', 'i64', 16],
  ['sendTimeUs', 'u64', 24],
  ['symbol', 'ascii8', 32],
  ['account', 'ascii4', 40],
  ['minQuantity', 'u32', 44],
  ['clientOrderId', 'ascii14', 48],
  ['capacity', 'ascii1', 62],
  ['postOnly', 'bool', 63],
  ['stopPrice', 'i64', 64],
  ['maxFloor', 'u32', 72],
  ['pegOffset', 'i32', 76],
  ['firm', 'ascii4', 80],
  ['userRef', 'u32', 84],
  ['parentOrderId', 'u64', 88],
  ['text', 'ascii32', 96],
] as const satisfies readonly (readonly [keyof Order, string, number])[];

/** Body size of an {@link Order} in the fixed layout, without any frame header. */
export const ORDER_BODY_BYTES = 128;

const ORDER_ID_BASE = 7_000_000_000;

/**
 * A realistic order; `seq` varies the id, price and client order id so messages differ. Every
 * ASCII field has exactly its layout width.
 */
export function sampleOrder(seq = 0): Order {
  return {
    msgType: MSG_NEW_ORDER,
    side: seq % 2 === 0 ? 'B' : 'S',
    timeInForce: 0,
    hidden: false,
    quantity: 100 + (seq % 900),
    orderId: ORDER_ID_BASE + seq,
    price: 1_872_500 + (seq % 100),
    sendTimeUs: 1_764_000_000_000_000 + seq,
    symbol: 'GOOGL.OQ',
    account: 'AC01',
    minQuantity: 0,
    clientOrderId: `C${String(seq % 1e13).padStart(13, '0')}`,
    capacity: 'A',
    postOnly: true,
    stopPrice: 0,
    maxFloor: 500,
    pegOffset: -2,
    firm: 'FRM1',
    userRef: 42_000 + (seq % 1000),
    parentOrderId: 0,
    text: 'order-entry benchmark, 128 bytes',
  };
}

/** True when every field of `a` equals the same field of `b`. */
export function sameOrder(a: Order, b: Order): boolean {
  for (const [field] of ORDER_LAYOUT) {
    if (a[field] !== b[field]) return false;
  }
  return true;
}

/**
 * Reads a few fields of a decoded order so the decode cannot be optimised away, the way an
 * application reads what it receives. (A lazy decoder that defers work to field access would need
 * every field read here to be compared fairly.)
 */
export function touchOrder(order: Order): number {
  return order.quantity + order.symbol.length + (order.orderId & 0xff);
}
