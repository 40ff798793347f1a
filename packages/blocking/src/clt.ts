import type { AddressInput, NetError } from '@net/core';
import { type CallOptions, END_OF_STREAM, type RecvResult, type SendStatus, SyncCltBase, WOULD_BLOCK } from '@net/sync';
import { connectSync, deadlineOf, type ResolvedSyncOptions, type SyncConnection, timedOut } from '@net/sync/internal';
import { type CltReceiver, type CltSender, splitClt } from './clt-halves.js';
import type { CltOptions } from './options.js';
import { recvParked } from './wait.js';

/**
 * A connection whose every call runs to completion before it returns, like a socket in C, Python
 * or Rust's `std::net`: `send` returns when the frame is written, `recv` parks the thread in the
 * kernel until the next message arrives, and returns `END_OF_STREAM` (`undefined`) at a clean end
 * of stream. Every call takes an optional `timeout`; past it the call fails with `NET_ERR_TIMEOUT`
 * and the connection stays usable, with nothing lost or delivered late to a later call. The
 * `try...` calls return `@net/nonblocking`'s statuses instead (`timeout` 0 by default: one attempt).
 *
 * ```ts
 * const clt = Clt.connect('127.0.0.1:8080', { codec });
 * clt.send({ type: 'ping' });
 * const reply = clt.recv({ timeout: 1_000 });
 * clt.close();
 * ```
 */
export class Clt<Send, Recv> extends SyncCltBase<Send, Recv> {
  /**
   * Connects to `address`, retrying every `retryAfter` ms until `timeout`, and completes the
   * protocol handshake before it returns.
   * @throws NetError `NET_ERR_CONNECT_TIMEOUT`, `NET_ERR_HANDSHAKE`, `NET_ERR_RESOLVE` (a host name
   * that does not resolve), `NET_ERR_INVALID_ARGUMENT`, `NET_ERR_UNSUPPORTED`
   */
  static connect<Send, Recv>(address: AddressInput, options: CltOptions<Send, Recv>): Clt<Send, Recv> {
    const { connection, resolved } = connectSync(address, options, handshake);
    return new Clt(connection, resolved);
  }

  /**
   * Sends `message`, returning when its whole frame is written.
   * @throws NetError `NET_ERR_TIMEOUT` when no room came within `timeout` (nothing was written; the
   * connection stays usable), `NET_ERR_CLOSED`, `NET_ERR_BACKPRESSURE`, socket errors, encode errors
   */
  send(message: Send, options?: CallOptions): void {
    if (this._send(message, false, deadlineOf(options, Infinity)) !== 'completed')
      throw timedOut(`${String(this.conId)} send`, options);
  }

  /**
   * Sends `messages` in a single write where the socket takes it (write coalescing: one system
   * call for many small frames), returning when every frame is written. An encode error sends none.
   * @throws NetError as {@link send}; on a timeout none of them was written
   */
  sendMany(messages: readonly Send[], options?: CallOptions): void {
    if (this._send(messages, true, deadlineOf(options, Infinity)) !== 'completed')
      throw timedOut(`${String(this.conId)} send`, options);
  }

  /**
   * The next message, parking until it arrives; {@link END_OF_STREAM} (`undefined`) once the peer
   * closed cleanly.
   * @throws NetError `NET_ERR_TIMEOUT` (the connection stays usable), `NET_ERR_DECODE` (the next
   * call reads on), or the reason the connection failed
   */
  recv(options?: CallOptions): Recv | typeof END_OF_STREAM {
    const result = this._recv(deadlineOf(options, Infinity));
    if (result === WOULD_BLOCK) throw timedOut(`${String(this.conId)} recv`, options);
    return result;
  }

  /**
   * A send that never throws for time: `'completed'`, or `'wouldBlock'` when the socket took none
   * of the frame within `timeout` (default 0: one attempt), as `@net/nonblocking`'s `send`.
   * @throws NetError as {@link send}, except `NET_ERR_TIMEOUT`
   */
  trySend(message: Send, options?: CallOptions): SendStatus {
    return this._send(message, false, deadlineOf(options, 0));
  }

  /** {@link sendMany} that never throws for time, as {@link trySend}. */
  trySendMany(messages: readonly Send[], options?: CallOptions): SendStatus {
    return this._send(messages, true, deadlineOf(options, 0));
  }

  /**
   * A receive that never throws for time: a message, `WOULD_BLOCK` when none came within `timeout`
   * (default 0: one attempt), or {@link END_OF_STREAM}, as `@net/nonblocking`'s `recv`.
   * @throws NetError as {@link recv}, except `NET_ERR_TIMEOUT`
   */
  tryRecv(options?: CallOptions): RecvResult<Recv> {
    return this._recv(deadlineOf(options, 0));
  }

  /** Iterates messages until the connection ends. */
  *[Symbol.iterator](): Iterator<Recv> {
    for (let message = this.recv(); message !== END_OF_STREAM; message = this.recv()) yield message;
  }

  private _send(payload: Send | readonly Send[], many: boolean, deadline: number): SendStatus {
    // Not `poll()`: the wait it returns would be a new heap number on every send.
    this.resolved.timer.pollTimes();
    const connection = this.connection;
    // A blocking write cannot be bounded, so a bounded send works on a non-blocking descriptor
    // (switched once for a run of bounded calls). An unbounded send writes in whichever mode the
    // descriptor is in and switches it to blocking only when the socket is full: a receive that
    // spins leaves it non-blocking, and switching on every send would cost a broker round trip each.
    // Where a switch is one `fcntl` (the C library's path), an unbounded send on a connection this
    // thread reads is non-blocking too: a write parked in the kernel could not take in what the
    // peer sends meanwhile, and a peer streaming to us on one thread might wait on that.
    const bounded = deadline !== Infinity;
    if (bounded || (connection.readsWhileSending && connection.ioPath === 'ffi')) connection.setBlocking(false);
    const written = many
      ? connection.sendManyUntil(payload as readonly Send[], deadline, !bounded)
      : connection.sendUntil(payload as Send, deadline, !bounded);
    return written ? 'completed' : 'wouldBlock';
  }

  private _recv(deadline: number): RecvResult<Recv> {
    // One attempt too goes through the parked receive: finding nothing, it leaves the descriptor
    // watched by the broker, so further attempts cost one atomic load until bytes come, and a
    // thread that parks on the broker's events wakes for them.
    return recvParked(this.connection, deadline, this.resolved, true);
  }

  /**
   * Splits into a sender and a receiver for different parts of a program; each half can be shared
   * further (`share()`), and the connection closes when the last holder of either half closes.
   */
  split(): { sender: CltSender<Send, Recv>; receiver: CltReceiver<Send, Recv> } {
    return splitClt(this);
  }
}

/** Completes the handshake, parking between messages (its deadline wakes the wait). */
export function handshake<Send, Recv>(connection: SyncConnection<Send, Recv>, resolved: ResolvedSyncOptions): void {
  connection.driver.start();
  let failure: NetError | undefined;
  let early: Recv | undefined | typeof WOULD_BLOCK;
  try {
    early = recvParked(connection, Infinity, resolved, false, () => connection.driver.state !== 'handshaking');
  } catch (error) {
    failure = error as NetError;
  }
  // What came in the same read as the end of the handshake (a message, a decode error) is the
  // user's first. The wait above ends only once the handshake is over, so it never goes on here.
  if (!connection.settleHandshake(early === WOULD_BLOCK ? undefined : early, failure))
    throw connection.failHandshake(failure);
  makeBlocking(connection);
}

/** Switches a handshaken connection's descriptor to blocking mode, ending any watch first. */
export function makeBlocking<Send, Recv>(connection: SyncConnection<Send, Recv>): void {
  connection.unwatch();
  connection.setBlocking(true);
}
