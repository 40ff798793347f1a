import { bytesCodec, type Codec, jsonCodec } from '@net/core';
import { orderBytes } from '../messages/hand-order-codec.js';
import { MSG_ACCEPTED, ORDER_BODY_BYTES, ORDER_LAYOUT, type Order, sampleOrder } from '../messages/order.js';
import { structOrderCodec } from '../messages/struct-order.js';

/** The codecs the demo can run with. */
export const CODEC_NAMES = ['struct', 'json', 'bytes'] as const;
/** One of {@link CODEC_NAMES}. */
export type CodecName = (typeof CODEC_NAMES)[number];

/**
 * What the ping-pong client and server need to know about one codec: how to make a request, how
 * the server answers it, and how the client checks the answer.
 */
export interface DemoProtocol<M> {
  readonly name: CodecName;
  /** A short description for the demo's output. */
  readonly description: string;
  readonly codec: Codec<M, M>;
  /** The client's request number `seq`. */
  request(seq: number): M;
  /** The server's reply to `request` (it may reuse the decoded request). */
  reply(request: M): M;
  /** Whether `reply` is the right answer to `request` (same order, accepted). */
  matches(request: M, reply: M): boolean;
}

/** The demo's default codec: the binary struct codec. */
export function defaultCodecName(): CodecName {
  return 'struct';
}

/** Parses a `--codec` value. */
export function parseCodecName(value: string): CodecName {
  if ((CODEC_NAMES as readonly string[]).includes(value)) return value as CodecName;
  throw new Error(`unknown codec '${value}': use one of ${CODEC_NAMES.join(', ')}`);
}

/** The protocol of `name`. */
export function protocolFor(name: CodecName): DemoProtocol<unknown> {
  switch (name) {
    case 'json':
      return orderProtocol('json', 'JSON, newline-delimited (jsonCodec)', jsonCodec<Order, Order>());
    case 'struct':
      return orderProtocol('struct', `struct, ${ORDER_BODY_BYTES}-byte body (structCodec)`, structOrderCodec());
    case 'bytes':
      return bytesProtocol;
  }
}

/** Requests are `Order` objects; the server flips `msgType` to accepted and sends the order back. */
function orderProtocol(name: CodecName, description: string, codec: Codec<Order, Order>): DemoProtocol<Order> {
  return {
    name,
    description,
    codec,
    request: sampleOrder,
    reply(request) {
      request.msgType = MSG_ACCEPTED;
      return request;
    },
    matches(request, reply) {
      if (reply.msgType !== MSG_ACCEPTED) return false;
      for (const [field] of ORDER_LAYOUT) {
        if (field !== 'msgType' && reply[field] !== request[field]) return false;
      }
      return true;
    },
  };
}

/**
 * Requests are the 128-byte hand-encoded body of an `Order` (an application that encodes its own
 * payloads); the server flips the type byte in place and sends the bytes back.
 */
const bytesProtocol: DemoProtocol<Uint8Array> = {
  name: 'bytes',
  description: `raw bytes, ${ORDER_BODY_BYTES}-byte payload (bytesCodec)`,
  codec: bytesCodec(),
  request: (seq) => orderBytes(sampleOrder(seq)),
  reply(request) {
    // The body is a view of the receive buffer, which the server owns until its next read.
    request[0] = MSG_ACCEPTED;
    return request;
  },
  matches(request, reply) {
    if (reply.length !== request.length || reply[0] !== MSG_ACCEPTED) return false;
    for (let i = 1; i < request.length; i++) if (reply[i] !== request[i]) return false;
    return true;
  },
};
