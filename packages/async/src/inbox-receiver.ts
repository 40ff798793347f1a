import {
  END_OF_STREAM,
  ErrorCode,
  FrameInbox,
  type InboxConsumer,
  InboxReceiverBase,
  type InboxReceiverOptions,
  NetError,
  type SharedFrameInbox,
  WOULD_BLOCK,
} from '@net/core';
import type { RecvOptions } from './message-inbox.js';
import { RecvIterator } from './recv-iterator.js';

/**
 * The typed consumer of a `FrameInbox` (from `@net/core`) in this flavour's style, as a
 * `CltReceiver` is of a connection: `await recv()` resolves with the next message decoded with the
 * codec, or `undefined` once the producer closed the inbox and every message was taken; `for
 * await` runs until then. The wait is on the event loop (`Atomics.waitAsync`): the thread goes on
 * with other work meanwhile, and the process stays alive exactly while a receive waits (unless
 * {@link unref} was called), so a program ends by itself once its producer closes the inbox.
 *
 * ```ts
 * const receiver = InboxReceiver.attach(shared, { codec }); // shared: FrameInbox.share() of another thread
 * for await (const message of receiver) handle(message);
 * ```
 *
 * A frame that does not decode rejects its `recv` with `NET_ERR_DECODE`, and the next `recv` gets
 * the frame after it. With a codec whose messages borrow the frame (`borrowsFrame`), a message is
 * valid until the next `recv` or `close()`. The inbox has one reader, so one `recv` waits at a
 * time: await each before the next.
 */
export class InboxReceiver<Recv> extends InboxReceiverBase<Recv> {
  private _waiting = false;

  /**
   * Attaches this thread as the consumer of `shared` (what `FrameInbox.share()` returned on
   * another thread) and reads it with `options.codec`.
   * @throws NetError `NET_ERR_INVALID_ARGUMENT` as `FrameInbox.attach`, and for a codec without `decode`
   */
  static attach<Recv>(shared: SharedFrameInbox, options: InboxReceiverOptions<Recv>): InboxReceiver<Recv> {
    return new InboxReceiver(FrameInbox.attach(shared, 'consumer'), options);
  }

  /** Reads `consumer`, attached on this thread (`inbox.consumer()`), with `options.codec`. */
  constructor(consumer: InboxConsumer, options: InboxReceiverOptions<Recv>) {
    super(consumer, options);
  }

  /**
   * The next message, or `undefined` once the producer closed the inbox and every message was
   * taken. A timeout or an abort takes nothing: the next call gets the message.
   * @throws NetError (as a rejection) `NET_ERR_TIMEOUT` past `timeout`, `NET_ERR_ABORTED` when
   * `signal` aborts, `NET_ERR_DECODE` (that frame is consumed: the next call reads on),
   * `NET_ERR_CLOSED` after this receiver's `close()`, `NET_ERR_INVALID_ARGUMENT` for a bad timeout
   * or while another `recv` of this receiver still waits
   */
  recv(options?: RecvOptions): Promise<Recv | undefined> {
    // A message already there is taken at once, in one settled promise: no wait, and none of the
    // promises and suspended calls of the waiting path (some hundreds of bytes per message).
    if (options === undefined && !this._waiting) {
      try {
        const frame = this.consumer.tryRead();
        if (frame !== WOULD_BLOCK) return Promise.resolve(frame === END_OF_STREAM ? undefined : this.decode(frame));
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return this._recvWaiting(options);
  }

  private async _recvWaiting(options: RecvOptions | undefined): Promise<Recv | undefined> {
    if (this._waiting) {
      throw new NetError(
        ErrorCode.INVALID_ARGUMENT,
        'InboxReceiver.recv: another recv still waits; an inbox has one reader, so await each recv before the next',
      );
    }
    this._waiting = true;
    try {
      const frame = await this.consumer.read(options?.timeout ?? Infinity, options?.signal);
      return frame === END_OF_STREAM ? undefined : this.decode(frame);
    } finally {
      this._waiting = false;
    }
  }

  /** Receives every message until the producer closes the inbox (each as {@link recv}). */
  [Symbol.asyncIterator](): AsyncIterableIterator<Recv> {
    return new RecvIterator(() => this.recv());
  }

  /**
   * Lets the process end while a receive waits with nothing else to do (as `timer.unref()`). Not
   * on Bun, whose `Atomics.waitAsync` holds the process by itself.
   */
  unref(): this {
    this.consumer.unref();
    return this;
  }

  /** Keeps the process alive while a receive waits (the default). */
  ref(): this {
    this.consumer.ref();
    return this;
  }
}
