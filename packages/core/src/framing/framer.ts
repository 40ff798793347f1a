import type { FramerDescription } from './framer-description.js';

/**
 * Returned by {@link Framer.frameLength} when the bytes seen so far do not yet hold a whole frame.
 * Zero can never be a frame length, so the hot path tests one number.
 */
export const NEED_MORE = 0;

/** The largest frame any framer accepts: 1 GiB. Larger limits are refused at construction. */
export const MAX_FRAME_LENGTH_LIMIT = 1 << 30;

/** The default maximum frame length of every built-in framer: 1 MiB. */
export const DEFAULT_MAX_FRAME_LENGTH = 1 << 20;

/**
 * Finds frames in a byte stream (decode side) and closes frames around an encoded body (encode
 * side). This is the documented interface for user framers.
 *
 * ## Decode contract
 * The reader calls {@link frameLength} with the unconsumed bytes `bytes[start..end)`, where `start`
 * is always the first byte of the next frame. The framer answers with the whole frame's length on
 * the wire, or {@link NEED_MORE}. Between calls that answered `NEED_MORE` the reader may move the
 * bytes (so `start` can change) but never changes or drops them, and `end - start` only grows; a
 * framer may therefore keep progress (bytes already scanned) *relative to `start`* and must not
 * rescan them. A positive answer clears that progress: the reader consumes the frame and the next
 * call starts at the next frame.
 *
 * A frame that would exceed {@link maxFrameLength} must throw a `NetError` with code
 * `NET_ERR_FRAME_TOO_LARGE` as soon as that is knowable, before its bytes are buffered; bytes that
 * cannot be a frame throw `NET_ERR_FRAME_CORRUPT`. Both leave the stream unaligned, so readers
 * treat them as fatal for the connection.
 *
 * ## Encode contract
 * The writer reserves {@link headLength} bytes, lets the codec write the body after them, reserves
 * {@link tailLength} more, then calls {@link seal}, which fills in the head (and tail) and returns
 * the frame's length on the wire.
 *
 * A framer instance keeps per-stream progress: use {@link clone} to get one per connection.
 */
export interface Framer {
  /** Largest frame, in bytes on the wire (header and delimiter included), this framer accepts. */
  readonly maxFrameLength: number;
  /** Bytes at the start of each frame that are not part of the body the codec sees. */
  readonly headLength: number;
  /** Bytes at the end of each frame that are not part of the body the codec sees. */
  readonly tailLength: number;
  /**
   * The total length of the frame now being received, once a header has announced it; 0 when not
   * known. Readers use it to size their buffer once instead of growing it step by step.
   */
  readonly expectedLength: number;
  /**
   * Length on the wire of the frame that starts at `bytes[start]`, or {@link NEED_MORE}.
   * @throws NetError `NET_ERR_FRAME_TOO_LARGE` or `NET_ERR_FRAME_CORRUPT`
   */
  frameLength(bytes: Uint8Array, start: number, end: number): number;
  /**
   * Writes the head and tail of a frame whose body of `bodyLength` bytes was written at
   * `frameStart + headLength`. There is room for {@link tailLength} bytes after the body.
   * @returns the frame's length on the wire
   * @throws NetError `NET_ERR_FRAME_TOO_LARGE` or `NET_ERR_ENCODE`
   */
  seal(bytes: Uint8Array, frameStart: number, bodyLength: number): number;
  /** Forgets progress on a partly received frame (for example after the stream was reset). */
  reset(): void;
  /** A fresh framer with the same configuration and no progress. */
  clone(): Framer;
  /** A short description of the configuration, for logs and errors. */
  toString(): string;
  /**
   * The configuration as plain data, for a thread that rebuilds this framer with
   * `framerFromDescription` (a poller thread). Every built-in framer has it; a user framer without
   * it cannot be handed to another thread.
   */
  describe?(): FramerDescription;
}
