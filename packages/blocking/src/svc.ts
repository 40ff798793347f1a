import { type AddressInput, checkIntegerOption, ConId, ConnectionGate, DEFAULT_MAX_CONNECTIONS, ErrorCode, MAX_POOL_CAPACITY, NetError, parseEndpoint } from '@net/core';
import {
  newSyncConnection,
  REJECTED,
  type ResolvedSyncOptions,
  resolveSyncOptions,
  socketBroker,
  SyncAcceptor,
  SyncPool,
  type SyncSvcOptions,
  WOULD_BLOCK,
} from '@net/core/sync';
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
  /** The service's id: its name and the address it listens on (with the real port). */
  readonly conId: ConId;
  private readonly _serverId: number;
  private readonly _resolved: ResolvedSyncOptions;
  private readonly _acceptor: SyncAcceptor<Send, Recv>;
  private readonly _pool: SyncPool<Send, Recv>;
  private _closed = false;

  private constructor(serverId: number, conId: ConId, options: SvcOptions<Send, Recv>, resolved: ResolvedSyncOptions) {
    this._serverId = serverId;
    this.conId = conId;
    this._resolved = resolved;
    const gate = new ConnectionGate(options.maxConnections ?? DEFAULT_MAX_CONNECTIONS);
    this._acceptor = new SyncAcceptor({
      broker: socketBroker(),
      serverId,
      name: options.name,
      gate,
      callbacks: options.callbacks,
      logger: resolved.logger,
      makeConnection: (fd, id) => newSyncConnection(fd, id, options, resolved),
    });
    // Pooled descriptors stay non-blocking: one thread serves them all, parking between passes.
    this._pool = new SyncPool(gate.max, resolved.timer, resolved.protocolSendTimeout, 1);
  }

  /**
   * Listens on `address` (port 0 for any free port, or a Unix socket path).
   * @throws NetError `NET_ERR_SOCKET` (address in use, ...), `NET_ERR_INVALID_ARGUMENT`, `NET_ERR_UNSUPPORTED`
   */
  static bind<Send, Recv>(address: AddressInput, options: SvcOptions<Send, Recv>): Svc<Send, Recv> {
    const endpoint = parseEndpoint(address);
    const resolved = resolveSyncOptions(options as SvcOptions<unknown, unknown>);
    checkIntegerOption('maxConnections', options.maxConnections ?? DEFAULT_MAX_CONNECTIONS, 1, MAX_POOL_CAPACITY);
    const { serverId, local } = socketBroker().listen(endpoint, { backlog: options.backlog ?? 511, noDelay: resolved.noDelay, blocking: false });
    return new Svc(serverId, ConId.acceptor(options.name, local), options, resolved);
  }

  /** The port the service listens on (0 for a Unix socket). */
  get port(): number {
    const local = this.conId.local!;
    return local.kind === 'tcp' ? local.port : 0;
  }

  /** Connections in the pool. */
  get size(): number {
    return this._pool.size;
  }

  /** Connections refused (over the limit, or a failed handshake). */
  get rejectedCount(): number {
    return this._acceptor.rejectedCount;
  }

  /**
   * The next connection whose handshake succeeded, handed to you (blocking mode, not pooled).
   * @throws NetError `NET_ERR_TIMEOUT`, `NET_ERR_CLOSED`
   */
  accept(options?: BlockingCallOptions): Clt<Send, Recv> {
    const connection = this._acceptConnection(options);
    makeBlocking(connection);
    return new Clt(connection, this._resolved);
  }

  /** Waits for the next connection and puts it into the pool; returns its id. */
  acceptIntoPool(options?: BlockingCallOptions): ConId {
    const connection = this._acceptConnection(options);
    this._pool.add(connection);
    return connection.conId;
  }

  /** Sends to the next pooled connection in turn. @throws NetError `NET_ERR_NOT_CONNECTED` when the pool is empty */
  send(message: Send): void {
    this._pool.send(message, Infinity);
  }

  /** Sends to one pooled connection. */
  sendTo(target: ConId | number, message: Send): void {
    this._pool.sendTo(target, message, Infinity);
  }

  /** Sends to every pooled connection; returns how many took it. */
  broadcast(message: Send): number {
    return this._pool.broadcast(message);
  }

  /** The next message from any pooled connection, fairly, parking until one comes. */
  recv(options?: BlockingCallOptions): Recv {
    return this.recvFrom(options).message;
  }

  /** Like {@link recv}, with the connection the message came from. */
  recvFrom(options?: BlockingCallOptions): { conId: ConId; message: Recv } {
    const deadline = deadlineOf(options);
    return this._park(deadline, () => this._pool.recvFrom(), () => timedOut('service recv', options));
  }

  /** Stops listening, says goodbye on every pooled connection and closes it. The port is free again at once. */
  close(): void {
    if (this._closed) return;
    this._closed = true;
    socketBroker().unlisten(this._serverId);
    this._acceptor.close();
    this._pool.close();
  }

  /** Same as {@link close}, for `using`. */
  [Symbol.dispose](): void {
    this.close();
  }

  private _acceptConnection(options: BlockingCallOptions | undefined) {
    if (this._closed) throw new NetError(ErrorCode.CLOSED, 'service is closed');
    const deadline = deadlineOf(options);
    return this._park(
      deadline,
      () => {
        const result = this._acceptor.step();
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
    const broker = socketBroker();
    const timer = this._resolved.timer;
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
