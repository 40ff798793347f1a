import type { ByteWriter } from '../../buffers/byte-writer.js';
import type { Framer } from '../../framing/framer.js';
import { lengthFieldFramer } from '../../framing/length-field-framer.js';
import type { Codec, FrameSlice } from '../codec.js';
import { maxFixedSize } from './codegen.js';
import { compileDecoder } from './compile-decoder.js';
import { compileEncoder } from './compile-encoder.js';
import { type ByteOrder, checkByteOrder, type InferMessage, invalidLayout, isField } from './field.js';
import type { StructLayout } from './struct-layout.js';
import type { UnionLayout } from './union-layout.js';

/** A message layout: a {@link struct} or a {@link union} at the top. */
export type MessageLayout = StructLayout | UnionLayout;

/** Different layouts per direction: what this side sends, and what it receives. */
export interface DuplexLayouts<S extends MessageLayout, R extends MessageLayout> {
  /** The layout of the messages this side writes. */
  readonly send: S;
  /** The layout of the messages this side reads. */
  readonly recv: R;
}

/** Options of {@link structCodec}. */
export interface StructCodecOptions {
  /**
   * The framing. Default: a 2-byte big-endian length prefix that does not count itself
   * (`lengthFieldFramer({ lengthFieldLength: 2 })`, the SoupBinTCP framing), so bodies are at
   * most 65535 bytes.
   */
  readonly framer?: Framer;
  /** Byte order of every struct that does not declare its own. Default `'big'` (network order). */
  readonly byteOrder?: ByteOrder;
  /**
   * Accept bodies longer than the message they carry, ignoring the extra bytes (a newer peer that
   * appends fields, or a fixed-size framer that zero-pads a smaller union variant). Default false:
   * a body must be exactly as long as its message shape, and a longer one is `NET_ERR_DECODE`.
   * Layouts that end with {@link bytesRest} take the remaining bytes either way.
   */
  readonly allowTrailingBytes?: boolean;
}

const U16_BODY = 0xffff;

/**
 * The codec of a binary struct layout; see {@link structCodec}. Stateless and shareable by every
 * connection: `encode` and `decode` are functions compiled from the layouts when the codec is made.
 */
export class StructCodec<Send, Recv> implements Codec<Send, Recv> {
  readonly framer: Framer;
  /** The layout of the messages this codec encodes. */
  readonly sendLayout: MessageLayout;
  /** The layout of the messages this codec decodes. */
  readonly recvLayout: MessageLayout;
  /** The options the codec was made with (without the framer default filled in). */
  readonly options: StructCodecOptions;
  /** Always false: decoded messages own their data (byte fields are copied out of the frame). */
  readonly borrowsFrame = false;
  /**
   * Writes the body of `message`: one `out.ensure(size)`, then every field straight into the
   * writer's DataView.
   * @throws NetError `NET_ERR_ENCODE` naming the field (wrong type, out of range, missing, text too long or not ASCII, unknown tag)
   */
  readonly encode: (message: Send, out: ByteWriter) => void;
  /**
   * Builds the message in a frame body, eagerly: every field is read into one plain object of a
   * stable shape, built from a literal. {@link structViewCodec} reads the frame in place instead.
   * @throws NetError `NET_ERR_DECODE` for a body of the wrong length, an unknown tag, or a field whose bytes are not a valid value
   */
  readonly decode: (frame: FrameSlice) => Recv;

  /** Prefer {@link structCodec}, which infers the message types. */
  constructor(send: MessageLayout, recv: MessageLayout, options: StructCodecOptions = {}) {
    checkMessageLayout(send, 'send');
    checkMessageLayout(recv, 'recv');
    const little = checkByteOrder(options.byteOrder) === 'little';
    this.framer = options.framer ?? lengthFieldFramer({ lengthFieldLength: 2, maxFrameLength: 2 + U16_BODY });
    const capacity = this.framer.maxFrameLength - this.framer.headLength - this.framer.tailLength;
    for (const [direction, layout] of [
      ['send', send],
      ['recv', recv],
    ] as const) {
      const largest = maxFixedSize(layout);
      if (largest > capacity) {
        throw invalidLayout(
          `the largest ${direction} message takes ${largest} bytes, more than the ${capacity} the framer ${String(this.framer)} carries`,
          {
            direction,
            size: largest,
            capacity,
          },
        );
      }
    }
    this.sendLayout = send;
    this.recvLayout = recv;
    this.options = options;
    this.encode = compileEncoder(send, little);
    this.decode = compileDecoder(recv, little, options.allowTrailingBytes === true) as (frame: FrameSlice) => Recv;
  }

  /**
   * The codec of the other end: sends what this one receives and receives what it sends, with the
   * same options (and framer template). `structCodec({ send: Request, recv: Reply }).reverse()` is
   * the service's codec of a client's protocol.
   */
  reverse(): StructCodec<Recv, Send> {
    return new StructCodec<Recv, Send>(this.recvLayout, this.sendLayout, { ...this.options, framer: this.framer });
  }
}

function checkMessageLayout(layout: unknown, direction: string): void {
  if (!isField(layout) || (layout.kind !== 'struct' && layout.kind !== 'union')) {
    throw invalidLayout(`the ${direction} layout must be a struct({...}) or union(...)`, { direction });
  }
}

/**
 * A codec for fixed binary messages declared once, with their TypeScript types inferred:
 *
 * ```ts
 * const Order = struct({ id: u64, symbol: ascii(8), side: ascii(1), qty: u32, price: i64 });
 * type Order = InferMessage<typeof Order>;
 * const codec = structCodec(Order);                                  // Codec<Order, Order>
 * const client = structCodec({ send: Request, recv: Reply });        // Codec<Request, Reply>
 * ```
 *
 * Both layouts are validated and compiled to specialised functions here, once; nothing is
 * generated at build time. Integers are big-endian unless `byteOrder` (on the codec or a struct)
 * says otherwise.
 *
 * Framing: by default a u16 big-endian length prefix, for every layout, fixed-size ones
 * included. A fixed-size framer would save two bytes per message, but it cannot tell a peer with
 * a different layout version from a good one, cannot carry union variants or send and receive
 * layouts of different sizes, and loses its place for good after one bad byte count. Protocols
 * that do frame by size can pass `framer: fixedSizeFramer(Layout.size)`.
 * @throws NetError `NET_ERR_INVALID_ARGUMENT` when a layout is not a struct or union, or its
 * largest message does not fit the framer
 */
export function structCodec<L extends MessageLayout>(
  layout: L,
  options?: StructCodecOptions,
): StructCodec<InferMessage<L>, InferMessage<L>>;
export function structCodec<S extends MessageLayout, R extends MessageLayout>(
  layouts: DuplexLayouts<S, R>,
  options?: StructCodecOptions,
): StructCodec<InferMessage<S>, InferMessage<R>>;
export function structCodec(
  layouts: MessageLayout | DuplexLayouts<MessageLayout, MessageLayout>,
  options: StructCodecOptions = {},
): StructCodec<unknown, unknown> {
  if (isField(layouts)) return new StructCodec(layouts, layouts, options);
  if (typeof layouts !== 'object' || layouts === null || !('send' in layouts) || !('recv' in layouts)) {
    throw invalidLayout('structCodec() takes a layout, or { send, recv } layouts');
  }
  return new StructCodec(layouts.send, layouts.recv, options);
}
