import {
  type AddressInput,
  ConId,
  ConnectionGate,
  DEFAULT_BACKLOG,
  DEFAULT_MAX_CONNECTIONS,
  MAX_POOL_CAPACITY,
  parseEndpoint,
} from '@net/core';
import { checkIntegerOption } from '@net/core/internal';
import { socketBroker } from './shared-broker.js';
import type { SocketHost } from './socket-host.js';
import { SyncAcceptor } from './sync-acceptor.js';
import {
  newSyncConnection,
  type ResolvedSyncOptions,
  resolveSyncOptions,
  type SyncSvcOptions,
} from './sync-options.js';
import { SyncPool } from './sync-pool.js';

/**
 * The parts of a synchronous-flavour service that do not wait: the listener at the broker, the
 * step-by-step acceptor with its connection gate, and the pool. `@net/nonblocking` and
 * `@net/blocking` each wrap one and add only how their calls wait.
 */
export class SyncService<Send, Recv> {
  /** The service's id: its name and the address it listens on (with the real port). */
  readonly conId: ConId;
  readonly resolved: ResolvedSyncOptions;
  readonly acceptor: SyncAcceptor<Send, Recv>;
  readonly pool: SyncPool<Send, Recv>;
  /** The broker thread that holds the listener and every connection accepted from it. */
  readonly broker: SocketHost;
  private readonly _serverId: number;
  private _closed = false;

  private constructor(
    broker: SocketHost,
    serverId: number,
    conId: ConId,
    options: SyncSvcOptions<Send, Recv>,
    resolved: ResolvedSyncOptions,
    idlePollsBeforeWatch: number,
  ) {
    this.broker = broker;
    this._serverId = serverId;
    this.conId = conId;
    this.resolved = resolved;
    const gate = new ConnectionGate(options.maxConnections ?? DEFAULT_MAX_CONNECTIONS);
    this.acceptor = new SyncAcceptor({
      broker,
      serverId,
      name: options.name,
      gate,
      callbacks: options.callbacks,
      logger: resolved.logger,
      makeConnection: (fd, id) => newSyncConnection(fd, id, options, resolved, broker),
    });
    this.pool = new SyncPool(gate.max, resolved.timer, resolved.protocolSendTimeout, idlePollsBeforeWatch);
  }

  /**
   * Listens on `address` (port 0 for any free port, or a Unix socket path). Every option is checked
   * before the port is taken, so a bad one never leaves a listener behind.
   * @throws NetError `NET_ERR_SOCKET` (address in use, ...), `NET_ERR_INVALID_ARGUMENT`, `NET_ERR_UNSUPPORTED`
   */
  static bind<Send, Recv>(
    address: AddressInput,
    options: SyncSvcOptions<Send, Recv>,
    idlePollsBeforeWatch: number,
  ): SyncService<Send, Recv> {
    const endpoint = parseEndpoint(address);
    const resolved = resolveSyncOptions(options);
    checkIntegerOption('maxConnections', options.maxConnections ?? DEFAULT_MAX_CONNECTIONS, 1, MAX_POOL_CAPACITY);
    checkIntegerOption('idlePollsBeforeWatch', idlePollsBeforeWatch, 1, Number.MAX_SAFE_INTEGER);
    const broker = socketBroker();
    const { serverId, local } = broker.listen(endpoint, {
      backlog: options.backlog ?? DEFAULT_BACKLOG,
      noDelay: resolved.noDelay,
      blocking: false,
    });
    return new SyncService(
      broker,
      serverId,
      ConId.acceptor(options.name, local),
      options,
      resolved,
      idlePollsBeforeWatch,
    );
  }

  /** True once {@link close} was called. */
  get closed(): boolean {
    return this._closed;
  }

  /** The port the service listens on (0 for a Unix socket). */
  get port(): number {
    // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- a listening service always has its local address
    const local = this.conId.local!;
    return local.kind === 'tcp' ? local.port : 0;
  }

  /** Stops listening and closes every handshake in progress and every pooled connection (with goodbyes). */
  close(): void {
    if (this._closed) return;
    this._closed = true;
    // A broker that stopped took the listener with it; there is nothing left to stop.
    if (!this.broker.checkStopped()) this.broker.unlisten(this._serverId);
    this.pool.close();
    this.acceptor.close();
  }
}
