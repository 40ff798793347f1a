import { type AddressInput, type ConId, DEFAULT_IDLE_POLLS_BEFORE_WATCH, ErrorCode, NetError } from '@net/core';
import { type AcceptResult, idleStep, REJECTED, type ResolvedSyncOptions, type SendStatus, SyncService, WOULD_BLOCK } from '@net/sync';
import { Clt } from './clt.js';
import type { SvcOptions } from './options.js';

/**
 * A listening service whose calls never park the thread. `accept` returns a connection, `REJECTED`
 * (over `maxConnections`, or a failed handshake) or `WOULD_BLOCK`; handshakes progress a step at
 * a time inside `accept` calls, so one slow client never holds up the acceptor. Pooled connections
 * are served by `send` (round robin), `recv` (round robin over those with data), `sendTo` and
 * `broadcast`.
 */
export class Svc<Send, Recv> {
  private readonly _service: SyncService<Send, Recv>;

  private constructor(service: SyncService<Send, Recv>) {
    this._service = service;
  }

  /**
   * Listens on `address` (port 0 for any free port, or a Unix socket path) and returns at once.
   * @throws NetError `NET_ERR_SOCKET` (address in use, ...), `NET_ERR_INVALID_ARGUMENT`, `NET_ERR_UNSUPPORTED`
   */
  static bind<Send, Recv>(address: AddressInput, options: SvcOptions<Send, Recv>): Svc<Send, Recv> {
    return new Svc(SyncService.bind(address, options, options.idlePollsBeforeWatch ?? DEFAULT_IDLE_POLLS_BEFORE_WATCH));
  }

  /** The service's id: its name and the address it listens on (with the real port). */
  get conId(): ConId {
    return this._service.conId;
  }

  /** True once {@link close} was called. */
  get isClosed(): boolean {
    return this._service.closed;
  }

  /** Connections refused (over the limit, or a failed handshake). */
  get rejectedCount(): number {
    return this._service.acceptor.rejectedCount;
  }

  /** The port the service listens on (0 for a Unix socket). */
  get port(): number {
    return this._service.port;
  }

  /** Connections in the pool. */
  get size(): number {
    return this._service.pool.size;
  }

  private get _resolved(): ResolvedSyncOptions {
    return this._service.resolved;
  }

  private get _acceptor() {
    return this._service.acceptor;
  }

  private get _pool() {
    return this._service.pool;
  }

  /** One step of accepting: a connection whose handshake completed, `REJECTED`, or `WOULD_BLOCK`. */
  accept(): AcceptResult<Clt<Send, Recv>> {
    if (this._service.closed) throw new NetError(ErrorCode.CLOSED, 'service is closed');
    this._resolved.timer.poll();
    const result = this._acceptor.step();
    return result === WOULD_BLOCK || result === REJECTED ? result : new Clt(result, this._resolved);
  }

  /** Spins `accept` until a connection is accepted or refused, or `timeoutMs` passes. */
  acceptBusywaitTimeout(timeoutMs: number): AcceptResult<Clt<Send, Recv>> {
    const deadline = performance.now() + timeoutMs;
    for (let attempt = 0; ; attempt++) {
      const result = this.accept();
      if (result !== WOULD_BLOCK || performance.now() >= deadline) return result;
      idleStep(this._resolved.idleStrategy, attempt);
    }
  }

  /** Spins `accept` until a connection is accepted or refused. */
  acceptBusywait(): Clt<Send, Recv> | typeof REJECTED {
    return this.acceptBusywaitTimeout(Infinity) as Clt<Send, Recv> | typeof REJECTED;
  }

  /** One step of accepting into the pool: the new connection's id, `REJECTED` or `WOULD_BLOCK`. */
  acceptIntoPool(): AcceptResult<ConId> {
    const result = this.accept();
    if (result === WOULD_BLOCK || result === REJECTED) return result;
    this._pool.add(result.connection);
    return result.conId;
  }

  /** Puts a connection this service accepted (and handed out) into its pool; returns its id. */
  intoPool(clt: Clt<Send, Recv>): ConId {
    this._pool.add(clt.connection);
    return clt.conId;
  }

  /** Spins {@link acceptIntoPool} until accepted or refused, or `timeoutMs` passes. */
  acceptIntoPoolBusywaitTimeout(timeoutMs: number): AcceptResult<ConId> {
    const result = this.acceptBusywaitTimeout(timeoutMs);
    if (result === WOULD_BLOCK || result === REJECTED) return result;
    this._pool.add(result.connection);
    return result.conId;
  }

  /** Spins {@link acceptIntoPool} until a connection is accepted or refused. */
  acceptIntoPoolBusywait(): ConId | typeof REJECTED {
    return this.acceptIntoPoolBusywaitTimeout(Infinity) as ConId | typeof REJECTED;
  }

  /** Sends to the next pooled connection in turn. @throws NetError `NET_ERR_NOT_CONNECTED` when the pool is empty */
  send(message: Send): SendStatus {
    return this._pool.send(message, -1);
  }

  /** Like {@link send}, spinning until written or `timeoutMs` passes. */
  sendBusywaitTimeout(message: Send, timeoutMs: number): SendStatus {
    return this._pool.send(message, performance.now() + timeoutMs);
  }

  /** Like {@link send}, spinning until written. */
  sendBusywait(message: Send): 'completed' {
    this._pool.send(message, Infinity);
    return 'completed';
  }

  /** Sends to one pooled connection. */
  sendTo(target: ConId | number, message: Send, timeoutMs = Infinity): SendStatus {
    return this._pool.sendTo(target, message, timeoutMs === Infinity ? Infinity : performance.now() + timeoutMs);
  }

  /** Sends to every pooled connection (each spins until written); returns how many took it. */
  broadcast(message: Send): number {
    return this._pool.broadcast(message);
  }

  /** One pass over the pool: a message from the next connection that has one, or `WOULD_BLOCK`. */
  recv(): Recv | typeof WOULD_BLOCK {
    return this._pool.recvFrom()?.message ?? WOULD_BLOCK;
  }

  /** Like {@link recv}, with the connection the message came from; `undefined` for none. */
  recvFrom(): { conId: ConId; message: Recv } | undefined {
    return this._pool.recvFrom();
  }

  /** Spins {@link recvFrom} until a message arrives or `timeoutMs` passes. */
  recvFromBusywaitTimeout(timeoutMs: number): { conId: ConId; message: Recv } | undefined {
    return this._recvFromUntil(performance.now() + timeoutMs);
  }

  /**
   * Spins {@link recvFrom} until a message arrives.
   * @throws NetError `NET_ERR_NOT_CONNECTED` when the pool is, or becomes, empty: nothing could
   * ever arrive, and an unbounded spin would hang the thread
   */
  recvFromBusywait(): { conId: ConId; message: Recv } {
    return this._recvFromUntil(Infinity)!;
  }

  /** Spins {@link recv} until a message arrives. @throws NetError `NET_ERR_NOT_CONNECTED` as {@link recvFromBusywait} */
  recvBusywait(): Recv {
    return this.recvFromBusywait().message;
  }

  /** Spins {@link recv} until a message arrives or `timeoutMs` passes (then `WOULD_BLOCK`). */
  recvBusywaitTimeout(timeoutMs: number): Recv | typeof WOULD_BLOCK {
    return this.recvFromBusywaitTimeout(timeoutMs)?.message ?? WOULD_BLOCK;
  }

  // Spins pool receives until a message or `deadline`; an unbounded spin on an empty pool throws.
  private _recvFromUntil(deadline: number): { conId: ConId; message: Recv } | undefined {
    for (let attempt = 0; ; attempt++) {
      const found = this._pool.recvFrom();
      if (found !== undefined) return found;
      if (deadline === Infinity) {
        if (this._pool.size === 0) throw new NetError(ErrorCode.NOT_CONNECTED, `${String(this.conId)}: no pooled connection to receive from`);
      } else if (performance.now() >= deadline) {
        return undefined;
      }
      idleStep(this._resolved.idleStrategy, attempt);
    }
  }

  /** Stops listening, says goodbye on every pooled connection and closes it. The port is free again at once. */
  close(): void {
    this._service.close();
  }

  /** Same as {@link close}, for `using`. */
  [Symbol.dispose](): void {
    this.close();
  }
}
