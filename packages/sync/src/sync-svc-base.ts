import { type ConId, ErrorCode, NetError } from '@net/core';
import { ONE_ATTEMPT } from './call-options.js';
import { connectionOf, type SyncCltBase } from './sync-clt-base.js';
import type { SyncConnection } from './sync-connection.js';
import type { ResolvedSyncOptions } from './sync-options.js';
import type { SyncService } from './sync-service.js';
import { type AcceptResult, type Received, REJECTED, type SendStatus, WOULD_BLOCK } from './status.js';

/**
 * What a service of either synchronous flavour is apart from how it waits: its id, its pool, its
 * counters and its close, and every call as a status-returning step bounded by a deadline.
 * `@net/nonblocking` spins between attempts and returns the statuses; `@net/blocking` parks
 * between them and turns a deadline reached into `NET_ERR_TIMEOUT` (its `try...` calls return the
 * statuses too). A subclass says only how to wait and how to wrap an accepted connection.
 */
export abstract class SyncSvcBase<Send, Recv, C extends SyncCltBase<Send, Recv>> {
  /** The non-waiting parts: listener, acceptor, pool. */
  protected readonly service: SyncService<Send, Recv>;
  // One pool receive attempt, made once here so a waiting receive allocates nothing per call;
  // `_recvUnbounded` says whether the wait under way has no deadline (then an empty pool throws).
  private readonly _recvFromAttempt: () => Received<Recv> | undefined;
  private readonly _recvAttempt: () => Recv | undefined;
  private _recvUnbounded = false;

  protected constructor(service: SyncService<Send, Recv>) {
    this.service = service;
    const pool = service.pool;
    this._recvFromAttempt = () => this._checkNotStarved(pool.recvFrom());
    this._recvAttempt = () => this._checkNotStarved(pool.recv());
  }

  // An unbounded wait on an empty pool would hang the thread: nothing could ever arrive.
  private _checkNotStarved<T>(next: T | undefined): T | undefined {
    if (next === undefined && this._recvUnbounded && this.service.pool.size === 0) {
      throw new NetError(ErrorCode.NOT_CONNECTED, `${String(this.conId)}: no pooled connection to receive from`);
    }
    return next;
  }

  /** The service's id: its name and the address it listens on (with the real port). */
  get conId(): ConId {
    return this.service.conId;
  }

  /** The port the service listens on (0 for a Unix socket). */
  get port(): number {
    return this.service.port;
  }

  /** Connections in the pool. */
  get size(): number {
    return this.service.pool.size;
  }

  /** Connections refused (over the limit, or a failed handshake). */
  get rejectedCount(): number {
    return this.service.acceptor.rejectedCount;
  }

  /** True once {@link close} was called. */
  get isClosed(): boolean {
    return this.service.closed;
  }

  /**
   * Puts a connection this service accepted (and handed out) into its pool; returns its id.
   * @throws NetError `NET_ERR_CLOSED` once the service is closed
   */
  intoPool(clt: C): ConId {
    this.checkOpen();
    this.prepareForPool(connectionOf(clt));
    this.service.pool.add(connectionOf(clt));
    return clt.conId;
  }

  /**
   * Takes pooled connection `target` (its id or serial number) out of the pool, open, as the
   * flavour's client, for the flavours' `split`: the service's calls no longer touch it, and it
   * keeps its `maxConnections` slot until it closes, as an accepted connection handed out does.
   * @throws NetError `NET_ERR_CLOSED` once the service is closed, `NET_ERR_INVALID_ARGUMENT` for a
   * connection of this service that is open but not pooled (handed over already, or handed out by
   * `accept`), `NET_ERR_NOT_CONNECTED` for any other (unknown, or closed)
   */
  protected takeFromPool(target: ConId | number): C {
    this.checkOpen();
    const serial = typeof target === 'number' ? target : target.serial;
    let connection: SyncConnection<Send, Recv>;
    try {
      connection = this.service.pool.take(serial);
    } catch (error) {
      for (const open of this.service.acceptor.open)
        if (open.conId.serial === serial && open.isOpen)
          throw new NetError(
            ErrorCode.INVALID_ARGUMENT,
            `${String(open.conId)} is not pooled: it was handed over already, or handed out by accept`,
            { cause: error },
          );
      throw error;
    }
    return this.wrap(connection);
  }

  /**
   * Sends to every pooled connection (each within `protocolSendTimeout`); returns how many took it
   * (0 for an empty pool).
   * @throws NetError `NET_ERR_CLOSED` once the service is closed
   */
  broadcast(message: Send): number {
    this.checkOpen();
    return this.service.pool.broadcast(message);
  }

  /** Stops listening, says goodbye on every pooled connection and closes it. The port is free again at once. */
  close(): void {
    this.service.close();
  }

  /** Same as {@link close}, for `using`. */
  [Symbol.dispose](): void {
    this.close();
  }

  /**
   * Throws `NET_ERR_CLOSED` once the service is closed: every call on a closed service says so,
   * where an open one with an empty pool says `NET_ERR_NOT_CONNECTED` (accept or wait first).
   */
  protected checkOpen(): void {
    if (this.service.closed) throw new NetError(ErrorCode.CLOSED, `${String(this.conId)}: the service is closed`);
  }

  /** The settings the service runs with. */
  protected get resolved(): ResolvedSyncOptions {
    return this.service.resolved;
  }

  /**
   * Runs `attempt` until it gives something or `deadline` passes (then `undefined`), waiting
   * between attempts the flavour's way and running due timer tasks before each.
   */
  protected abstract waitFor<T>(deadline: number, attempt: () => T | undefined): T | undefined;

  /** The flavour's client over a connection this service accepted. */
  protected abstract wrap(connection: SyncConnection<Send, Recv>): C;

  /** Readies a handed-out connection for the pool (the pool's descriptors are non-blocking). */
  protected abstract prepareForPool(connection: SyncConnection<Send, Recv>): void;

  /**
   * Accepting until `deadline`: a connection whose handshake completed, `WOULD_BLOCK`, or (unless
   * `skipRejected`) `REJECTED` for one refused. Handshakes in progress move a step per attempt.
   * @throws NetError `NET_ERR_CLOSED` once the service is closed
   */
  protected acceptUntil(deadline: number, skipRejected: boolean): AcceptResult<SyncConnection<Send, Recv>> {
    this.checkOpen();
    const acceptor = this.service.acceptor;
    const found = this.waitFor(deadline, () => {
      const result = acceptor.step();
      return result === WOULD_BLOCK || (skipRejected && result === REJECTED) ? undefined : result;
    });
    return found ?? WOULD_BLOCK;
  }

  /** {@link acceptUntil}, wrapped as the flavour's client. */
  protected acceptCltUntil(deadline: number, skipRejected: boolean): AcceptResult<C> {
    const result = this.acceptUntil(deadline, skipRejected);
    return result === WOULD_BLOCK || result === REJECTED ? result : this.wrap(result);
  }

  /** {@link acceptUntil}, the connection put into the pool; its id. */
  protected acceptIntoPoolUntil(deadline: number, skipRejected: boolean): AcceptResult<ConId> {
    const result = this.acceptUntil(deadline, skipRejected);
    if (result === WOULD_BLOCK || result === REJECTED) return result;
    this.service.pool.add(result);
    return result.conId;
  }

  /**
   * A send to the next pooled connection in turn, retrying a full socket until `deadline`.
   * @throws NetError `NET_ERR_NOT_CONNECTED` when the pool is empty, `NET_ERR_CLOSED` once the
   * service is closed
   */
  protected sendUntil(message: Send, deadline: number): SendStatus {
    this.checkOpen();
    if (deadline === ONE_ATTEMPT) this.service.resolved.timer.poll();
    return this.service.pool.send(message, deadline);
  }

  /**
   * A send to one pooled connection, retrying a full socket until `deadline`.
   * @throws NetError `NET_ERR_NOT_CONNECTED` when no such connection is pooled, `NET_ERR_CLOSED`
   * once the service is closed
   */
  protected sendToUntil(target: ConId | number, message: Send, deadline: number): SendStatus {
    this.checkOpen();
    if (deadline === ONE_ATTEMPT) this.service.resolved.timer.poll();
    return this.service.pool.sendTo(target, message, deadline);
  }

  /**
   * The next message from any pooled connection, fairly, until `deadline` (then `WOULD_BLOCK`).
   * @throws NetError `NET_ERR_NOT_CONNECTED` for an unbounded wait on an empty pool (nothing could
   * ever arrive, and the thread would hang), a decode error (the connection reads on after it),
   * `NET_ERR_CLOSED` once the service is closed (an empty pool of an open service could still
   * fill; a closed one never will, so the status a closed one would return would never change)
   */
  protected recvFromUntil(deadline: number): Received<Recv> | typeof WOULD_BLOCK {
    this.checkOpen();
    const pool = this.service.pool;
    if (deadline === ONE_ATTEMPT) {
      this.service.resolved.timer.poll();
      return pool.recvFrom() ?? WOULD_BLOCK;
    }
    this._recvUnbounded = deadline === Infinity;
    return this.waitFor(deadline, this._recvFromAttempt) ?? WOULD_BLOCK;
  }

  /** As {@link recvFromUntil}, without saying which connection: nothing is allocated per message. */
  protected recvUntil(deadline: number): Recv | typeof WOULD_BLOCK {
    this.checkOpen();
    const pool = this.service.pool;
    if (deadline === ONE_ATTEMPT) {
      this.service.resolved.timer.poll();
      return pool.recv() ?? WOULD_BLOCK;
    }
    this._recvUnbounded = deadline === Infinity;
    return this.waitFor(deadline, this._recvAttempt) ?? WOULD_BLOCK;
  }
}
