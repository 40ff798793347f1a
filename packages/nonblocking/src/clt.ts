import type { AddressInput } from '@net/core';
import {
  type CallOptions,
  type END_OF_STREAM,
  type RecvResult,
  type SendStatus,
  SyncCltBase,
  WOULD_BLOCK,
} from '@net/sync';
import {
  connectSync,
  deadlineAfter,
  deadlineOf,
  idleStep,
  ONE_ATTEMPT,
  type ResolvedSyncOptions,
  type SyncConnection,
} from '@net/sync/internal';
import { type CltReceiver, type CltSender, splitClt } from './clt-halves.js';
import type { Poller, ReceiverHandlers } from './poller.js';
import type { CltOptions } from './options.js';

/**
 * A connection whose calls never park the thread: `send` and `recv` make one attempt and return a
 * status at once; with a `timeout` (or through links' `...Busywait` names) they spin, running
 * heartbeats and deadlines as they do, until done or until the timeout. The data path is this
 * thread's own non-blocking system calls on the socket: no event loop turn, no worker hop, no
 * Promise.
 *
 * ```ts
 * const clt = Clt.connect('127.0.0.1:8080', { codec });
 * clt.send({ type: 'ping' }, { timeout: Infinity });
 * const reply = clt.recv({ timeout: 1_000 }); // a message, WOULD_BLOCK or END_OF_STREAM (undefined)
 * clt.close();
 * ```
 */
export class Clt<Send, Recv> extends SyncCltBase<Send, Recv> {
  /**
   * Connects to `address`, retrying every `retryAfter` ms until `timeout`, and completes the
   * protocol handshake, all before it returns.
   * @throws NetError `NET_ERR_CONNECT_TIMEOUT` (the last attempt's error as cause), `NET_ERR_HANDSHAKE`,
   * `NET_ERR_RESOLVE` (a host name that does not resolve), `NET_ERR_INVALID_ARGUMENT`,
   * `NET_ERR_UNSUPPORTED` (Windows, or a Node without the internals used)
   */
  static connect<Send, Recv>(address: AddressInput, options: CltOptions<Send, Recv>): Clt<Send, Recv> {
    const { connection, resolved } = connectSync(address, options, completeHandshake);
    return new Clt(connection, resolved);
  }

  /**
   * Sends `message`: `'completed'` once the whole frame is written, `'wouldBlock'` when none of it
   * could be within `timeout` (default 0: one attempt; a spin, running timers, for longer). A frame
   * the kernel took only part of is always finished before the call returns.
   * @throws NetError `NET_ERR_CLOSED`, `NET_ERR_BACKPRESSURE` (the peer took nothing for
   * `writeStallTimeout`), socket errors, encode errors
   */
  send(message: Send, options?: CallOptions): SendStatus {
    const deadline = deadlineOf(options, 0);
    if (deadline === ONE_ATTEMPT) this.connection.pollTimers();
    return this.connection.sendUntil(message, deadline) ? 'completed' : 'wouldBlock';
  }

  /**
   * Sends `messages` in a single write (write coalescing: one system call for many small frames,
   * the way to stream): `'completed'` when every frame was written, `'wouldBlock'` when none could
   * be within `timeout` (default 0). An encode error sends none of them.
   */
  sendMany(messages: readonly Send[], options?: CallOptions): SendStatus {
    const deadline = deadlineOf(options, 0);
    if (deadline === ONE_ATTEMPT) this.connection.pollTimers();
    return this.connection.sendManyUntil(messages, deadline) ? 'completed' : 'wouldBlock';
  }

  /**
   * The next message; {@link WOULD_BLOCK} when none came within `timeout` (default 0: one attempt;
   * a spin, running timers, for longer); {@link END_OF_STREAM} (`undefined`) once the peer closed
   * cleanly and every message was taken.
   * @throws NetError a decode error (the next call reads on), or the reason the connection failed
   */
  recv(options?: CallOptions): RecvResult<Recv> {
    return this._recv(deadlineOf(options, 0));
  }

  /** links' name for `send(message, { timeout: timeoutMs })`. */
  sendBusywaitTimeout(message: Send, timeoutMs: number): SendStatus {
    const deadline = deadlineAfter(timeoutMs, 'timeoutMs');
    if (deadline === ONE_ATTEMPT) this.connection.pollTimers();
    return this.connection.sendUntil(message, deadline) ? 'completed' : 'wouldBlock';
  }

  /** links' name for `send(message, { timeout: Infinity })`. */
  sendBusywait(message: Send): 'completed' {
    this.connection.sendUntil(message, Infinity);
    return 'completed';
  }

  /** links' name for `sendMany(messages, { timeout: Infinity })`. */
  sendManyBusywait(messages: readonly Send[]): 'completed' {
    this.connection.sendManyUntil(messages, Infinity);
    return 'completed';
  }

  /** links' name for `recv({ timeout: timeoutMs })`. */
  recvBusywaitTimeout(timeoutMs: number): RecvResult<Recv> {
    return this._recv(deadlineAfter(timeoutMs, 'timeoutMs'));
  }

  /** links' name for `recv({ timeout: Infinity })`: a message, or {@link END_OF_STREAM}. */
  recvBusywait(): Recv | typeof END_OF_STREAM {
    return recvUntil(this.connection, Infinity, this.resolved) as Recv | typeof END_OF_STREAM;
  }

  private _recv(deadline: number): RecvResult<Recv> {
    if (deadline !== ONE_ATTEMPT) return recvUntil(this.connection, deadline, this.resolved);
    this.connection.pollTimers();
    return this.connection.recvOnce();
  }

  /**
   * Splits into a sender and a receiver for different parts of a program; each half can be shared
   * further, and the connection closes when the last holder of either half closes.
   */
  split(): { sender: CltSender<Send, Recv>; receiver: CltReceiver<Send, Recv> } {
    return splitClt(this);
  }

  /**
   * Hands the receiving side to `poller` (links' spawned receiver): messages go to `handlers` as
   * the poller finds them, and the returned sender stays synchronous in your hands. A spawned
   * poller keeps the process alive while it reads this connection; the poller holds the receiving
   * half, so closing only the sender leaves the connection open: close this `Clt` to end it.
   */
  intoSenderWithSpawnedReceiver(poller: Poller, handlers: ReceiverHandlers<Recv>): CltSender<Send, Recv> {
    const { sender, receiver } = this.split();
    const onError = handlers.onError?.bind(handlers);
    poller.addReceiver(this, {
      onMessage: handlers.onMessage,
      onEnd: (reason, conId) => {
        receiver.close();
        handlers.onEnd?.(reason, conId);
      },
      ...(onError === undefined ? {} : { onError }),
    });
    return sender;
  }
}

/** Spins the connection until its handshake is done; throws (and closes) when it fails. */
export function completeHandshake<Send, Recv>(
  connection: SyncConnection<Send, Recv>,
  resolved: ResolvedSyncOptions,
): SyncConnection<Send, Recv> {
  connection.driver.start();
  for (let attempt = 0; ; attempt++) {
    connection.pollTimers();
    if (connection.stepHandshake()) return connection;
    idleStep(resolved.idleStrategy, attempt);
  }
}

// Attempts of a receive spin between two polls of the timers, minus one (a power of two).
const TIMER_POLL_MASK = 7;

/** Spins receives until a message, the end of stream, or `deadline`. */
export function recvUntil<Send, Recv>(
  connection: SyncConnection<Send, Recv>,
  deadline: number,
  resolved: ResolvedSyncOptions,
): RecvResult<Recv> {
  for (let attempt = 0; ; attempt++) {
    // Timers are due in milliseconds and an empty poll takes about two microseconds, so every
    // eighth attempt is often enough; reading the clock on every one added to the round trip.
    if ((attempt & TIMER_POLL_MASK) === 0) connection.pollTimers();
    const result = connection.recvOnce();
    if (result !== WOULD_BLOCK) return result;
    if (deadline !== Infinity && performance.now() >= deadline) return WOULD_BLOCK;
    idleStep(resolved.idleStrategy, attempt);
  }
}
