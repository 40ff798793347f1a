import { type Endpoint, ErrorCode, formatEndpoint, NetError } from '@net/core';
import type { Clt } from './clt.js';
import type { Connection } from './connection.js';
import { MessageInbox } from './message-inbox.js';
import type { ResolvedConnectionOptions } from './options.js';
import type { ReconnectPolicy } from './reconnect-policy.js';

/** What a reconnect attempt needs from the client's connector: one attempt, as `Clt.connect` makes them. */
export interface ReconnectTarget<Send, Recv> {
  readonly endpoint: Endpoint;
  /** One socket attempt within `timeoutMs` and the handshake; rejects with that attempt's error. */
  attempt(timeoutMs: number, inbox: MessageInbox<Recv> | undefined): Promise<Connection<Send, Recv>>;
}

/**
 * Brings a client back after its connection is lost, with backoff and jitter. Each attempt is one
 * connection attempt (bounded by `maxDelay`), so `maxAttempts` counts what was tried and the
 * policy's waits are the only waits between them.
 */
export class Reconnector<Send, Recv> {
  /** The client's inbox: it spans connections, so `recv()` waits through a reconnect. */
  readonly inbox: MessageInbox<Recv>;
  /** Settles when the client is closed for good. */
  readonly finished: Promise<NetError | undefined>;
  reconnecting = false;
  private _finish!: (reason: NetError | undefined) => void;
  private _stopped = false;
  private _attempt: { cancel(): void } | undefined;
  private _firstAttemptAt = 0;

  constructor(
    private readonly _target: ReconnectTarget<Send, Recv>,
    private readonly _policy: ReconnectPolicy,
    private readonly _resolved: ResolvedConnectionOptions,
  ) {
    this.inbox = new MessageInbox<Recv>(_resolved.timer, _resolved.maxQueuedMessages);
    this.finished = new Promise((resolve) => (this._finish = resolve));
  }

  /** Reconnects when `connection`, the client's current one, is lost. */
  watch(clt: Clt<Send, Recv>, connection: Connection<Send, Recv>): void {
    this.inbox.onResume = () => connection.resume();
    void connection.closed.then((reason) => {
      if (this._stopped || clt.closingByUser) return this._end(reason);
      this.reconnecting = true;
      this._schedule(clt, 1, reason);
    });
  }

  /** Stops reconnecting: the client is being closed. */
  stop(): void {
    this._stopped = true;
    this._attempt?.cancel();
    if (this.reconnecting) this._end(undefined);
  }

  private _schedule(clt: Clt<Send, Recv>, attempt: number, reason: NetError | undefined): void {
    if (attempt > this._policy.maxAttempts) return this._end(this._gaveUp(attempt - 1, reason));
    const { timer } = this._resolved;
    this._attempt = timer.once(this._policy.delay(attempt), () => {
      this._attempt = undefined;
      if (attempt === 1) this._firstAttemptAt = timer.now();
      this._target.attempt(Math.max(1, this._policy.maxDelay), this.inbox).then(
        (connection) => {
          if (this._stopped) return void connection.close();
          this.reconnecting = false;
          clt.replaceConnection(connection);
          this.watch(clt, connection);
        },
        (error: NetError) => {
          if (this._stopped) return;
          this._resolved.logger.info(`${String(clt.conId)}: reconnect attempt ${attempt} failed: ${error.message}`);
          this._schedule(clt, attempt + 1, error);
        },
      );
    });
  }

  /**
   * The reason the client ends with after `attempts` failed: what was tried, for how long (from the
   * start of the first attempt to the end of the last), and why the last one failed, as `cause`.
   */
  private _gaveUp(attempts: number, last: NetError | undefined): NetError {
    const elapsedMs = Math.round(this._resolved.timer.now() - this._firstAttemptAt);
    return new NetError(
      ErrorCode.CONNECT_TIMEOUT,
      `gave up reconnecting to ${formatEndpoint(this._target.endpoint)} after ${attempts} attempt${attempts === 1 ? '' : 's'} in ${elapsedMs} ms: ${last?.message ?? 'no attempt'}`,
      { cause: last, details: { attempts, elapsedMs } },
    );
  }

  private _end(reason: NetError | undefined): void {
    this.reconnecting = false;
    this.inbox.end(reason);
    this._finish(reason);
  }
}
