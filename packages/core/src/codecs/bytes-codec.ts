import type { ByteWriter } from '../buffers/byte-writer.js';
import { lengthFieldFramer } from '../framing/length-field-framer.js';
import type { Framer } from '../framing/framer.js';
import type { Codec, FrameSlice } from './codec.js';
import { BodyViews } from './body-views.js';
import { OwnedBodies } from './owned-bodies.js';

/** Options of {@link bytesCodec}. */
export interface BytesCodecOptions {
  /** The framing. Default: a 4-byte big-endian length prefix. */
  readonly framer?: Framer;
  /**
   * Copy each received body into its own `Uint8Array`. Default false: the body is a view of the
   * receive buffer, valid only until the connection reads again (the same tick, for callbacks);
   * a connection hands out the same view object again for a later body at the same place in its
   * receive buffer, so that a steady stream of equal-sized messages makes no garbage.
   */
  readonly copy?: boolean;
}

/**
 * The codec for raw bytes: frames in, `Uint8Array` bodies out, with no copy unless asked. For
 * protocols that decode their own payloads, and for measuring the framing alone.
 */
export class BytesCodec implements Codec<Uint8Array, Uint8Array> {
  readonly framer: Framer;
  /** Bodies are read as bytes, never through a DataView. */
  readonly usesView = false;
  /** Whether received bodies are copied out of the receive buffer. */
  readonly copy: boolean;
  /** True unless `copy` is set: bodies are views of the receive buffer. */
  readonly borrowsFrame: boolean;

  constructor(options: BytesCodecOptions = {}) {
    this.framer = options.framer ?? lengthFieldFramer();
    this.copy = options.copy ?? false;
    this.borrowsFrame = !this.copy;
  }

  encode(message: Uint8Array, out: ByteWriter): void {
    out.writeBytes(message);
  }

  /** The body of one frame: its own copy with `copy`, else a new view of the frame's bytes. */
  decode(frame: FrameSlice): Uint8Array {
    const bytes = frame.bytes;
    // Uint8Array's slice, not Buffer's: Buffer#slice returns a view, which is what `copy` must avoid.
    if (this.copy) return Uint8Array.prototype.slice.call(bytes, frame.offset, frame.offset + frame.length);
    // A plain Uint8Array, not the Buffer that `subarray` of a Buffer makes: several times cheaper
    // to construct on V8, where a body view per message is most of a small message's receive cost.
    return new Uint8Array(bytes.buffer, bytes.byteOffset + frame.offset, frame.length);
  }

  /**
   * The decoding instance of one connection. Borrowed bodies (no `copy`) reuse their view while
   * frames keep landing at the same place; `queued` bodies, which outlive the read, are copies.
   */
  forConnection(queued: boolean): Codec<Uint8Array, Uint8Array> {
    if (this.copy) return this;
    return queued ? new OwnedBodies(this, this.framer) : new BodyViews(this, this.framer);
  }
}

/** A codec whose messages are the frame bodies themselves, as `Uint8Array`. */
export function bytesCodec(options: BytesCodecOptions = {}): BytesCodec {
  return new BytesCodec(options);
}
