import { type Codec, jsonCodec, structViewCodec } from '@net/core';
import * as nonblocking from '@net/nonblocking';
import { type Order, sampleOrder } from '../messages/order.js';
import { ORDER_STRUCT, structOrderCodec } from '../messages/struct-order.js';
import { body, type CodecName } from './protocol.js';

/**
 * The codec a flavour peer uses and the message it sends: a 128-byte order with the struct codec,
 * the same order as JSON text, the order received as views, or raw bytes of the case's size (borrowed views, no copy).
 */
export function wireCodec(name: CodecName): Codec<unknown, unknown> {
  if (name === 'json') return jsonCodec<Order>({ framing: 'length' });
  if (name === 'struct') return structOrderCodec();
  // Production mode: one reused view per connection, nothing made per message.
  if (name === 'struct-view') return structViewCodec(ORDER_STRUCT, { checkLifetime: false });
  return nonblocking.bytesCodec({ copy: false });
}

/** The message to send with `name`; for bytes, a body of `size` bytes starting with `mark`. */
export function wireMessage(name: CodecName, size: number, mark: number): unknown {
  return name === 'bytes' ? body(size, mark) : sampleOrder(1);
}

/** True when a received message is a stream frame (counted, not echoed); only bytes streams. */
export function isStreamed(message: unknown, streamedMark: number): boolean {
  return message instanceof Uint8Array && message[0] === streamedMark;
}
