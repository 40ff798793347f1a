import { ErrorCode, NetError } from '@net/core';
import {
  type CallOptions,
  END_OF_STREAM,
  FrameInbox,
  type IdleStrategy,
  type InboxConsumer,
  InboxReceiverBase,
  type InboxReceiverOptions as BaseOptions,
  type RecvResult,
  type SharedFrameInbox,
  WOULD_BLOCK,
} from '@net/sync';
import { deadlineAfter, deadlineOf, idleStep, noteThisConsumer, ONE_ATTEMPT } from '@net/sync/internal';

/** Options of a non-blocking {@link InboxReceiver}. */
export interface InboxReceiverOptions<Recv> extends BaseOptions<Recv> {
  /** How a receive with a timeout waits between attempts (as a connection's); default `'spin'`. */
  readonly idleStrategy?: IdleStrategy;
}

/**
 * The typed consumer of a `FrameInbox` in this flavour's style, as a `CltReceiver` is of a
 * connection: `recv()` makes one attempt and returns the next message decoded with the codec,
 * {@link WOULD_BLOCK} when the inbox is empty, or {@link END_OF_STREAM} (`undefined`) once the
 * producer closed it and every message was taken; with a `timeout` (or `recvBusywait...`) it spins
 * by the `idleStrategy`. Nothing is allocated per message beyond what the codec's `decode` makes.
 *
 * ```ts
 * const receiver = InboxReceiver.attach(shared, { codec }); // shared: FrameInbox.share() of another thread
 * const message = receiver.recv(); // a message, WOULD_BLOCK or END_OF_STREAM (undefined)
 * ```
 *
 * A frame that does not decode fails its `recv` with `NET_ERR_DECODE`, and the next `recv` gets
 * the frame after it. With a codec whose messages borrow the frame (`borrowsFrame`), a message is
 * valid until the next `recv` or `close()`.
 */
export class InboxReceiver<Recv> extends InboxReceiverBase<Recv> {
  private readonly _idleStrategy: IdleStrategy;

  /**
   * Attaches this thread as the consumer of `shared` (what `FrameInbox.share()` returned on
   * another thread) and reads it with `options.codec`.
   * @throws NetError `NET_ERR_INVALID_ARGUMENT` as `FrameInbox.attach`, and for bad options
   */
  static attach<Recv>(shared: SharedFrameInbox, options: InboxReceiverOptions<Recv>): InboxReceiver<Recv> {
    const receiver = new InboxReceiver(FrameInbox.attach(shared, 'consumer'), options);
    // A PollerThread filling the inbox lets the connection go if this thread ends without closing.
    noteThisConsumer(shared);
    return receiver;
  }

  /**
   * Reads `consumer`, attached on this thread (`inbox.consumer()` on the thread that created the
   * inbox), with `options.codec`.
   * @throws NetError `NET_ERR_INVALID_ARGUMENT` for a codec without `decode` or an unknown `idleStrategy`
   */
  constructor(consumer: InboxConsumer, options: InboxReceiverOptions<Recv>) {
    super(consumer, options);
    const idleStrategy = options.idleStrategy ?? 'spin';
    if (idleStrategy !== 'spin' && idleStrategy !== 'spin-yield' && idleStrategy !== 'spin-park') {
      throw new NetError(
        ErrorCode.INVALID_ARGUMENT,
        `idleStrategy must be 'spin', 'spin-yield' or 'spin-park', got ${String(idleStrategy)}`,
        { details: { option: 'idleStrategy', value: idleStrategy } },
      );
    }
    this._idleStrategy = idleStrategy;
  }

  /**
   * The next message; {@link WOULD_BLOCK} when none came within `timeout` (default 0: one attempt;
   * a spin for longer); {@link END_OF_STREAM} (`undefined`) once the producer closed the inbox and
   * every message was taken.
   * @throws NetError `NET_ERR_DECODE` (that frame is consumed: the next call reads on),
   * `NET_ERR_CLOSED` after this receiver's `close()`, `NET_ERR_INVALID_ARGUMENT` for a bad timeout
   */
  recv(options?: CallOptions): RecvResult<Recv> {
    return this._recv(deadlineOf(options, 0));
  }

  /** links' name for `recv({ timeout: timeoutMs })`. */
  recvBusywaitTimeout(timeoutMs: number): RecvResult<Recv> {
    return this._recv(deadlineAfter(timeoutMs, 'timeoutMs'));
  }

  /** links' name for `recv({ timeout: Infinity })`: a message, or {@link END_OF_STREAM}. */
  recvBusywait(): Recv | typeof END_OF_STREAM {
    return this._recv(Infinity) as Recv | typeof END_OF_STREAM;
  }

  private _recv(deadline: number): RecvResult<Recv> {
    const consumer = this.consumer;
    for (let attempt = 0; ; attempt++) {
      const frame = consumer.tryRead();
      if (frame === END_OF_STREAM) return END_OF_STREAM;
      if (frame !== WOULD_BLOCK) return this.decode(frame);
      if (deadline === ONE_ATTEMPT || (deadline !== Infinity && performance.now() >= deadline)) return WOULD_BLOCK;
      idleStep(this._idleStrategy, attempt);
    }
  }
}
