import type { ByteWriter } from '../buffers/byte-writer.js';
import { ErrorCode } from '../errors/error-codes.js';
import { NetError } from '../errors/net-error.js';
import { delimiterFramer } from '../framing/delimiter-framer.js';
import { lengthFieldFramer } from '../framing/length-field-framer.js';
import { DEFAULT_MAX_FRAME_LENGTH, type Framer } from '../framing/framer.js';
import type { Codec, FrameSlice } from './codec.js';

/** Options of {@link jsonCodec}. */
export interface JsonCodecOptions<Recv> {
  /**
   * `'newline'` (default): one JSON text per line (NDJSON), readable with `nc` and a terminal.
   * `'length'`: a 4-byte big-endian length prefix, for payloads that may be large.
   */
  readonly framing?: 'newline' | 'length';
  /** A framer to use instead of the one `framing` names. */
  readonly framer?: Framer;
  /** Largest frame on the wire. Default 1 MiB. */
  readonly maxFrameLength?: number;
  /**
   * Checks (and may convert) each parsed value before it is handed over; throw to reject it, which
   * surfaces as `NET_ERR_DECODE`. Without it the parsed value is trusted to be a `Recv`.
   */
  readonly validate?: (value: unknown) => Recv;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Messages as JSON text: the readable, debuggable choice, and the slowest. `JSON.stringify` output
 * never contains a raw newline, so newline framing is always safe for it.
 */
export class JsonCodec<Send, Recv> implements Codec<Send, Recv> {
  readonly framer: Framer;
  /** Bodies are read as bytes, never through a DataView. */
  readonly usesView = false;
  private readonly _validate: ((value: unknown) => Recv) | undefined;

  constructor(options: JsonCodecOptions<Recv> = {}) {
    const maxFrameLength = options.maxFrameLength ?? DEFAULT_MAX_FRAME_LENGTH;
    this.framer =
      options.framer ??
      (options.framing === 'length'
        ? lengthFieldFramer({ maxFrameLength })
        : delimiterFramer({ delimiter: '\n', maxFrameLength }));
    this._validate = options.validate;
  }

  encode(message: Send, out: ByteWriter): void {
    const text = JSON.stringify(message);
    if (text === undefined) {
      throw new NetError(ErrorCode.ENCODE, `a ${typeof message} has no JSON form`);
    }
    // UTF-8 needs at most 3 bytes per UTF-16 unit; reserve that, write, and keep what was used.
    out.ensure(text.length * 3);
    out.position += out.bytes.write(text, out.position, 'utf8');
  }

  decode(frame: FrameSlice): Recv {
    const { bytes, offset, length } = frame;
    // Buffer's own UTF-8 decoding is the fast path, but it patches invalid bytes with U+FFFD. A
    // patched text always contains U+FFFD, so only then is the frame checked again strictly: invalid
    // UTF-8 is an error, never text silently changed.
    let text = Buffer.isBuffer(bytes) ? bytes.toString('utf8', offset, offset + length) : undefined;
    if (text === undefined || text.includes('\uFFFD')) text = decoder.decode(bytes.subarray(offset, offset + length));
    const value: unknown = JSON.parse(text);
    return this._validate === undefined ? (value as Recv) : this._validate(value);
  }
}

/** A codec for JSON messages, newline-delimited by default. */
export function jsonCodec<Send = unknown, Recv = Send>(options: JsonCodecOptions<Recv> = {}): JsonCodec<Send, Recv> {
  return new JsonCodec<Send, Recv>(options);
}
