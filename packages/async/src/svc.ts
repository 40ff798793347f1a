import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { unlink } from 'node:fs/promises';
import {
  type AddressInput,
  ConId,
  ConnectionGate,
  DEFAULT_BACKLOG,
  DEFAULT_MAX_CONNECTIONS,
  type Endpoint,
  ErrorCode,
  fromSocketError,
  MAX_POOL_CAPACITY,
  NetError,
  parseEndpoint,
  type Received,
  resolveEndpoint,
} from '@net/core';
import { checkIntegerOption, RingQueue } from '@net/core/internal';
import { boundedWait, invalidBounds, removeFrom, type Waiter } from './bounded-wait.js';
import { Clt } from './clt.js';
import { Connection } from './connection.js';
import type { RecvOptions } from './message-inbox.js';
import {
  connectionSetup,
  resolveConnectionOptions,
  type ResolvedConnectionOptions,
  type SvcOptions,
} from './options.js';
import { SvcPool } from './svc-pool.js';

/**
 * A listening service. Each connection runs the protocol handshake first; then it waits to be
 * taken with {@link accept} (you own the `Clt`) or {@link acceptIntoPool} (the service's pool
 * serves it through {@link send}, {@link recv}, {@link sendTo} and {@link broadcast}), or goes into
 * the pool at once with `autoPool`. Connections over `maxConnections` are closed as they arrive.
 */
export class Svc<Send, Recv> implements AsyncDisposable {
  /** The service's id: its name and the address it listens on (with the real port). */
  readonly conId: ConId;
  /** Connections refused because the service was full. */
  rejectedCount = 0;
  private readonly _server: Server;
  private readonly _options: SvcOptions<Send, Recv>;
  private readonly _resolved: ResolvedConnectionOptions;
  private readonly _gate: ConnectionGate;
  private readonly _pool: SvcPool<Send, Recv>;
  private readonly _ready = new RingQueue<Connection<Send, Recv>>();
  private readonly _acceptWaiters: Waiter<Clt<Send, Recv>>[] = [];
  private readonly _all = new Set<Connection<Send, Recv>>();
  private _closing: Promise<void> | undefined;

  private constructor(
    server: Server,
    local: Endpoint,
    options: SvcOptions<Send, Recv>,
    resolved: ResolvedConnectionOptions,
  ) {
    this._server = server;
    this._options = options;
    this._resolved = resolved;
    this.conId = ConId.acceptor(options.name, local);
    this._gate = new ConnectionGate(options.maxConnections ?? DEFAULT_MAX_CONNECTIONS);
    this._pool = new SvcPool(this._gate.max, resolved.timer);
    server.on(options.tls !== undefined ? 'secureConnection' : 'connection', (socket: Socket) =>
      this._onSocket(socket),
    );
  }

  /**
   * Listens on `address` (`'host:port'`, port 0 for any free port, or a Unix socket path).
   * @throws NetError `NET_ERR_SOCKET` (address in use, ...), `NET_ERR_RESOLVE`, `NET_ERR_INVALID_ARGUMENT`
   */
  static async bind<Send, Recv>(address: AddressInput, options: SvcOptions<Send, Recv>): Promise<Svc<Send, Recv>> {
    const endpoint = await resolveEndpoint(parseEndpoint(address));
    const resolved = resolveConnectionOptions(options);
    checkIntegerOption('maxConnections', options.maxConnections ?? DEFAULT_MAX_CONNECTIONS, 1, MAX_POOL_CAPACITY);
    const server = options.tls !== undefined ? createTlsServer(options.tls) : createNetServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error) => reject(fromSocketError(error, `bind ${address.toString()}`)));
      const backlog = options.backlog ?? DEFAULT_BACKLOG;
      if (endpoint.kind === 'unix') server.listen({ path: endpoint.path, backlog }, resolve);
      else server.listen({ host: endpoint.host, port: endpoint.port, backlog }, resolve);
    });
    server.removeAllListeners('error');
    server.on('error', (error) => resolved.logger.error(`service ${address.toString()}: ${error.message}`, error));
    const bound = server.address();
    const local: Endpoint =
      typeof bound === 'object' && bound !== null ? { kind: 'tcp', host: bound.address, port: bound.port } : endpoint;
    try {
      return new Svc(server, local, options, resolved);
    } catch (error) {
      server.close();
      throw error;
    }
  }

  /** The address the service listens on, with the real port. */
  get address(): Endpoint {
    // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- a listening service always has its local address
    return this.conId.local!;
  }

  /** The port the service listens on (0 for a Unix socket). */
  get port(): number {
    // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- a listening service always has its local address
    const local = this.conId.local!;
    return local.kind === 'tcp' ? local.port : 0;
  }

  /** Connections in the pool. */
  get size(): number {
    return this._pool.size;
  }

  /** Connections open now, pooled or not. */
  get connectionCount(): number {
    return this._gate.current;
  }

  /** The pooled connections. */
  connections(): IterableIterator<Clt<Send, Recv>> {
    return this._pool.connections();
  }

  /**
   * The next connection that completed its handshake, handed to you (it is not pooled).
   * @throws NetError `NET_ERR_TIMEOUT`, `NET_ERR_ABORTED` or `NET_ERR_CLOSED`
   */
  accept(options?: RecvOptions): Promise<Clt<Send, Recv>> {
    const invalid = invalidBounds(options);
    if (invalid !== undefined) return Promise.reject(invalid);
    if (this._closing !== undefined) return Promise.reject(this._closedError());
    const connection = this._ready.shift();
    if (connection !== undefined) return Promise.resolve(new Clt(connection));
    return boundedWait<Clt<Send, Recv>>(
      options,
      this._resolved.timer,
      'connection',
      (waiter) => this._acceptWaiters.push(waiter),
      (waiter) => removeFrom(this._acceptWaiters, waiter),
    );
  }

  /** Waits for the next connection and puts it into the pool; resolves with its id. */
  async acceptIntoPool(options?: RecvOptions): Promise<ConId> {
    const clt = await this.accept(options);
    this._addToPool(clt);
    return clt.conId;
  }

  /**
   * Sends to the next pooled connection in turn.
   * @throws NetError `NET_ERR_NOT_CONNECTED` when the pool is empty, `NET_ERR_CLOSED` once the
   * service is closed
   */
  send(message: Send): boolean {
    if (this._closing !== undefined) throw this._closedError();
    return this._pool.send(message);
  }

  /**
   * Sends to one pooled connection, by id or serial number.
   * @throws NetError `NET_ERR_NOT_CONNECTED` when that connection is not in the pool,
   * `NET_ERR_CLOSED` once the service is closed
   */
  sendTo(target: ConId | number, message: Send): boolean {
    if (this._closing !== undefined) throw this._closedError();
    return this._pool.sendTo(target, message);
  }

  /**
   * Sends to every pooled connection; returns how many took it (0 for an empty pool).
   * @throws NetError `NET_ERR_CLOSED` once the service is closed
   */
  broadcast(message: Send): number {
    if (this._closing !== undefined) throw this._closedError();
    return this._pool.broadcast(message);
  }

  /**
   * The next message from any pooled connection, fairly; `undefined` once the service closed (the
   * end of its stream, as a client's receive gives, so a reader loop ends the same way whether its
   * receive was waiting when the service closed or called just after).
   */
  recv(options?: RecvOptions): Promise<Recv | undefined> {
    return this._pool.recv(options);
  }

  /** Like {@link recv}, with the connection the message came from. */
  recvFrom(options?: RecvOptions): Promise<Received<Recv> | undefined> {
    return this._pool.recvFrom(options);
  }

  /**
   * Stops listening, says goodbye on every connection (the protocol's `onDisconnect`) and closes
   * them, including those handed out by {@link accept}. The address can be bound again at once.
   */
  close(): Promise<void> {
    this._closing ??= this._close();
    return this._closing;
  }

  /** Same as {@link close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  private async _close(): Promise<void> {
    const stopped = new Promise<void>((resolve) => this._server.close(() => resolve()));
    for (const waiter of this._acceptWaiters.splice(0)) {
      waiter.cancel();
      waiter.reject(this._closedError());
    }
    this._pool.close();
    await Promise.all([...this._all].map((connection) => connection.close()));
    await stopped;
    const local = this.conId.local;
    if (local?.kind === 'unix') await unlink(local.path).catch(() => {});
  }

  private _closedError(): NetError {
    return new NetError(ErrorCode.CLOSED, `${String(this.conId)}: the service is closed`);
  }

  private _onSocket(socket: Socket): void {
    const peer: Endpoint = { kind: 'tcp', host: socket.remoteAddress ?? 'pending', port: socket.remotePort ?? 0 };
    // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- a listening service always has its local address
    const local = this.conId.local!;
    const conId = ConId.acceptor(this._options.name, local, local.kind === 'unix' ? undefined : peer);
    const slot = this._closing === undefined ? this._gate.tryAcquire() : undefined;
    if (slot === undefined) {
      this.rejectedCount++;
      socket.destroy();
      const reason = new NetError(
        ErrorCode.REJECTED,
        `${String(conId)} refused: ${this._gate.current} of ${this._gate.max} connections in use`,
        {
          details: { maxConnections: this._gate.max },
        },
      );
      try {
        this._options.callbacks?.onRejected?.(conId, reason);
      } catch (error) {
        this._resolved.logger.warn(`${String(conId)}: onRejected threw`, error);
      }
      return;
    }
    const resolved = this._resolved;
    if (this.conId.local?.kind !== 'unix') socket.setNoDelay(resolved.noDelay);
    if (resolved.keepAlive !== false) socket.setKeepAlive(true, resolved.keepAlive === true ? 0 : resolved.keepAlive);
    const { onMessage, onError } = this._options;
    const deliver = onMessage === undefined ? undefined : (message: Recv) => onMessage(message, conId);
    const fail = onError === undefined ? undefined : (error: NetError) => onError(error, conId);
    const connection = new Connection(connectionSetup(socket, conId, this._options, resolved, deliver, true, fail));
    this._all.add(connection);
    socket.on('data', (chunk: Buffer) => connection.onBytes(chunk, true));
    void connection.closed.then(() => {
      slot.release();
      this._all.delete(connection);
      this._ready.remove(connection);
    });
    connection.ready.then(
      () => this._onReady(connection),
      // A failed handshake ends the connection for the service at once, so its slot is free
      // before the socket has finished closing.
      () => slot.release(),
    );
    connection.start();
  }

  private _onReady(connection: Connection<Send, Recv>): void {
    if (!connection.isOpen) return;
    if (this._options.autoPool === true) {
      this._addToPool(new Clt(connection));
      return;
    }
    const waiter = this._acceptWaiters.shift();
    if (waiter !== undefined) {
      waiter.cancel();
      waiter.resolve(new Clt(connection));
    } else {
      this._ready.push(connection);
    }
  }

  private _addToPool(clt: Clt<Send, Recv>): void {
    this._pool.add(clt, clt.inboxForPool());
  }
}
