import {
  type AddressInput,
  ConId,
  DEFAULT_BACKLOG,
  DEFAULT_MAX_CONNECTIONS,
  ErrorCode,
  MAX_POOL_CAPACITY,
  NetError,
  parseEndpoint,
} from '@net/core';
import { checkIntegerOption, checkTimeout } from '@net/core/internal';
import { checkSyncSocketSupport } from '../node-internals.js';
import { socketBroker } from '../shared-broker.js';
import type { SocketHost } from '../socket-host.js';
import { newSyncConnection, resolveSyncOptions } from '../sync-options.js';
import { transferHalf } from '../transfer/half-transfer.js';
import { SvcThread } from './svc-thread.js';
import {
  DEFAULT_MESSAGES_PER_TURN,
  DEFAULT_THREAD_SEND_TIMEOUT_MS,
  MAX_SERVICE_THREADS,
  type SvcThreadsOptions,
  type SvcThreadStats,
} from './svc-threads-options.js';
import { handlerHref, loadHandler, type ThreadHandler } from './thread-handler.js';

// How long the accepting loop waits for the listener at a time before it looks again.
const ACCEPT_WAIT_MS = 100;
// Empty reads in a row after which a thread watches a connection instead of reading it.
const IDLE_POLLS_BEFORE_WATCH = 4;

/**
 * A synchronous service spread over N threads: the binding thread listens and accepts (on its
 * event loop), and hands each connection whole to the thread that serves the fewest; every thread
 * loaded the user's handler module and runs its `onMessage` for each message, in order. The threads
 * never keep the process alive by themselves (nor does the listener, as with a single-thread
 * service): keep the binding thread alive while it serves, and `close()` it.
 */
export class SvcThreads {
  /** The service's id: its name and the address it listens on (with the real port). */
  readonly conId: ConId;
  private readonly _host: SocketHost;
  private readonly _serverId: number;
  private readonly _threads: SvcThread[];
  private readonly _handler: ThreadHandler<unknown, unknown>;
  private readonly _options: SvcThreadsOptions;
  private readonly _maxConnections: number;
  private _rejected = 0;
  private _failures = 0;
  private _closed = false;
  private readonly _onExit = (): void => this._stop(1_000);

  private constructor(
    host: SocketHost,
    serverId: number,
    conId: ConId,
    threads: SvcThread[],
    handler: ThreadHandler<unknown, unknown>,
    options: SvcThreadsOptions,
    maxConnections: number,
  ) {
    this._host = host;
    this._serverId = serverId;
    this.conId = conId;
    this._threads = threads;
    this._handler = handler;
    this._options = options;
    this._maxConnections = maxConnections;
    for (const thread of threads) {
      thread.onFailure = (error) => this._threadFailed(error);
      thread.onHandlerError = (error) => this._report(error);
    }
    process.once('exit', this._onExit);
    void this._acceptLoop();
  }

  /**
   * Listens on `address` (port 0 for any free port) and starts `options.threads` service threads,
   * each with the handler module loaded; resolves once all serve.
   * @throws NetError `NET_ERR_INVALID_ARGUMENT` for options out of range and for a handler module
   * that does not load or lacks what it must export (its error as `cause`), `NET_ERR_SOCKET`
   * (address in use, ...), `NET_ERR_UNSUPPORTED` where the synchronous flavours cannot run
   */
  static async bind(address: AddressInput, options: SvcThreadsOptions): Promise<SvcThreads> {
    checkSyncSocketSupport();
    if (typeof options !== 'object' || options === null)
      throw new NetError(ErrorCode.INVALID_ARGUMENT, 'bind takes { threads, handler, ... }');
    const endpoint = parseEndpoint(address);
    const count = checkIntegerOption('threads', options.threads, 1, MAX_SERVICE_THREADS);
    const maxConnections = checkIntegerOption(
      'maxConnections',
      options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
      1,
      MAX_POOL_CAPACITY,
    );
    const backlog = checkIntegerOption('backlog', options.backlog ?? DEFAULT_BACKLOG, 1, 65_535);
    const messagesPerTurn = checkIntegerOption(
      'messagesPerTurn',
      options.messagesPerTurn ?? DEFAULT_MESSAGES_PER_TURN,
      1,
      65_536,
    );
    const sendTimeout = checkTimeout('sendTimeout', options.sendTimeout ?? DEFAULT_THREAD_SEND_TIMEOUT_MS);
    if (options.onError !== undefined && typeof options.onError !== 'function')
      throw new NetError(ErrorCode.INVALID_ARGUMENT, 'onError must be a function', { details: { option: 'onError' } });
    const href = handlerHref(options.handler);
    const handler = await loadHandler(href);
    const host = socketBroker();
    const { serverId, local } = host.listen(endpoint, {
      backlog,
      noDelay: options.noDelay ?? true,
      blocking: false,
    });
    const threads: SvcThread[] = [];
    try {
      for (let index = 0; index < count; index++)
        threads.push(
          new SvcThread({
            index,
            handler: href,
            sendTimeout,
            messagesPerTurn,
            idlePollsBeforeWatch: IDLE_POLLS_BEFORE_WATCH,
          }),
        );
      await Promise.all(threads.map((thread) => thread.ready));
    } catch (error) {
      for (const thread of threads) thread.stop(10_000);
      host.unlisten(serverId);
      throw error;
    }
    return new SvcThreads(
      host,
      serverId,
      ConId.acceptor(options.name, local),
      threads,
      handler,
      options,
      maxConnections,
    );
  }

  /** The port the service listens on (0 for a Unix socket). */
  get port(): number {
    // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- a listening service always has its local address
    const local = this.conId.local!;
    return local.kind === 'tcp' ? local.port : 0;
  }

  /** How many service threads the service started. */
  get threads(): number {
    return this._threads.length;
  }

  /** Connections served now, across all threads. */
  get connections(): number {
    let sum = 0;
    for (const thread of this._threads) sum += thread.connections;
    return sum;
  }

  /** Connections closed as they came because `maxConnections` were served already. */
  get rejectedCount(): number {
    return this._rejected;
  }

  /** Service threads that ended while the service was open. */
  get threadFailures(): number {
    return this._failures;
  }

  /** True once {@link close} was called. */
  get isClosed(): boolean {
    return this._closed;
  }

  /** Each thread's counts, read now from the words it shares with this thread. */
  stats(): SvcThreadStats[] {
    return this._threads.map((thread) => thread.stats());
  }

  /**
   * Stops listening, has every thread close its connections (their peers see the end of the
   * stream) and end, and parks until they did (up to 10 s each). The port is free again at once.
   * Idempotent.
   */
  close(): void {
    process.off('exit', this._onExit);
    this._stop(10_000);
  }

  /** Same as {@link close}, for `using`. */
  [Symbol.dispose](): void {
    this.close();
  }

  private _stop(waitMs: number): void {
    if (this._closed) return;
    this._closed = true;
    if (!this._host.checkStopped()) this._host.unlisten(this._serverId);
    for (const thread of this._threads) thread.requestStop();
    for (const thread of this._threads) thread.stop(waitMs);
  }

  private async _acceptLoop(): Promise<void> {
    const host = this._host;
    while (!this._closed) {
      const seen = host.eventCount;
      try {
        this._acceptWaiting();
      } catch (error) {
        this._report(error as NetError);
        if (host.checkStopped()) return;
      }
      if (this._closed) return;
      await host.whenEvent(seen, ACCEPT_WAIT_MS);
    }
  }

  private _acceptWaiting(): void {
    const host = this._host;
    for (
      let socket = host.takeAccepted(this._serverId);
      socket !== undefined;
      socket = host.takeAccepted(this._serverId)
    ) {
      const target = this._leastLoaded();
      if (target === undefined || this.connections >= this._maxConnections) {
        // Closed at once, so the peer sees the end of the stream rather than a silent socket.
        host.close(socket.fd);
        this._rejected++;
        continue;
      }
      const conId = ConId.acceptor(this._options.name, socket.local, socket.peer);
      const codec = this._handler.codec;
      const connection = newSyncConnection(socket.fd, conId, { codec }, resolveSyncOptions({ codec }), host);
      connection.driver.start();
      if (!connection.stepHandshake()) throw connection.failHandshake();
      const receiver = transferHalf(connection, 'receiver');
      const sender = transferHalf(connection, 'sender');
      connection.letGo();
      target.give(receiver, sender);
    }
  }

  private _leastLoaded(): SvcThread | undefined {
    let best: SvcThread | undefined;
    for (const thread of this._threads) {
      if (thread.alive && (best === undefined || thread.connections < best.connections)) best = thread;
    }
    return best;
  }

  private _threadFailed(error: NetError): void {
    if (this._closed) return;
    this._failures++;
    this._report(error);
  }

  private _report(error: NetError): void {
    try {
      this._options.onError?.(error);
    } catch {
      // The reporter's own failure is not the service's: it serves on.
    }
  }
}
