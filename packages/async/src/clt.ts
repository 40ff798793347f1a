import {
  type AddressInput,
  type ConId,
  type Endpoint,
  ErrorCode,
  isRetryable,
  NetError,
  parseEndpoint,
  resolveEndpoint,
} from '@net/core';
import type { Socket } from 'node:net';
import { ConnectAttempts, resolveConnectTiming } from '@net/core/internal';
import { Connection } from './connection.js';
import { CltReceiver, CltSender } from './clt-halves.js';
import type { MessageInbox, RecvOptions } from './message-inbox.js';
import { openSocket, initiatorConId, ReadTarget } from './open-socket.js';
import {
  type CltOptions,
  connectionSetup,
  resolveConnectionOptions,
  type ResolvedConnectionOptions,
} from './options.js';
import { ReconnectPolicy } from './reconnect-policy.js';
import { Reconnector } from './reconnector.js';
import { RecvIterator } from './recv-iterator.js';

/**
 * A connection that sends `Send` messages and receives `Recv` messages: made by
 * {@link Clt.connect}, or by a service accepting (then it is the service's `Clt` for that peer).
 *
 * ```ts
 * const clt = await Clt.connect('127.0.0.1:8080', { codec: jsonCodec<Ping, Pong>() });
 * clt.send({ type: 'ping' });
 * const pong = await clt.recv({ timeout: 1_000 });
 * await clt.close();
 * ```
 */
export class Clt<Send, Recv> implements AsyncIterable<Recv>, AsyncDisposable {
  private _connection: Connection<Send, Recv>;
  private readonly _reconnect: Reconnector<Send, Recv> | undefined;
  private _closing = false;

  /** @internal Built by {@link Clt.connect} and by services. */
  constructor(connection: Connection<Send, Recv>, reconnect?: Reconnector<Send, Recv>) {
    this._connection = connection;
    this._reconnect = reconnect;
  }

  /**
   * Connects to `address` (`'host:port'`, `{ host, port }` or a Unix socket path), retrying every
   * `retryAfter` ms until `timeout`, then runs the protocol handshake.
   * @throws NetError `NET_ERR_CONNECT_TIMEOUT` (the last attempt's error as cause), `NET_ERR_HANDSHAKE`,
   * `NET_ERR_ABORTED`, `NET_ERR_RESOLVE` or `NET_ERR_INVALID_ARGUMENT`
   */
  static async connect<Send, Recv>(address: AddressInput, options: CltOptions<Send, Recv>): Promise<Clt<Send, Recv>> {
    const endpoint = await resolveEndpoint(parseEndpoint(address));
    const resolved = resolveConnectionOptions(options);
    const timing = resolveConnectTiming(options);
    const connector = new Connector(endpoint, options, resolved);
    if (options.reconnect === undefined || options.reconnect === false) {
      const connection = await connector.connect(timing.timeout, timing.retryAfter, undefined);
      const clt = new Clt(connection);
      clt._closeOnAbort(options.signal);
      return clt;
    }
    const policy = new ReconnectPolicy(options.reconnect === true ? {} : options.reconnect);
    const reconnector = new Reconnector(connector, policy, resolved);
    const connection = await connector.connect(timing.timeout, timing.retryAfter, reconnector.inbox);
    const clt = new Clt(connection, reconnector);
    reconnector.watch(clt, connection);
    clt._closeOnAbort(options.signal);
    return clt;
  }

  /** The current connection's id. */
  get conId(): ConId {
    return this._connection.conId;
  }

  /** Logical state: connected, handshake done, and the protocol agrees. */
  isConnected(): boolean {
    return this._connection.isOpen && this._connection.driver.isConnected();
  }

  /** Outbound bytes not yet taken by the kernel. */
  get bufferedBytes(): number {
    return this._connection.bufferedBytes;
  }

  /**
   * Encodes `message` and queues it for the write at the end of this tick (one write for all the
   * sends of a tick). Returns false when the outbound buffer is above the high-water mark: wait
   * for {@link drained} before sending much more.
   * @throws NetError `NET_ERR_BACKPRESSURE` past `maxBufferedBytes` (the message is not queued),
   * `NET_ERR_CLOSED`, `NET_ERR_NOT_CONNECTED` while reconnecting, or an encode error
   */
  send(message: Send): boolean {
    if (this._reconnect?.reconnecting)
      throw new NetError(ErrorCode.NOT_CONNECTED, `${String(this.conId)} is reconnecting`);
    return this._connection.send(message);
  }

  /** Writes what is queued now rather than at the end of the tick. */
  flush(): void {
    this._connection.flush();
  }

  /** Resolves once the outbound buffer is at or below its low-water mark. */
  drained(): Promise<void> {
    return this._connection.drained();
  }

  /**
   * The next message, or `undefined` once the peer closed the connection cleanly.
   * @throws NetError `NET_ERR_TIMEOUT` / `NET_ERR_ABORTED` (the connection stays usable),
   * `NET_ERR_DECODE` for a frame that did not decode (the next call reads on), or the reason the
   * connection ended
   */
  recv(options?: RecvOptions): Promise<Recv | undefined> {
    return (this._reconnect?.inbox ?? this._connection.inbox).take(options);
  }

  /** Iterates the messages until the connection ends. */
  [Symbol.asyncIterator](): AsyncIterableIterator<Recv> {
    return new RecvIterator(() => this.recv());
  }

  /** Splits into a sender and a receiver half for different parts of a program. */
  split(): { sender: CltSender<Send, Recv>; receiver: CltReceiver<Send, Recv> } {
    return { sender: new CltSender(this), receiver: new CltReceiver(this) };
  }

  /** Settles with the reason once the connection is gone for good (undefined for a clean close). */
  get closed(): Promise<NetError | undefined> {
    return this._reconnect?.finished ?? this._connection.closed;
  }

  /** Graceful close: the protocol's last words, everything queued, then FIN; resolves when closed. */
  async close(): Promise<void> {
    this._closing = true;
    this._reconnect?.stop();
    await this._connection.close();
  }

  /** Closes at once, reporting `reason` to callbacks and pending receives. */
  destroy(reason?: NetError): void {
    this._closing = true;
    this._reconnect?.stop();
    this._connection.destroy(reason);
  }

  /** Same as {@link close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** @internal Whether the user asked to close. */
  get closingByUser(): boolean {
    return this._closing;
  }

  /** @internal The inbox a service pool takes this connection's messages from. */
  inboxForPool(): MessageInbox<Recv> {
    return this._connection.inbox;
  }

  /** @internal Swaps in a new connection after a reconnect. */
  replaceConnection(connection: Connection<Send, Recv>): void {
    this._connection = connection;
  }

  private _closeOnAbort(signal: AbortSignal | undefined): void {
    signal?.addEventListener(
      'abort',
      () => this.destroy(new NetError(ErrorCode.ABORTED, 'connection aborted', { cause: signal.reason })),
      { once: true },
    );
  }
}

/** Opens connections to one endpoint with one set of options. */
class Connector<Send, Recv> {
  constructor(
    readonly endpoint: Endpoint,
    private readonly _options: CltOptions<Send, Recv>,
    private readonly _resolved: ResolvedConnectionOptions,
  ) {}

  /**
   * Connects with retries until `timeout`, then completes the handshake.
   * @throws NetError `NET_ERR_CONNECT_TIMEOUT` with the last attempt's own reason as cause (see
   * `ConnectAttempts`), or at once an error no retry can mend (see `isRetryable`)
   */
  async connect(
    timeout: number,
    retryAfter: number,
    inbox: MessageInbox<Recv> | undefined,
  ): Promise<Connection<Send, Recv>> {
    const { timer } = this._resolved;
    const attempts = new ConnectAttempts(this.endpoint, timeout, timer.now());
    for (;;) {
      try {
        return await this.attempt(attempts.attemptTimeout(timer.now()), inbox);
      } catch (error) {
        if (!isRetryable(error)) throw error;
        attempts.failed(error as NetError);
      }
      await pause(attempts.retryPause(timer.now(), retryAfter), this._options.signal);
    }
  }

  /** One attempt: a socket within `timeoutMs`, then the handshake; rejects with that attempt's error. */
  async attempt(timeoutMs: number, inbox: MessageInbox<Recv> | undefined): Promise<Connection<Send, Recv>> {
    const target = new ReadTarget();
    const socket = await openSocket(this.endpoint, {
      ...this._resolved,
      tls: this._options.tls,
      timeoutMs,
      signal: this._options.signal,
      target,
    });
    return await this._handshake(socket, target, inbox);
  }

  private async _handshake(
    socket: Socket,
    target: ReadTarget,
    inbox: MessageInbox<Recv> | undefined,
  ): Promise<Connection<Send, Recv>> {
    const options = this._options;
    const deliver = options.onMessage ?? (inbox === undefined ? undefined : (message: Recv) => inbox.push(message));
    const conId = initiatorConId(options.name, socket, this.endpoint);
    // A reconnecting client's messages go to the inbox that spans its connections; a frame that
    // did not decode goes there too, so its `recv()` throws it as a plain client's does.
    const { onError } = options;
    let fail: ((error: NetError) => void) | undefined;
    if (options.onMessage === undefined) fail = inbox === undefined ? undefined : (error) => inbox.pushError(error);
    else if (onError !== undefined) fail = (error) => onError(error, conId);
    const setup = connectionSetup(
      socket,
      conId,
      options,
      this._resolved,
      deliver,
      options.onMessage === undefined,
      fail,
    );
    const connection = new Connection(setup);
    target.attach((chunk, stable) => connection.onBytes(chunk, stable));
    connection.start();
    try {
      await connection.ready;
    } catch (error) {
      // Connected, then lost during the handshake: a handshake failure, not a reason to retry.
      const netError = error as NetError;
      // A protocol hook other than the handshake's threw: its own error, as after the handshake.
      if (netError.code === ErrorCode.HANDSHAKE || netError.code === ErrorCode.PROTOCOL) throw netError;
      throw new NetError(
        ErrorCode.HANDSHAKE,
        `${String(connection.conId)}: connection lost during the handshake: ${netError.message}`,
        { cause: netError },
      );
    }
    return connection;
  }
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new NetError(ErrorCode.ABORTED, 'connect aborted', { cause: signal.reason }));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new NetError(ErrorCode.ABORTED, 'connect aborted', { cause: signal?.reason }));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
