import { type AddressInput, ConId, type Endpoint, ErrorCode, formatEndpoint, isRetryable, NetError, parseEndpoint } from '@net/core';
import {
  newSyncConnection,
  resolveConnectTiming,
  type ResolvedSyncOptions,
  resolveSyncOptions,
  type SocketHost,
  socketBroker,
  type SyncConnection,
  WOULD_BLOCK,
} from '@net/sync';
import { Clt } from './clt.js';
import type { CltOptions } from './options.js';

/**
 * A connection being made without ever parking the thread: each {@link step} moves the connect
 * attempt (retried every `retryAfter` until `timeout`) and then the handshake forward by what has
 * happened, and returns the connected {@link Clt} or `WOULD_BLOCK`. For a thread that must keep
 * serving other connections while it connects; `Clt.connect` does the same in one call.
 */
export class CltConnector<Send, Recv> {
  private readonly _endpoint: Endpoint;
  private readonly _options: CltOptions<Send, Recv>;
  private readonly _resolved: ResolvedSyncOptions;
  private readonly _timeout: number;
  private readonly _retryAfter: number;
  private readonly _deadline: number;
  private _attempt: number | undefined;
  private _broker: SocketHost | undefined;
  private _retryAt = 0;
  private _connection: SyncConnection<Send, Recv> | undefined;
  private _lastError: NetError | undefined;

  constructor(address: AddressInput, options: CltOptions<Send, Recv>) {
    this._endpoint = parseEndpoint(address);
    this._options = options;
    this._resolved = resolveSyncOptions(options as CltOptions<unknown, unknown>);
    const timing = resolveConnectTiming(options as CltOptions<unknown, unknown>);
    this._timeout = timing.timeout;
    this._retryAfter = timing.retryAfter;
    this._deadline = performance.now() + timing.timeout;
  }

  /**
   * One step: the connected client, or `WOULD_BLOCK` while connecting or handshaking.
   * @throws NetError `NET_ERR_CONNECT_TIMEOUT`, `NET_ERR_HANDSHAKE`; at once, without retrying,
   * `NET_ERR_RESOLVE`, `NET_ERR_INVALID_ARGUMENT` and `NET_ERR_UNSUPPORTED` (see `isRetryable`)
   */
  step(): Clt<Send, Recv> | typeof WOULD_BLOCK {
    this._resolved.timer.poll();
    if (this._connection !== undefined) return this._handshakeStep(this._connection);
    const now = performance.now();
    if (this._attempt === undefined) {
      if (now < this._retryAt) return WOULD_BLOCK;
      const options = { noDelay: this._resolved.noDelay, keepAlive: this._options.keepAlive ?? false, blocking: false, timeoutMs: Math.max(1, this._deadline - now) };
      // Asked per attempt, and kept with it: attempt ids belong to one broker, and a broker that
      // stopped since the last attempt is replaced by a new one.
      this._broker = socketBroker();
      this._attempt = this._broker.beginConnect(this._endpoint, options);
    }
    let socket;
    try {
      socket = this._broker!.pollConnect(this._attempt, this._endpoint);
    } catch (error) {
      this._attempt = undefined;
      if (!isRetryable(error)) throw error;
      this._lastError = error as NetError;
      if (performance.now() >= this._deadline) {
        throw new NetError(ErrorCode.CONNECT_TIMEOUT, `could not connect to ${formatEndpoint(this._endpoint)} within ${this._timeout} ms: ${this._lastError.message}`, {
          cause: this._lastError,
          details: { timeoutMs: this._timeout },
        });
      }
      this._retryAt = performance.now() + this._retryAfter;
      return WOULD_BLOCK;
    }
    if (socket === undefined) return WOULD_BLOCK;
    const connection = newSyncConnection(socket.fd, ConId.initiator(this._options.name, socket.peer, socket.local), this._options, this._resolved, this._broker!);
    this._connection = connection;
    connection.driver.start();
    return this._handshakeStep(connection);
  }

  private _handshakeStep(connection: SyncConnection<Send, Recv>): Clt<Send, Recv> | typeof WOULD_BLOCK {
    return connection.stepHandshake() ? new Clt(connection, this._resolved) : WOULD_BLOCK;
  }
}
