import type { ByteWriter } from '../buffers/byte-writer.js';
import type { Framer } from '../framing/framer.js';

/**
 * One received frame's body, handed to {@link Codec.decode}. The reader reuses a single instance
 * for every frame, so decoding creates no object besides the message itself.
 *
 * The body is `bytes[offset .. offset + length)`. `bytes` and `view` belong to the reader: they are
 * valid only during the `decode` call (the reader overwrites them on its next read), so a codec
 * that keeps bytes must copy them.
 */
export interface FrameSlice {
  /** Bytes holding the body (a larger buffer: honour `offset` and `length`). */
  bytes: Uint8Array;
  /** A DataView over the same memory as `bytes`, with the same indexing as `bytes`. */
  view: DataView;
  /** Index of the first body byte in `bytes` and `view`. */
  offset: number;
  /** Body length in bytes. */
  length: number;
  /**
   * True when `bytes` will never be written again by the reader (a chunk the reader was handed
   * and does not reuse), so a message may keep pointing into it; false for the reader's own,
   * reused buffer.
   */
  stable?: boolean;
}

/**
 * Turns messages into frames and frames into messages: links' Messenger. `Send` is what this side
 * writes and `Recv` what it reads, so a client's codec is `Codec<ClientMsg, ServerMsg>` and its
 * service's is `Codec<ServerMsg, ClientMsg>`.
 *
 * A codec is stateless and may be shared by every connection; the framer it names is a template
 * that each connection clones.
 */
export interface Codec<Send, Recv> {
  /** The framing this codec's frames use. */
  readonly framer: Framer;
  /**
   * True when decoded messages point into the frame's bytes instead of owning their data (a
   * bytes codec without `copy`). A flavour that keeps messages past the read that produced them
   * (a queue behind `recv()`) gives such a codec its own copy of each frame first.
   */
  readonly borrowsFrame?: boolean;
  /**
   * False when `decode` never reads `frame.view`: readers then skip making a DataView for each
   * received chunk. Default true.
   */
  readonly usesView?: boolean;
  /**
   * For a codec with per-connection state (a view codec's reused view): the codec one connection's
   * reader uses. `queued` is true when messages wait in a queue past the read that produced them,
   * so each must own its bytes. Readers call it once per connection; the result does not have it.
   */
  forConnection?(queued: boolean): Codec<Send, Recv>;
  /** The connection of this per-connection codec closed: messages still lent out expire. */
  release?(): void;
  /**
   * A queued message is handed to the user: the one handed out before it expires. Called only on
   * codecs made with `forConnection(true)`.
   */
  handOut?(message: Recv): void;
  /**
   * Writes the body of `message` at `out.position` (the frame head is already reserved) and
   * advances `out.position` past it. Call `out.ensure(n)` before writing `n` bytes.
   * @throws NetError `NET_ERR_ENCODE` when the message does not fit the codec's format
   */
  encode(message: Send, out: ByteWriter): void;
  /**
   * Builds the message in `frame`. Must not return `undefined`, which readers use for "no message".
   * @throws NetError `NET_ERR_DECODE` (or any error, which the reader wraps as `NET_ERR_DECODE`)
   */
  decode(frame: FrameSlice): Recv;
}
