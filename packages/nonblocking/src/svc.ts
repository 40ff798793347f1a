import type { AddressInput, ConId } from '@net/core';
import { DEFAULT_IDLE_POLLS_BEFORE_WATCH } from './limits.js';
import {
  type AcceptResult,
  type CallOptions,
  type Received,
  type REJECTED,
  type SendStatus,
  SyncSvcBase,
  type WOULD_BLOCK,
} from '@net/sync';
import { deadlineAfter, deadlineOf, idleStep, isPast, type SyncConnection, SyncService } from '@net/sync/internal';
import { Clt } from './clt.js';
import type { CltReceiver, CltSender } from './clt-halves.js';
import type { SvcOptions } from './options.js';

/**
 * A listening service whose calls never park the thread. Every call makes one attempt and returns
 * a status at once, or spins until done for up to its `timeout` (links' `...Busywait` names are
 * kept as aliases). `accept` returns a connection, `REJECTED` (over `maxConnections`, or a failed
 * handshake) or `WOULD_BLOCK`; handshakes progress a step at a time inside `accept` calls, so one
 * slow client never holds up the acceptor. Pooled connections are served by `send` (round robin),
 * `recv` (round robin over those with data), `sendTo` and `broadcast`. Once the service is closed,
 * every send, receive and accept throws `NET_ERR_CLOSED` (an open one with an empty pool says
 * `NET_ERR_NOT_CONNECTED` instead).
 */
export class Svc<Send, Recv> extends SyncSvcBase<Send, Recv, Clt<Send, Recv>> {
  /**
   * Listens on `address` (port 0 for any free port, or a Unix socket path) and returns at once.
   * @throws NetError `NET_ERR_SOCKET` (address in use, ...), `NET_ERR_INVALID_ARGUMENT`, `NET_ERR_UNSUPPORTED`
   */
  // `override`: a class's static side extends Function, whose `bind` this name shadows.
  static override bind<Send, Recv>(address: AddressInput, options: SvcOptions<Send, Recv>): Svc<Send, Recv> {
    return new Svc(SyncService.bind(address, options, options.idlePollsBeforeWatch ?? DEFAULT_IDLE_POLLS_BEFORE_WATCH));
  }

  /**
   * A connection whose handshake completed, `REJECTED` for one refused, or `WOULD_BLOCK` when
   * neither came within `timeout` (default 0: one step).
   * @throws NetError `NET_ERR_CLOSED` once the service is closed
   */
  accept(options?: CallOptions): AcceptResult<Clt<Send, Recv>> {
    return this.acceptCltUntil(deadlineOf(options, 0), false);
  }

  /** As {@link accept}, the connection put into the pool: its id, `REJECTED` or `WOULD_BLOCK`. */
  acceptIntoPool(options?: CallOptions): AcceptResult<ConId> {
    return this.acceptIntoPoolUntil(deadlineOf(options, 0), false);
  }

  /**
   * Sends to the next pooled connection in turn: `'completed'`, or `'wouldBlock'` when its socket
   * took none of the frame within `timeout` (default 0).
   * @throws NetError `NET_ERR_NOT_CONNECTED` when the pool is empty
   */
  send(message: Send, options?: CallOptions): SendStatus {
    return this.sendUntil(message, deadlineOf(options, 0));
  }

  /**
   * Sends to one pooled connection, as {@link send}.
   * @throws NetError `NET_ERR_NOT_CONNECTED` when no such connection is pooled
   */
  sendTo(target: ConId | number, message: Send, options?: CallOptions): SendStatus {
    return this.sendToUntil(target, message, deadlineOf(options, 0));
  }

  /** A message from the next pooled connection that has one, or `WOULD_BLOCK` when none came within `timeout` (default 0). */
  recv(options?: CallOptions): Recv | typeof WOULD_BLOCK {
    return this.recvUntil(deadlineOf(options, 0));
  }

  /**
   * As {@link recv}, with the connection the message came from.
   * @throws NetError `NET_ERR_NOT_CONNECTED` for `timeout: Infinity` on an empty pool (nothing
   * could ever arrive, and an unbounded spin would hang the thread)
   */
  recvFrom(options?: CallOptions): Received<Recv> | typeof WOULD_BLOCK {
    return this.recvFromUntil(deadlineOf(options, 0));
  }

  /** links' name for `accept({ timeout: timeoutMs })`. */
  acceptBusywaitTimeout(timeoutMs: number): AcceptResult<Clt<Send, Recv>> {
    return this.acceptCltUntil(deadlineAfter(timeoutMs, 'timeoutMs'), false);
  }

  /** links' name for `accept({ timeout: Infinity })`: a connection or `REJECTED`. */
  acceptBusywait(): Clt<Send, Recv> | typeof REJECTED {
    return this.acceptCltUntil(Infinity, false) as Clt<Send, Recv> | typeof REJECTED;
  }

  /** links' name for `acceptIntoPool({ timeout: timeoutMs })`. */
  acceptIntoPoolBusywaitTimeout(timeoutMs: number): AcceptResult<ConId> {
    return this.acceptIntoPoolUntil(deadlineAfter(timeoutMs, 'timeoutMs'), false);
  }

  /** links' name for `acceptIntoPool({ timeout: Infinity })`: an id or `REJECTED`. */
  acceptIntoPoolBusywait(): ConId | typeof REJECTED {
    return this.acceptIntoPoolUntil(Infinity, false) as ConId | typeof REJECTED;
  }

  /** links' name for `send(message, { timeout: timeoutMs })`. */
  sendBusywaitTimeout(message: Send, timeoutMs: number): SendStatus {
    return this.sendUntil(message, deadlineAfter(timeoutMs, 'timeoutMs'));
  }

  /** links' name for `send(message, { timeout: Infinity })`. */
  sendBusywait(message: Send): 'completed' {
    return this.sendUntil(message, Infinity) as 'completed';
  }

  /** links' name for `recv({ timeout: timeoutMs })`. */
  recvBusywaitTimeout(timeoutMs: number): Recv | typeof WOULD_BLOCK {
    return this.recvUntil(deadlineAfter(timeoutMs, 'timeoutMs'));
  }

  /** links' name for `recv({ timeout: Infinity })`. @throws NetError `NET_ERR_NOT_CONNECTED` as {@link recvFrom} */
  recvBusywait(): Recv {
    return this.recvUntil(Infinity) as Recv;
  }

  /** links' name for `recvFrom({ timeout: timeoutMs })`. */
  recvFromBusywaitTimeout(timeoutMs: number): Received<Recv> | typeof WOULD_BLOCK {
    return this.recvFromUntil(deadlineAfter(timeoutMs, 'timeoutMs'));
  }

  /** links' name for `recvFrom({ timeout: Infinity })`. @throws NetError `NET_ERR_NOT_CONNECTED` as {@link recvFrom} */
  recvFromBusywait(): Received<Recv> {
    return this.recvFromUntil(Infinity) as Received<Recv>;
  }

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
    const timer = this.resolved.timer;
    const strategy = this.resolved.idleStrategy;
    for (let attempts = 0; ; attempts++) {
      timer.poll();
      const found = attempt();
      if (found !== undefined || isPast(deadline)) return found;
      idleStep(strategy, attempts);
    }
  }

  protected wrap(connection: SyncConnection<Send, Recv>): Clt<Send, Recv> {
    return new Clt(connection, this.resolved);
  }

  protected prepareForPool(): void {
    // A non-blocking connection is what the pool holds already.
  }
}
