/**
 * The codecs the @net programs of the flavour benchmarks run with, on top of the demo's protocols
 * (`demo/protocols.ts`): `bytes` is the 128-byte body behind an explicit u32 big-endian
 * length-prefix framer (the same frames the `node:net` baseline sends); `struct` is the order
 * message through the struct codec (its default framing, a u16 length prefix: 130-byte frames).
 */
import { bytesCodec, type Codec, lengthFieldFramer } from '@net/async';
import { type CodecName, protocolFor } from '../../demo/protocols.js';
import { acceptInPlace, isReplyTo, REQUEST_COUNT, requestBodies } from '../workload.js';

/** The codecs an @net subject can use here. */
export const WIRE_CODECS = ['bytes', 'struct'] as const;
/** One of {@link WIRE_CODECS}. */
export type WireCodec = (typeof WIRE_CODECS)[number];

/** Everything a client or a server program needs to know about its messages. */
export interface Wire<M> {
  readonly codec: Codec<M, M>;
  /** {@link REQUEST_COUNT} requests to cycle through. */
  readonly requests: readonly M[];
  /** The server's answer (it may change the request in place). */
  reply(request: M): M;
  /** Whether `reply` answers `request`. */
  matches(request: M, reply: M): boolean;
  /** The first byte of a request body, as a sink sees it (the message type). */
  typeOf(message: M): number | undefined;
}

/** Parses a `--codec` value. */
export function parseWireCodec(value: string | undefined): WireCodec {
  const name = value ?? 'bytes';
  if ((WIRE_CODECS as readonly string[]).includes(name)) return name as WireCodec;
  throw new Error(`--codec ${WIRE_CODECS.join('|')}, got '${name}'`);
}

/** The wire of `name`. */
export function wireFor(name: WireCodec): Wire<unknown> {
  if (name === 'bytes') {
    const bytes: Wire<Uint8Array> = {
      codec: bytesCodec({ framer: lengthFieldFramer({ lengthFieldLength: 4 }) }),
      requests: requestBodies(),
      reply(request) {
        acceptInPlace(request);
        return request;
      },
      matches: (request, reply) => isReplyTo(request, reply),
      typeOf: (message) => message[0],
    };
    return bytes as Wire<unknown>;
  }
  const protocol = protocolFor(name satisfies CodecName);
  const requests: unknown[] = [];
  for (let seq = 0; seq < REQUEST_COUNT; seq++) requests.push(protocol.request(seq));
  return {
    codec: protocol.codec,
    requests,
    reply: (request) => protocol.reply(request),
    matches: (request, reply) => protocol.matches(request, reply),
    typeOf: (message) => (message as { msgType?: number }).msgType,
  };
}
