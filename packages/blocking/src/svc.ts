import { type AddressInput, type ConId, ErrorCode, NetError } from '@net/core';
import { REJECTED, SyncService, type SyncSvcOptions, WOULD_BLOCK } from '@net/sync';
import { Clt, makeBlocking } from './clt.js';
import { type BlockingCallOptions, deadlineOf, timedOut } from './wait.js';

/** Options of `Svc.bind`. */
export type SvcOptions<Send, Recv> = SyncSvcOptions<Send, Recv>;

/**
 * A listening service whose calls block until done: `accept()` returns the next connection whose
 * handshake succeeded (refused ones are counted and skipped), `recv()` parks until any pooled
 * connection has a message. Handshakes in progress move forward while `accept` waits, so one
 * silent client never holds up the others.
 */
export class Svc<Send, Recv> {
  private readonly _service: SyncService<Send, Recv>;

  private constructor(service: SyncService<Send, Recv>) {
    this._service = service;
  }

  /**
   * Listens on `address` (port 0 for any free port, or a Unix socket path).
   * @throws NetError `NET_ERR_SOCKET` (address in use, ...), `NET_ERR_INVALID_ARGUMENT`, `NET_ERR_UNSUPPORTED`
   */
  static bind<Send, Recv>(address: AddressInput, options: SvcOptions<Send, Recv>): Svc<Send, Recv> {
    // Pooled descriptors stay non-blocking: one thread serves them all, parking between passes,
    // and one that finds nothing is watched at once so the parked thread wakes on its bytes.
    return new Svc(SyncService.bind(address, options, 1));
  }

  /** The service's id: its name and the address it listens on (with the real port). */
  get conId(): ConId {
    return this._service.conId;
  }

  /** The port the service listens on (0 for a Unix socket). */
  get port(): number {
    return this._service.port;
  }

  /** Connections in the pool. */
  get size(): number {
    return this._service.pool.size;
  }

  /** Connections refused (over the limit, or a failed handshake). */
  get rejectedCount(): number {
    return this._service.acceptor.rejectedCount;
  }

  /**
   * The next connection whose handshake succeeded, handed to you (blocking mode, not pooled).
   * @throws NetError `NET_ERR_TIMEOUT`, `NET_ERR_CLOSED`
   */
  accept(options?: BlockingCallOptions): Clt<Send, Recv> {
    const connection = this._acceptConnection(options);
    makeBlocking(connection);
    return new Clt(connection, this._service.resolved);
  }

  /** Waits for the next connection and puts it into the pool; returns its id. */
  acceptIntoPool(options?: BlockingCallOptions): ConId {
    const connection = this._acceptConnection(options);
    this._service.pool.add(connection);
    return connection.conId;
  }

  /**
   * Puts a connection this service accepted (and handed out with {@link accept}) into its pool;
   * returns its id. Its descriptor goes back to non-blocking, as the pool's are.
   */
  intoPool(clt: Clt<Send, Recv>): ConId {
    clt.connection.unwatch();
    clt.connection.setBlocking(false);
    this._service.pool.add(clt.connection);
    return clt.conId;
  }

  /**
   * Sends to the next pooled connection in turn, returning when the whole frame is written.
   * @throws NetError `NET_ERR_NOT_CONNECTED` when the pool is empty, `NET_ERR_TIMEOUT` when no room
   * came within `timeout` (nothing was written; the connection stays usable)
   */
  send(message: Send, options?: BlockingCallOptions): void {
    if (this._service.pool.send(message, deadlineOf(options)) !== 'completed') throw timedOut('service send', options);
  }

  /**
   * Sends to one pooled connection, returning when the whole frame is written.
   * @throws NetError `NET_ERR_NOT_CONNECTED` when no such connection is pooled, `NET_ERR_TIMEOUT` as {@link send}
   */
  sendTo(target: ConId | number, message: Send, options?: BlockingCallOptions): void {
    if (this._service.pool.sendTo(target, message, deadlineOf(options)) !== 'completed') throw timedOut(`service send to ${String(target)}`, options);
  }

  /** Sends to every pooled connection; returns how many took it. */
  broadcast(message: Send): number {
    return this._service.pool.broadcast(message);
  }

  /** The next message from any pooled connection, fairly, parking until one comes. */
  recv(options?: BlockingCallOptions): Recv {
    return this.recvFrom(options).message;
  }

  /** Like {@link recv}, with the connection the message came from. */
  recvFrom(options?: BlockingCallOptions): { conId: ConId; message: Recv } {
    const deadline = deadlineOf(options);
    return this._park(deadline, () => this._service.pool.recvFrom(), () => timedOut('service recv', options));
  }

  /** Stops listening, says goodbye on every pooled connection and closes it. The port is free again at once. */
  close(): void {
    this._service.close();
  }

  /** Same as {@link close}, for `using`. */
  [Symbol.dispose](): void {
    this.close();
  }

  private _acceptConnection(options: BlockingCallOptions | undefined) {
    if (this._service.closed) throw new NetError(ErrorCode.CLOSED, 'service is closed');
    const deadline = deadlineOf(options);
    return this._park(
      deadline,
      () => {
        const result = this._service.acceptor.step();
        return result === WOULD_BLOCK || result === REJECTED ? undefined : result;
      },
      () => timedOut('accept', options),
    );
  }

  /**
   * Runs `attempt` until it gives something, parking between attempts until the broker posts an
   * event (a connection accepted, a watched descriptor's bytes), a timer task is due, or `deadline`.
   */
  private _park<T>(deadline: number, attempt: () => T | undefined, onTimeout: () => NetError): T {
    const broker = this._service.broker;
    const timer = this._service.resolved.timer;
    for (;;) {
      const seen = broker.eventCount;
      timer.poll();
      const found = attempt();
      if (found !== undefined) return found;
      const now = performance.now();
      if (now >= deadline) throw onTimeout();
      broker.waitForEvent(seen, Math.max(0, Math.min(deadline, now + timer.msUntilNext()) - now));
    }
  }
}
