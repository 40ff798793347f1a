import type { AddressInput, ConId } from '@net/core';
import {
  type AcceptResult,
  type CallOptions,
  type Received,
  REJECTED,
  type SendStatus,
  SyncSvcBase,
  WOULD_BLOCK,
} from '@net/sync';
import { deadlineOf, type SyncConnection, SyncService, timedOut } from '@net/sync/internal';
import { Clt, makeBlocking } from './clt.js';
import type { CltReceiver, CltSender } from './clt-halves.js';
import type { SvcOptions } from './options.js';

/**
 * A listening service whose calls block until done: `accept()` returns the next connection whose
 * handshake succeeded (refused ones are counted and skipped), `recv()` parks until any pooled
 * connection has a message. Handshakes in progress move forward while `accept` waits, so one
 * silent client never holds up the others. Every call takes a `timeout`, past which it fails with
 * `NET_ERR_TIMEOUT`; the `try...` calls return `@net/nonblocking`'s statuses instead (`timeout` 0
 * by default: one attempt). Once the service is closed, every send, receive and accept throws
 * `NET_ERR_CLOSED` (an open one with an empty pool says `NET_ERR_NOT_CONNECTED` instead).
 */
export class Svc<Send, Recv> extends SyncSvcBase<Send, Recv, Clt<Send, Recv>> {
  /**
   * Listens on `address` (port 0 for any free port, or a Unix socket path).
   * @throws NetError `NET_ERR_SOCKET` (address in use, ...), `NET_ERR_INVALID_ARGUMENT`, `NET_ERR_UNSUPPORTED`
   */
  // `override`: a class's static side extends Function, whose `bind` this name shadows.
  static override bind<Send, Recv>(address: AddressInput, options: SvcOptions<Send, Recv>): Svc<Send, Recv> {
    // Pooled descriptors stay non-blocking: one thread serves them all, parking between passes,
    // and one that finds nothing is watched at once so the parked thread wakes on its bytes.
    return new Svc(SyncService.bind(address, options, 1));
  }

  /**
   * The next connection whose handshake succeeded, handed to you (blocking mode, not pooled).
   * @throws NetError `NET_ERR_TIMEOUT`, `NET_ERR_CLOSED`
   */
  accept(options?: CallOptions): Clt<Send, Recv> {
    const result = this.acceptCltUntil(deadlineOf(options, Infinity), true);
    if (result === WOULD_BLOCK || result === REJECTED) throw timedOut('accept', options);
    return result;
  }

  /**
   * Waits for the next connection whose handshake succeeded and puts it into the pool; its id.
   * @throws NetError `NET_ERR_TIMEOUT`, `NET_ERR_CLOSED`
   */
  acceptIntoPool(options?: CallOptions): ConId {
    const result = this.acceptIntoPoolUntil(deadlineOf(options, Infinity), true);
    if (result === WOULD_BLOCK || result === REJECTED) throw timedOut('accept', options);
    return result;
  }

  /**
   * Sends to the next pooled connection in turn, returning when the whole frame is written.
   * @throws NetError `NET_ERR_NOT_CONNECTED` when the pool is empty, `NET_ERR_TIMEOUT` when no room
   * came within `timeout` (nothing was written; the connection stays usable)
   */
  send(message: Send, options?: CallOptions): void {
    if (this.sendUntil(message, deadlineOf(options, Infinity)) !== 'completed') throw timedOut('service send', options);
  }

  /**
   * Sends to one pooled connection, returning when the whole frame is written.
   * @throws NetError `NET_ERR_NOT_CONNECTED` when no such connection is pooled, `NET_ERR_TIMEOUT` as {@link send}
   */
  sendTo(target: ConId | number, message: Send, options?: CallOptions): void {
    if (this.sendToUntil(target, message, deadlineOf(options, Infinity)) !== 'completed')
      throw timedOut(`service send to ${String(target)}`, options);
  }

  /**
   * The next message from any pooled connection, fairly, parking until one comes.
   * @throws NetError `NET_ERR_TIMEOUT`, `NET_ERR_NOT_CONNECTED` (no `timeout` and an empty pool:
   * nothing could ever arrive), a decode error (that connection reads on after it)
   */
  recv(options?: CallOptions): Recv {
    const found = this.recvUntil(deadlineOf(options, Infinity));
    if (found === WOULD_BLOCK) throw timedOut('service recv', options);
    return found;
  }

  /** Like {@link recv}, with the connection the message came from. */
  recvFrom(options?: CallOptions): Received<Recv> {
    const found = this.recvFromUntil(deadlineOf(options, Infinity));
    if (found === WOULD_BLOCK) throw timedOut('service recv', options);
    return found;
  }

  /** {@link accept} that never throws for time: a connection, `REJECTED` for one refused, or `WOULD_BLOCK`. */
  tryAccept(options?: CallOptions): AcceptResult<Clt<Send, Recv>> {
    return this.acceptCltUntil(deadlineOf(options, 0), false);
  }

  /** {@link acceptIntoPool} that never throws for time: an id, `REJECTED` or `WOULD_BLOCK`. */
  tryAcceptIntoPool(options?: CallOptions): AcceptResult<ConId> {
    return this.acceptIntoPoolUntil(deadlineOf(options, 0), false);
  }

  /** {@link send} that never throws for time: `'completed'` or `'wouldBlock'`. */
  trySend(message: Send, options?: CallOptions): SendStatus {
    return this.sendUntil(message, deadlineOf(options, 0));
  }

  /** {@link sendTo} that never throws for time: `'completed'` or `'wouldBlock'`. */
  trySendTo(target: ConId | number, message: Send, options?: CallOptions): SendStatus {
    return this.sendToUntil(target, message, deadlineOf(options, 0));
  }

  /** {@link recv} that never throws for time: a message or `WOULD_BLOCK`. */
  tryRecv(options?: CallOptions): Recv | typeof WOULD_BLOCK {
    return this.recvUntil(deadlineOf(options, 0));
  }

  /** {@link recvFrom} that never throws for time: a message with its connection's id, or `WOULD_BLOCK`. */
  tryRecvFrom(options?: CallOptions): Received<Recv> | typeof WOULD_BLOCK {
    return this.recvFromUntil(deadlineOf(options, 0));
  }

  /**
   * Parks between attempts until the broker posts an event (a connection accepted, a watched
   * descriptor's bytes), a timer task is due, or `deadline`.
   */
  /**
   * Takes pooled connection `target` (its id or serial number) out of the pool and splits it into
   * its halves, as `Clt.split()` does: `svc.send`, `sendTo`, `broadcast` and `recv` no longer touch
   * it, and either half may go to another thread with `transfer()` (adopted there with
   * `CltReceiver.adopt` or `CltSender.adopt`). The protocol stays on this thread, with the half kept
   * here: keep the sender of a connection with heartbeats, the receiver of one with an
   * `idleTimeout`. The connection keeps its `maxConnections` slot until it closes, and
   * {@link close} closes it with the rest, for every thread.
   * @throws NetError `NET_ERR_CLOSED` once the service is closed, `NET_ERR_INVALID_ARGUMENT` for a
   * connection split already (or handed out by `accept`), `NET_ERR_NOT_CONNECTED` for one that is
   * not this service's, or closed
   */
  split(target: ConId | number): { sender: CltSender<Send, Recv>; receiver: CltReceiver<Send, Recv> } {
    return this.takeFromPool(target).split();
  }

  protected waitFor<T>(deadline: number, attempt: () => T | undefined): T | undefined {
    const broker = this.service.broker;
    const timer = this.resolved.timer;
    for (;;) {
      const seen = broker.eventCount;
      timer.poll();
      const found = attempt();
      if (found !== undefined) return found;
      const now = performance.now();
      if (now >= deadline) return undefined;
      broker.waitForEvent(seen, Math.max(0, Math.min(deadline, now + timer.msUntilNext()) - now));
    }
  }

  protected wrap(connection: SyncConnection<Send, Recv>): Clt<Send, Recv> {
    makeBlocking(connection);
    return new Clt(connection, this.resolved);
  }

  protected prepareForPool(connection: SyncConnection<Send, Recv>): void {
    connection.unwatch();
    connection.setBlocking(false);
  }
}
