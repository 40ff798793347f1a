import type { Codec, FrameSlice } from '../codecs/codec.js';
import { ErrorCode } from '../errors/error-codes.js';
import { NetError } from '../errors/net-error.js';
import { BodyViews } from '../codecs/body-views.js';
import { decodeFrame } from '../codecs/decode-frame.js';
import type { InboxConsumer } from './inbox-consumer.js';
import { ScratchFrame } from './scratch-frame.js';

/** Options every flavour's `InboxReceiver` takes. */
export interface InboxReceiverOptions<Recv> {
  /**
   * Decodes each frame into a message (only its `decode` and `borrowsFrame` are used, so a
   * connection's `Codec<Send, Recv>` serves as it is). The frames are whole bodies, as a framer
   * hands them to `decode`: the inbox carries no frame heads.
   */
  readonly codec: Codec<unknown, Recv>;
}

/**
 * What every flavour's `InboxReceiver` shares: the consumer side of a {@link FrameInbox} and the
 * codec that turns its frames into messages, each flavour adding its own way of waiting.
 *
 * A frame that does not decode fails that one receive with `NET_ERR_DECODE` (the codec's error as
 * `cause`) and is consumed: the next receive gets the frame after it. A message decoded by a codec
 * whose messages borrow the frame (`borrowsFrame`, a bytes codec without `copy`) points into memory
 * this receiver reuses (the inbox's, or for a bytes codec's small frames a place of its own; see
 * `ScratchFrame`): it stays valid until the next receive or `close()`, so copy what must outlive it.
 * Each receiver decodes with its own instance of the codec (`forConnection`), as a connection does.
 */
export abstract class InboxReceiverBase<Recv> {
  /** The inbox side this receiver reads. */
  protected readonly consumer: InboxConsumer;
  /** The codec of {@link InboxReceiverOptions}. */
  protected readonly codec: Codec<unknown, Recv>;
  // This receiver's own decoding instance (`forConnection`), as a connection's reader has: a view
  // codec's reused view belongs to one receiver, so a receive on another receiver of the same
  // codec never moves or expires it.
  private readonly _decoder: Codec<unknown, Recv>;
  // Where a bytes codec's small frames are decoded from (see `ScratchFrame`); none for other codecs.
  private readonly _scratch: ScratchFrame | undefined;

  /**
   * Reads `consumer` (attached on this thread) with `options.codec`.
   * @throws NetError `NET_ERR_INVALID_ARGUMENT` for a consumer that is not an `InboxConsumer` or a
   * codec without `decode`
   */
  constructor(consumer: InboxConsumer, options: InboxReceiverOptions<Recv>) {
    if (typeof (consumer as Partial<InboxConsumer> | null)?.tryRead !== 'function') {
      throw new NetError(
        ErrorCode.INVALID_ARGUMENT,
        'InboxReceiver reads an InboxConsumer (FrameInbox.attach(shared, "consumer"))',
      );
    }
    const codec = (options as Partial<InboxReceiverOptions<Recv>> | null)?.codec;
    if (typeof codec?.decode !== 'function') {
      throw new NetError(ErrorCode.INVALID_ARGUMENT, 'InboxReceiver takes { codec }, a codec with decode()', {
        details: { option: 'codec' },
      });
    }
    this.consumer = consumer;
    this.codec = codec;
    this._decoder = codec.forConnection !== undefined ? codec.forConnection(false) : codec;
    this._scratch = this._decoder instanceof BodyViews ? new ScratchFrame() : undefined;
  }

  /** True when the codec's messages point into the inbox (valid until the next receive). */
  get borrowsFrame(): boolean {
    return this.codec.borrowsFrame === true;
  }

  /** True once either side closed the inbox (messages written before a producer's close are still received). */
  get closed(): boolean {
    return this.consumer.closed;
  }

  /** How many times the producer found the inbox full (see `InboxProducer.stalls`). */
  get stalls(): number {
    return this.consumer.stalls;
  }

  /**
   * Closes the inbox's reading side (see `InboxConsumer.close`): the producer's writes fail with
   * `NET_ERR_CLOSED` from now on, and so do this receiver's receives. Idempotent.
   */
  close(): void {
    this.consumer.close();
    // Views still lent out expire, and the inbox's memory is no longer reachable through them.
    this._decoder.release?.();
  }

  /** The message in `frame`, or `NET_ERR_DECODE`; the frame is consumed either way. */
  protected decode(frame: FrameSlice): Recv {
    const scratch = this._scratch;
    return decodeFrame(this._decoder, scratch === undefined ? frame : scratch.take(frame));
  }
}
