import { ErrorCode, NetError } from '@net/core';
import {
  type CallOptions,
  END_OF_STREAM,
  FrameInbox,
  InboxReceiverBase,
  type InboxReceiverOptions,
  type RecvResult,
  type SharedFrameInbox,
  WOULD_BLOCK,
} from '@net/sync';
import { noteThisConsumer } from '@net/sync/internal';

/**
 * The typed consumer of a `FrameInbox` in this flavour's style, as a `CltReceiver` is of a
 * connection: `recv()` parks the thread (`Atomics.wait`) until the producer writes the next
 * message, which it returns decoded with the codec, or until the producer closes the inbox
 * ({@link END_OF_STREAM}, `undefined`, once every message was taken). Past its `timeout` it fails
 * with `NET_ERR_TIMEOUT`, taking nothing; `tryRecv` returns `WOULD_BLOCK` instead. Nothing is
 * allocated per message beyond what the codec's `decode` makes.
 *
 * ```ts
 * const receiver = InboxReceiver.attach(shared, { codec }); // shared: FrameInbox.share() of another thread
 * for (const message of receiver) handle(message); // ends when the producer closes the inbox
 * ```
 *
 * A frame that does not decode fails its `recv` with `NET_ERR_DECODE`, and the next `recv` gets
 * the frame after it. With a codec whose messages borrow the frame (`borrowsFrame`), a message is
 * valid until the next `recv` or `close()`.
 */
export class InboxReceiver<Recv> extends InboxReceiverBase<Recv> {
  /**
   * Attaches this thread as the consumer of `shared` (what `FrameInbox.share()` returned on
   * another thread) and reads it with `options.codec`.
   * @throws NetError `NET_ERR_INVALID_ARGUMENT` as `FrameInbox.attach`, and for a codec without `decode`
   */
  static attach<Recv>(shared: SharedFrameInbox, options: InboxReceiverOptions<Recv>): InboxReceiver<Recv> {
    const receiver = new InboxReceiver(FrameInbox.attach(shared, 'consumer'), options);
    // A PollerThread filling the inbox lets the connection go if this thread ends without closing.
    noteThisConsumer(shared);
    return receiver;
  }

  /**
   * The next message, parking the thread until it is written; {@link END_OF_STREAM} (`undefined`)
   * once the producer closed the inbox and every message was taken.
   * @throws NetError `NET_ERR_TIMEOUT` when none came within `timeout` (default `Infinity`; nothing
   * is taken, the next call gets it), `NET_ERR_DECODE` (that frame is consumed: the next call reads
   * on), `NET_ERR_CLOSED` after this receiver's `close()`, `NET_ERR_INVALID_ARGUMENT` for a bad timeout
   */
  recv(options?: CallOptions): Recv | typeof END_OF_STREAM {
    const frame = this.consumer.readWait(options?.timeout ?? Infinity);
    return frame === END_OF_STREAM ? END_OF_STREAM : this.decode(frame);
  }

  /**
   * A receive that never throws for time: a message, `WOULD_BLOCK` when none came within `timeout`
   * (default 0: one attempt), or {@link END_OF_STREAM}, as `@net/nonblocking`'s `recv`.
   * @throws NetError as {@link recv}, except `NET_ERR_TIMEOUT`
   */
  tryRecv(options?: CallOptions): RecvResult<Recv> {
    const timeout = options?.timeout ?? 0;
    let frame;
    if (timeout === 0) {
      frame = this.consumer.tryRead();
    } else {
      try {
        frame = this.consumer.readWait(timeout);
      } catch (error) {
        // Only the end of the wait becomes a status; the error is made once, at the timeout.
        if (NetError.isNetError(error) && error.code === ErrorCode.TIMEOUT) return WOULD_BLOCK;
        throw error;
      }
    }
    if (frame === END_OF_STREAM || frame === WOULD_BLOCK) return frame;
    return this.decode(frame);
  }

  /** Receives every message until the producer closes the inbox (each as {@link recv}). */
  *[Symbol.iterator](): Iterator<Recv> {
    for (let message = this.recv(); message !== END_OF_STREAM; message = this.recv()) yield message;
  }
}
