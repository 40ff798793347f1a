import { type AddressInput, ConId, type Endpoint, isRetryable, type NetError, parseEndpoint } from '@net/core';
import { ConnectAttempts, resolveConnectTiming } from '@net/core/internal';
import { WOULD_BLOCK } from '@net/sync';
import {
  newSyncConnection,
  type ResolvedSyncOptions,
  resolveSyncOptions,
  type SocketHost,
  socketBroker,
  type SyncConnection,
} from '@net/sync/internal';
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
  private readonly _retryAfter: number;
  private readonly _attempts: ConnectAttempts;
  private _attempt: number | undefined;
  private _broker: SocketHost | undefined;
  private _retryAt = 0;
  private _connection: SyncConnection<Send, Recv> | undefined;

  constructor(address: AddressInput, options: CltOptions<Send, Recv>) {
    this._endpoint = parseEndpoint(address);
    this._options = options;
    this._resolved = resolveSyncOptions(options);
    const timing = resolveConnectTiming(options);
    this._retryAfter = timing.retryAfter;
    this._attempts = new ConnectAttempts(this._endpoint, timing.timeout, performance.now());
  }

  /**
   * One step: the connected client, or `WOULD_BLOCK` while connecting or handshaking.
   * @throws NetError `NET_ERR_CONNECT_TIMEOUT` (the last attempt's own reason as cause: see
   * `ConnectAttempts`), `NET_ERR_HANDSHAKE`; at once, without retrying,
   * `NET_ERR_RESOLVE`, `NET_ERR_INVALID_ARGUMENT` and `NET_ERR_UNSUPPORTED` (see `isRetryable`)
   */
  step(): Clt<Send, Recv> | typeof WOULD_BLOCK {
    this._resolved.timer.poll();
    if (this._connection !== undefined) return this._handshakeStep(this._connection);
    const now = performance.now();
    if (this._attempt === undefined) {
      if (now < this._retryAt) return WOULD_BLOCK;
      const options = {
        noDelay: this._resolved.noDelay,
        keepAlive: this._options.keepAlive ?? false,
        blocking: false,
        timeoutMs: this._attempts.attemptTimeout(now),
      };
      // Asked per attempt, and kept with it: attempt ids belong to one broker, and a broker that
      // stopped since the last attempt is replaced by a new one.
      this._broker = socketBroker();
      this._attempt = this._broker.beginConnect(this._endpoint, options);
    }
    let socket;
    try {
      // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- _broker is set before the first attempt starts
      socket = this._broker!.pollConnect(this._attempt, this._endpoint);
    } catch (error) {
      this._attempt = undefined;
      if (!isRetryable(error)) throw error;
      this._attempts.failed(error as NetError);
      const failedAt = performance.now();
      this._retryAt = failedAt + this._attempts.retryPause(failedAt, this._retryAfter);
      return WOULD_BLOCK;
    }
    if (socket === undefined) return WOULD_BLOCK;
    // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- _broker is set before the first attempt starts
    const broker = this._broker!;
    const connection = newSyncConnection(
      socket.fd,
      ConId.initiator(this._options.name, socket.peer, socket.local),
      this._options,
      this._resolved,
      broker,
    );
    this._connection = connection;
    connection.driver.start();
    return this._handshakeStep(connection);
  }

  private _handshakeStep(connection: SyncConnection<Send, Recv>): Clt<Send, Recv> | typeof WOULD_BLOCK {
    return connection.stepHandshake() ? new Clt(connection, this._resolved) : WOULD_BLOCK;
  }
}
