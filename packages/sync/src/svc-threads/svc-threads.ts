import { MessageChannel, type MessagePort } from 'node:worker_threads';
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
import { offProcessExit, onProcessExit } from '../exit-hooks.js';
import { checkSyncSocketSupport } from '../node-internals.js';
import { Acceptor } from './acceptor.js';
import { SvcThread } from './svc-thread.js';
import {
  DEFAULT_MESSAGES_PER_TURN,
  DEFAULT_THREAD_SEND_TIMEOUT_MS,
  MAX_SERVICE_THREADS,
  type SvcThreadsOptions,
  type SvcThreadStats,
} from './svc-threads-options.js';
import { handlerHref, loadHandler } from './thread-handler.js';

// How long close() waits for each thread to close its connections and end.
const CLOSE_WAIT_MS = 10_000;
// How long a process that exits with the service still open waits for each thread.
const EXIT_WAIT_MS = 1_000;
// Empty reads in a row after which a service thread watches a connection instead of reading it
// (broker path), and how long that run must have lasted: see SvcThreadData.idleMsBeforeWatch.
const IDLE_POLLS_BEFORE_WATCH = 4;
const IDLE_MS_BEFORE_WATCH = 1;

/**
 * A synchronous service spread over N threads. An accepting thread listens and hands each
 * connection whole to the service thread that serves the fewest; every service thread loaded the
 * user's handler module and runs its `onMessage` for each message of its connections, in order.
 * The binding thread only starts, counts and closes them, so it may block or do other work. An
 * open service keeps its process alive, as a listening `node:net` server does, until `close()`
 * (or `unref()`); a process that exits with it open stops its threads first.
 */
export class SvcThreads {
  /** The service's id: its name and the address it listens on (with the real port). */
  readonly conId: ConId;
  private readonly _acceptor: Acceptor;
  private readonly _threads: SvcThread[];
  private readonly _options: SvcThreadsOptions;
  private _failures = 0;
  private _closed = false;
  private readonly _onExit = (): void => this._stop(EXIT_WAIT_MS, true);

  private constructor(conId: ConId, acceptor: Acceptor, threads: SvcThread[], options: SvcThreadsOptions) {
    this.conId = conId;
    this._acceptor = acceptor;
    this._threads = threads;
    this._options = options;
    for (const thread of threads) {
      thread.onFailure = (error) => this._threadFailed(error);
      thread.onHandlerError = (error) => this._report(error);
    }
    acceptor.onError = (error) => this._report(error);
    onProcessExit(this._onExit);
  }

  /**
   * Listens on `address` (port 0 for any free port) and starts `options.threads` service threads,
   * each with the handler module loaded, and the accepting thread; resolves once all serve.
   * @throws NetError `NET_ERR_INVALID_ARGUMENT` for options out of range and for a handler module
   * that does not load or lacks what it must export (its error as `cause`), `NET_ERR_SOCKET`
   * (address in use, ...), `NET_ERR_UNSUPPORTED` where the synchronous flavours cannot run
   */
  static async bind(address: AddressInput, options: SvcThreadsOptions): Promise<SvcThreads> {
    checkSyncSocketSupport();
    if (typeof options !== 'object' || options === null)
      throw new NetError(ErrorCode.INVALID_ARGUMENT, 'bind takes { threads, handler, ... }');
    parseEndpoint(address);
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
    // Here first, so a bad module is one error from bind, before any thread starts.
    await loadHandler(href);
    const threads: SvcThread[] = [];
    const ports: MessagePort[] = [];
    let acceptor: Acceptor | undefined;
    try {
      for (let index = 0; index < count; index++) {
        const { port1, port2 } = new MessageChannel();
        ports.push(port1);
        threads.push(
          new SvcThread({
            index,
            port: port2,
            handler: href,
            sendTimeout,
            messagesPerTurn,
            idlePollsBeforeWatch: IDLE_POLLS_BEFORE_WATCH,
            idleMsBeforeWatch: IDLE_MS_BEFORE_WATCH,
          }),
        );
      }
      await Promise.all(threads.map((thread) => thread.ready));
      acceptor = new Acceptor({
        handler: href,
        address,
        name: options.name,
        backlog,
        noDelay: options.noDelay ?? true,
        maxConnections,
        threads: threads.map((thread, i) => ({ control: thread.control, port: ports[i] })),
      });
      const local = await acceptor.listening;
      return new SvcThreads(ConId.acceptor(options.name, local), acceptor, threads, options);
    } catch (error) {
      acceptor?.stop(CLOSE_WAIT_MS);
      for (const thread of threads) thread.requestStop();
      for (const thread of threads) thread.stop(CLOSE_WAIT_MS);
      for (const port of ports) port.close();
      throw error;
    }
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

  /** Connections served now, across all threads (those on their way to a thread included). */
  get connections(): number {
    let sum = 0;
    for (const thread of this._threads) sum += thread.connections;
    return sum;
  }

  /** Connections closed as they came: `maxConnections` were served already, or no thread was alive. */
  get rejectedCount(): number {
    return this._acceptor.rejected;
  }

  /** Service threads that ended while the service was open. */
  get threadFailures(): number {
    return this._failures;
  }

  /** True once {@link close} was called. */
  get isClosed(): boolean {
    return this._closed;
  }

  /** Each service thread's counts, read now from the words it shares with this thread. */
  stats(): SvcThreadStats[] {
    return this._threads.map((thread) => thread.stats());
  }

  /**
   * Lets the process exit while the service is open, when nothing else keeps it alive (as
   * `net.Server.unref`); an exiting process stops the service's threads first.
   * @returns this service
   */
  unref(): this {
    if (!this._closed) this._acceptor.unref();
    return this;
  }

  /**
   * Undoes {@link unref}: the open service keeps its process alive again (the default).
   * @returns this service
   */
  ref(): this {
    if (!this._closed) this._acceptor.ref();
    return this;
  }

  /**
   * Has every service thread close its connections (their peers see the end of the stream) and
   * end, stops listening, and parks until all threads ended (up to 10 s each). A thread does not
   * wait for its peers to close their side: what it wrote still reaches them. Idempotent.
   */
  close(): void {
    offProcessExit(this._onExit);
    this._stop(CLOSE_WAIT_MS);
  }

  /** Same as {@link close}, for `using`. */
  [Symbol.dispose](): void {
    this.close();
  }

  private _stop(waitMs: number, exiting = false): void {
    if (this._closed) return;
    this._closed = true;
    for (const thread of this._threads) thread.requestStop(exiting);
    for (const thread of this._threads) thread.stop(waitMs, exiting);
    // Last: on the broker path the accepting thread's broker holds every connection's socket.
    this._acceptor.stop(waitMs, exiting);
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
