import type { AddressInput } from '@net/core';
import { connectSync, SyncCltBase, END_OF_STREAM, idleStep, type RecvResult, type ResolvedSyncOptions, type SendStatus, type SyncConnection, WOULD_BLOCK } from '@net/sync';
import { CltReceiver, CltSender, splitClt } from './clt-halves.js';
import type { Poller, ReceiverHandlers } from './poller.js';
import type { CltOptions } from './options.js';

/**
 * A connection whose calls never park the thread: `send` and `recv` make one attempt and return a
 * status at once; the `...Busywait` variants spin (running heartbeats and deadlines as they do)
 * until done or until their timeout. The data path is this thread's own non-blocking system calls
 * on the socket: no event loop turn, no worker hop, no Promise.
 *
 * ```ts
 * const clt = Clt.connect('127.0.0.1:8080', { codec });
 * clt.sendBusywait({ type: 'ping' });
 * const reply = clt.recvBusywaitTimeout(1_000); // a message, WOULD_BLOCK or END_OF_STREAM
 * clt.close();
 * ```
 */
export class Clt<Send, Recv> extends SyncCltBase<Send, Recv> {
  /**
   * Connects to `address`, retrying every `retryAfter` ms until `timeout`, and completes the
   * protocol handshake, all before it returns.
   * @throws NetError `NET_ERR_CONNECT_TIMEOUT` (the last attempt's error as cause), `NET_ERR_HANDSHAKE`,
   * `NET_ERR_RESOLVE` (a host name that does not resolve), `NET_ERR_INVALID_ARGUMENT`, `NET_ERR_UNSUPPORTED` (Windows, or a Node without the internals used)
   */
  static connect<Send, Recv>(address: AddressInput, options: CltOptions<Send, Recv>): Clt<Send, Recv> {
    const { connection, resolved } = connectSync(address, options, completeHandshake);
    return new Clt(connection, resolved);
  }

  /** One attempt: `'completed'` when the whole frame was written, `'wouldBlock'` when none of it could be. */
  send(message: Send): SendStatus {
    this.connection.pollTimers();
    return this.connection.sendUntil(message, -1) ? 'completed' : 'wouldBlock';
  }

  /** Spins until the frame is written or `timeoutMs` passes (then `'wouldBlock'`, nothing written). */
  sendBusywaitTimeout(message: Send, timeoutMs: number): SendStatus {
    return this.connection.sendUntil(message, performance.now() + timeoutMs) ? 'completed' : 'wouldBlock';
  }

  /** Spins until the frame is written. */
  sendBusywait(message: Send): 'completed' {
    this.connection.sendUntil(message, Infinity);
    return 'completed';
  }

  /**
   * One attempt to send `messages` in a single write (write coalescing: one system call for many
   * small frames, the way to stream): `'completed'` when every frame was written, `'wouldBlock'`
   * when none could be. An encode error sends none of them.
   */
  sendMany(messages: readonly Send[]): SendStatus {
    this.connection.pollTimers();
    return this.connection.sendManyUntil(messages, -1) ? 'completed' : 'wouldBlock';
  }

  /** Spins {@link sendMany} until every frame is written. */
  sendManyBusywait(messages: readonly Send[]): 'completed' {
    this.connection.sendManyUntil(messages, Infinity);
    return 'completed';
  }

  /** One attempt: a message, {@link WOULD_BLOCK}, or {@link END_OF_STREAM} once the peer closed cleanly. */
  recv(): RecvResult<Recv> {
    this.connection.pollTimers();
    return this.connection.recvOnce();
  }

  /** Spins until a message arrives or `timeoutMs` passes (then {@link WOULD_BLOCK}). */
  recvBusywaitTimeout(timeoutMs: number): RecvResult<Recv> {
    return recvUntil(this.connection, performance.now() + timeoutMs, this.resolved);
  }

  /** Spins until a message arrives or the stream ends. */
  recvBusywait(): Recv | typeof END_OF_STREAM {
    return recvUntil(this.connection, Infinity, this.resolved) as Recv | typeof END_OF_STREAM;
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
   * the poller finds them, and the returned sender stays synchronous in your hands.
   */
  intoSenderWithSpawnedReceiver(poller: Poller, handlers: ReceiverHandlers<Recv>): CltSender<Send, Recv> {
    const { sender, receiver } = this.split();
    poller.addReceiver(this, {
      onMessage: handlers.onMessage,
      onEnd: (reason, conId) => {
        receiver.close();
        handlers.onEnd?.(reason, conId);
      },
    });
    return sender;
  }

}

/** Spins the connection until its handshake is done; throws (and closes) when it fails. */
export function completeHandshake<Send, Recv>(connection: SyncConnection<Send, Recv>, resolved: ResolvedSyncOptions): SyncConnection<Send, Recv> {
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
export function recvUntil<Send, Recv>(connection: SyncConnection<Send, Recv>, deadline: number, resolved: ResolvedSyncOptions): RecvResult<Recv> {
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
