import { ByteWriter, type ByteWriterOptions } from '../buffers/byte-writer.js';
import { ErrorCode } from '../errors/error-codes.js';
import { NetError } from '../errors/net-error.js';
import type { Framer } from '../framing/framer.js';
import type { Codec } from './codec.js';

/**
 * The send path of one connection: frames are encoded back to back into one pooled
 * {@link ByteWriter}, so a flavour can write many messages with one system call.
 *
 * A message that fails to encode leaves nothing behind: the writer is rolled back to where the
 * frame began, and the frames before it are intact.
 */
export class MessageWriter<Send> {
  /** Where the frames accumulate; write `out.bytes[0..out.position)` and then `out.consume(n)`. */
  readonly out: ByteWriter;
  private readonly _codec: Codec<Send, unknown>;
  private readonly _framer: Framer;

  constructor(codec: Codec<Send, unknown>, options: ByteWriterOptions = {}) {
    this._codec = codec;
    this._framer = codec.framer;
    this.out = new ByteWriter(options);
  }

  /** Bytes encoded and not yet consumed. */
  get buffered(): number {
    return this.out.position;
  }

  /**
   * Appends the frame of `message` and returns its length on the wire.
   * @throws NetError `NET_ERR_ENCODE`, `NET_ERR_FRAME_TOO_LARGE` or `NET_ERR_BUFFER_LIMIT`; nothing is appended then
   */
  write(message: Send): number {
    const out = this.out;
    const framer = this._framer;
    const frameStart = out.position;
    try {
      out.ensure(framer.headLength);
      out.position = frameStart + framer.headLength;
      this._codec.encode(message, out);
      const bodyLength = out.position - frameStart - framer.headLength;
      out.ensure(framer.tailLength);
      const length = framer.seal(out.bytes, frameStart, bodyLength);
      out.position = frameStart + length;
      return length;
    } catch (error) {
      out.position = frameStart;
      if (NetError.isNetError(error)) throw error;
      throw new NetError(
        ErrorCode.ENCODE,
        `cannot encode message: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
  }

  /** Returns the buffer to its pool; the writer must not be used afterwards. */
  release(): void {
    this.out.release();
  }
}
