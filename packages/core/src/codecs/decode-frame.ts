import { ErrorCode } from '../errors/error-codes.js';
import { hexPreview } from '../errors/hex-preview.js';
import { NetError } from '../errors/net-error.js';
import type { Codec, FrameSlice } from './codec.js';

/**
 * Decodes one whole frame with `codec`, as every reader does: whatever the codec throws, and a
 * codec that returns `undefined`, becomes `NET_ERR_DECODE` with the codec's error as its `cause`
 * and a hex preview of the frame. The frame is consumed either way, so a reader goes on with the
 * next one. Nothing is allocated unless the decode fails.
 * @throws NetError `NET_ERR_DECODE`
 */
export function decodeFrame<Recv>(codec: Codec<unknown, Recv>, frame: FrameSlice): Recv {
  let message: Recv;
  try {
    message = codec.decode(frame);
  } catch (error) {
    throw decodeError(frame, error);
  }
  if (message === undefined) throw decodeError(frame, new TypeError('codec.decode returned undefined'));
  return message;
}

/**
 * The `NET_ERR_DECODE` of a frame that did not decode, as {@link decodeFrame} throws it: `cause` is
 * what the codec threw (or why its result was refused).
 */
export function decodeError(frame: FrameSlice, cause: unknown): NetError {
  const body = frame.bytes.subarray(frame.offset, frame.offset + frame.length);
  const reason = NetError.isNetError(cause) ? cause.message : cause instanceof Error ? cause.message : String(cause);
  return new NetError(
    ErrorCode.DECODE,
    `cannot decode frame of ${body.length} bytes: ${reason} [${hexPreview(body)}]`,
    {
      cause,
      details: { length: body.length, frame: hexPreview(body) },
    },
  );
}
