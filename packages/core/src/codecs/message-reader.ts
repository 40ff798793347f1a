import { FrameAccumulator, type FrameAccumulatorOptions } from '../buffers/frame-accumulator.js';
import { ErrorCode } from '../errors/error-codes.js';
import { NetError } from '../errors/net-error.js';
import type { Codec } from './codec.js';
import { decodeError } from './decode-frame.js';

/**
 * The receive path of one connection: a {@link FrameAccumulator} (with its own clone of the codec's
 * framer) and the codec's decode.
 *
 * Errors keep the stream usable where that is possible: a frame that does not decode has already
 * been consumed when `NET_ERR_DECODE` is thrown, so the next call reads the next frame (as links
 * does). A framing error (`NET_ERR_FRAME_TOO_LARGE`, `NET_ERR_FRAME_CORRUPT`) leaves no way to find
 * the next frame, so the reader stays failed and rethrows it: the connection must be closed.
 */
export class MessageReader<Recv> {
  /** The bytes-to-frames stage; feed it with `reserve`/`commit` or `push`. */
  readonly accumulator: FrameAccumulator;
  private readonly _codec: Codec<unknown, Recv>;
  private _failure: NetError | undefined;

  constructor(codec: Codec<unknown, Recv>, options: FrameAccumulatorOptions = {}) {
    // A codec with per-connection state (views) gets its own instance for this connection.
    this._codec = codec.forConnection !== undefined ? codec.forConnection(false) : codec;
    this.accumulator = new FrameAccumulator(codec.framer.clone(), { views: codec.usesView !== false, ...options });
  }

  /** The framing error that stopped this reader, if one did. */
  get failure(): NetError | undefined {
    return this._failure;
  }

  /** The connection closed: messages the codec lent out (views) expire. */
  release(): void {
    this._codec.release?.();
  }

  /** Whether {@link handOut} has anything to do: the codec tracks which queued message the user holds. */
  get tracksHandOut(): boolean {
    return this._codec.handOut !== undefined;
  }

  /** A message this reader decoded earlier (and that was queued) goes to the user now. */
  handOut(message: Recv): void {
    this._codec.handOut?.(message);
  }

  /**
   * The next whole message, or `undefined` when more bytes are needed.
   * @throws NetError `NET_ERR_DECODE` (recoverable: call again), or a framing error (fatal)
   */
  next(): Recv | undefined {
    if (this._failure !== undefined) throw this._failure;
    let found: boolean;
    try {
      found = this.accumulator.nextFrame();
    } catch (error) {
      this._failure = NetError.isNetError(error)
        ? error
        : new NetError(ErrorCode.FRAME_CORRUPT, 'framer failed', { cause: error });
      this.accumulator.clear();
      throw this._failure;
    }
    if (!found) return undefined;
    // decodeFrame's work, in place: a function with a try block is never inlined on Bun, so the
    // call was one more per message there.
    const frame = this.accumulator.frame;
    let message: Recv;
    try {
      message = this._codec.decode(frame);
    } catch (error) {
      throw decodeError(frame, error);
    }
    if (message === undefined) throw decodeError(frame, new TypeError('codec.decode returned undefined'));
    return message;
  }
}
