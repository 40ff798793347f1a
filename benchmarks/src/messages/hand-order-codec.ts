import { type ByteWriter, type Codec, type FrameSlice, type Framer, lengthFieldFramer } from '@net/core';
import { ORDER_BODY_BYTES, type Order } from './order.js';

const TWO_POW_32 = 2 ** 32;
const char = String.fromCharCode;

/**
 * A hand-written codec for {@link Order} in the fixed 128-byte layout of `ORDER_LAYOUT`, with
 * DataView reads and writes and a 4-byte length prefix. It is **not** part of @net: it is the
 * reference a schema-driven struct codec is measured against (about the best plain TypeScript can
 * do for this message), and it makes the 128-byte payloads the bytes-codec demo sends.
 *
 * It does no range checks: a value that does not fit its field is silently truncated.
 */
export class HandOrderCodec implements Codec<Order, Order> {
  readonly framer: Framer;

  constructor(framer: Framer = lengthFieldFramer()) {
    this.framer = framer;
  }

  encode(order: Order, out: ByteWriter): void {
    out.ensure(ORDER_BODY_BYTES);
    encodeOrder(order, out.bytes, out.view, out.position);
    out.position += ORDER_BODY_BYTES;
  }

  decode(frame: FrameSlice): Order {
    let view = frame.view;
    // Workaround: FrameAccumulator.nextFrame() drops its chunk before handing out the chunk's last
    // frame, so that frame comes with an empty DataView. Remove once @net/core is fixed.
    if (view.byteLength < frame.offset + frame.length)
      view = new DataView(frame.bytes.buffer, frame.bytes.byteOffset, frame.bytes.length);
    return decodeOrder(frame.bytes, view, frame.offset);
  }
}

/** Writes `order` as 128 bytes at `bytes[at..]` (`view` covers the same memory as `bytes`). */
export function encodeOrder(order: Order, bytes: Uint8Array, view: DataView, at: number): void {
  view.setUint8(at, order.msgType);
  bytes[at + 1] = order.side.charCodeAt(0);
  view.setUint8(at + 2, order.timeInForce);
  bytes[at + 3] = order.hidden ? 1 : 0;
  view.setUint32(at + 4, order.quantity);
  writeInt64(view, at + 8, order.orderId);
  writeInt64(view, at + 16, order.price);
  writeInt64(view, at + 24, order.sendTimeUs);
  writeAscii(bytes, at + 32, order.symbol, 8);
  writeAscii(bytes, at + 40, order.account, 4);
  view.setUint32(at + 44, order.minQuantity);
  writeAscii(bytes, at + 48, order.clientOrderId, 14);
  bytes[at + 62] = order.capacity.charCodeAt(0);
  bytes[at + 63] = order.postOnly ? 1 : 0;
  writeInt64(view, at + 64, order.stopPrice);
  view.setUint32(at + 72, order.maxFloor);
  view.setInt32(at + 76, order.pegOffset);
  writeAscii(bytes, at + 80, order.firm, 4);
  view.setUint32(at + 84, order.userRef);
  writeInt64(view, at + 88, order.parentOrderId);
  writeAscii(bytes, at + 96, order.text, 32);
}

/** Reads the 128-byte order at `bytes[at..]`. */
export function decodeOrder(bytes: Uint8Array, view: DataView, at: number): Order {
  return {
    msgType: bytes[at],
    side: char(bytes[at + 1]),
    timeInForce: bytes[at + 2],
    hidden: bytes[at + 3] !== 0,
    quantity: view.getUint32(at + 4),
    orderId: readInt64(view, at + 8),
    price: readInt64(view, at + 16),
    sendTimeUs: readInt64(view, at + 24),
    symbol: readAscii(bytes, at + 32, 8),
    account: readAscii(bytes, at + 40, 4),
    minQuantity: view.getUint32(at + 44),
    clientOrderId: readAscii(bytes, at + 48, 14),
    capacity: char(bytes[at + 62]),
    postOnly: bytes[at + 63] !== 0,
    stopPrice: readInt64(view, at + 64),
    maxFloor: view.getUint32(at + 72),
    pegOffset: view.getInt32(at + 76),
    firm: readAscii(bytes, at + 80, 4),
    userRef: view.getUint32(at + 84),
    parentOrderId: readInt64(view, at + 88),
    text: readAscii(bytes, at + 96, 32),
  };
}

/** The 128-byte body of `order`, in a buffer of its own. */
export function orderBytes(order: Order): Buffer {
  const bytes = Buffer.alloc(ORDER_BODY_BYTES);
  encodeOrder(order, bytes, new DataView(bytes.buffer, bytes.byteOffset, bytes.length), 0);
  return bytes;
}

/** A safe integer as a big-endian two's-complement 64-bit value. */
function writeInt64(view: DataView, at: number, value: number): void {
  const high = Math.floor(value / TWO_POW_32);
  view.setInt32(at, high);
  view.setUint32(at + 4, value - high * TWO_POW_32);
}

function readInt64(view: DataView, at: number): number {
  return view.getInt32(at) * TWO_POW_32 + view.getUint32(at + 4);
}

/** `text` as exactly `width` bytes, space-padded (the caller's strings already have that width). */
function writeAscii(bytes: Uint8Array, at: number, text: string, width: number): void {
  for (let i = 0; i < width; i++) bytes[at + i] = i < text.length ? text.charCodeAt(i) & 0x7f : 0x20;
}

/**
 * The `width` bytes at `bytes[at..]` as a string. One `String.fromCharCode` call with a fixed
 * number of arguments per field width: several times faster than appending character by character
 * or calling into `Buffer#toString` for strings this short.
 */
function readAscii(b: Uint8Array, at: number, width: 4 | 8 | 14 | 32): string {
  switch (width) {
    case 4:
      return char(b[at], b[at + 1], b[at + 2], b[at + 3]);
    case 8:
      return char(b[at], b[at + 1], b[at + 2], b[at + 3], b[at + 4], b[at + 5], b[at + 6], b[at + 7]);
    case 14:
      return char(
        b[at],
        b[at + 1],
        b[at + 2],
        b[at + 3],
        b[at + 4],
        b[at + 5],
        b[at + 6],
        b[at + 7],
        b[at + 8],
        b[at + 9],
        b[at + 10],
        b[at + 11],
        b[at + 12],
        b[at + 13],
      );
    case 32:
      return read16(b, at) + read16(b, at + 16);
  }
}

function read16(b: Uint8Array, at: number): string {
  return char(
    b[at],
    b[at + 1],
    b[at + 2],
    b[at + 3],
    b[at + 4],
    b[at + 5],
    b[at + 6],
    b[at + 7],
    b[at + 8],
    b[at + 9],
    b[at + 10],
    b[at + 11],
    b[at + 12],
    b[at + 13],
    b[at + 14],
    b[at + 15],
  );
}
