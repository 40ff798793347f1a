import type { Callbacks } from '../callbacks/callbacks.js';
import { defaultLogger, type Logger } from '../callbacks/logger.js';
import type { ConId } from '../connection/con-id.js';
import { ErrorCode } from '../errors/error-codes.js';
import { NetError } from '../errors/net-error.js';
import { checkIntegerOption } from '../options/check-integer-option.js';
import { DEFAULT_HANDSHAKE_TIMEOUT_MS, DEFAULT_IDLE_TIMEOUT_MS, DEFAULT_PEER_SILENCE_INTERVALS, MAX_IDLE_TIMEOUT_MS } from '../limits.js';
import { IdleCheck } from './idle-check.js';
import { HandshakeStep, type Protocol, type ProtocolSender } from './protocol.js';

/** What the driver needs from a timer: a clock and one-shot tasks it can cancel. */
export interface DriverScheduler {
  /** Monotonic milliseconds. */
  now(): number;
  /** Runs `fn` once after `delayMs`; the handle cancels it. */
  once(delayMs: number, fn: () => void): { cancel(): void };
}

/** How the driver reaches the socket: provided by each flavour. */
export interface DriverTransport<Send> {
  /** Sends through the flavour's normal path (which calls the driver's send hooks). */
  send(message: Send): void;
  /** Closes the connection; `reason` is undefined for a clean close. */
  close(reason?: NetError): void;
}

/** Options of a {@link ConnectionDriver}. */
export interface ConnectionDriverOptions<Send, Recv> {
  /** The connection's id. */
  readonly conId: ConId;
  /** The per-connection protocol instance (already derived with `forConnection`). */
  readonly protocol?: Protocol<Send, Recv> | undefined;
  /** Observers of messages and events. */
  readonly callbacks?: Callbacks<Send, Recv> | undefined;
  /** Where callback failures are reported. Default: the console from `warn` up. */
  readonly logger?: Logger | undefined;
  /** Clock and timers for the handshake deadline and heartbeats. */
  readonly scheduler: DriverScheduler;
  /** The flavour's side of the connection. */
  readonly transport: DriverTransport<Send>;
  /** Deadline for the whole handshake in ms. Default 5,000. */
  readonly handshakeTimeout?: number | undefined;
  /**
   * Close the connection with `NET_ERR_IDLE_TIMEOUT` once nothing was received for this many ms
   * (the flavour reports reads with {@link ConnectionDriver.bytesReceived}). Default 0: off.
   */
  readonly idleTimeout?: number | undefined;
  /** Called once when the handshake has succeeded. */
  readonly onReady?: (() => void) | undefined;
  /** Called once when the handshake failed; the flavour closes the socket and reports the error. */
  readonly onFailed?: ((error: NetError) => void) | undefined;
}

/** Where a connection is in its life. */
export type DriverState = 'idle' | 'handshaking' | 'ready' | 'failed' | 'closed';

/**
 * Everything about one connection that is not I/O, written once for every flavour: the protocol
 * hooks in the right order and exactly once per message, the callbacks, the handshake and its
 * deadline, heartbeats while the send side is idle, and the peer-silence check.
 *
 * A flavour calls {@link start} when the socket is connected, {@link beforeSend} /
 * {@link afterSent} / {@link afterWouldBlock} / {@link afterSendError} around each write,
 * {@link received} for each decoded message (delivering it only when that returns true),
 * {@link closing} before a graceful local close and {@link closed} when the socket is gone.
 */
export class ConnectionDriver<Send, Recv> {
  /** The connection's id. */
  readonly conId: ConId;
  /** The sender protocol hooks use. */
  readonly sender: ProtocolSender<Send>;
  private readonly _protocol: Protocol<Send, Recv> | undefined;
  private readonly _callbacks: Callbacks<Send, Recv> | undefined;
  private readonly _logger: Logger;
  private readonly _scheduler: DriverScheduler;
  private readonly _transport: DriverTransport<Send>;
  private readonly _handshakeTimeout: number;
  private readonly _onReady: (() => void) | undefined;
  private readonly _onFailed: ((error: NetError) => void) | undefined;
  private _state: DriverState = 'idle';
  private _deadline: { cancel(): void } | undefined;
  private _heartbeat: { cancel(): void } | undefined;
  private _lastSendAt = 0;
  private _lastRecvAt = 0;
  private readonly _tracksTime: boolean;
  private readonly _idle: IdleCheck | undefined;

  constructor(options: ConnectionDriverOptions<Send, Recv>) {
    this.conId = options.conId;
    this._protocol = options.protocol;
    this._callbacks = options.callbacks;
    this._logger = options.logger ?? defaultLogger;
    this._scheduler = options.scheduler;
    this._transport = options.transport;
    this._handshakeTimeout = checkIntegerOption('handshakeTimeout', options.handshakeTimeout ?? DEFAULT_HANDSHAKE_TIMEOUT_MS, 1, 2 ** 31 - 1);
    this._onReady = options.onReady;
    this._onFailed = options.onFailed;
    const transport = this._transport;
    this.sender = {
      conId: this.conId,
      send: (message) => transport.send(message),
      close: (reason) => transport.close(reason),
    };
    const interval = this._protocol?.heartbeatInterval;
    if (interval !== undefined) checkIntegerOption('heartbeatInterval', interval, 1, 2 ** 31 - 1);
    this._tracksTime = interval !== undefined;
    const idleTimeout = checkIntegerOption('idleTimeout', options.idleTimeout ?? DEFAULT_IDLE_TIMEOUT_MS, 0, MAX_IDLE_TIMEOUT_MS);
    this._idle = idleTimeout === 0 ? undefined : new IdleCheck(this._scheduler, idleTimeout, this.conId, (error) => transport.close(error));
  }

  /**
   * A read brought bytes from the peer (call once per read, not per message): it is not idle.
   * One field store; the idle timeout's periodic check reads it.
   */
  bytesReceived(): void {
    const idle = this._idle;
    if (idle !== undefined) idle.seen = true;
  }

  /** Where the connection is in its life. */
  get state(): DriverState {
    return this._state;
  }

  /** Logical state: the handshake is done and the protocol (if it has a say) agrees. */
  isConnected(): boolean {
    if (this._state !== 'ready') return false;
    return this._protocol?.isConnected === undefined ? true : this._protocol.isConnected();
  }

  /** Starts the handshake (or completes at once when the protocol has none). */
  start(): void {
    if (this._state !== 'idle') return;
    this._state = 'handshaking';
    const now = this._scheduler.now();
    this._lastSendAt = now;
    this._lastRecvAt = now;
    // From the connection's first moment: a peer that never completes a handshake is idle too.
    this._idle?.start();
    this._deadline = this._scheduler.once(this._handshakeTimeout, () => {
      this._fail(new NetError(ErrorCode.HANDSHAKE, `handshake did not complete within ${this._handshakeTimeout} ms`, { details: { conId: String(this.conId) } }));
    });
    try {
      this._protocol?.onConnect?.(this.sender);
    } catch (error) {
      this._fail(handshakeError('onConnect', error));
      return;
    }
    if (this._state === 'handshaking' && this._protocol?.onHandshakeRecv === undefined) this._complete();
  }

  /** Runs `onSend` (which may replace the message) and notes the send time. Call before encoding. */
  beforeSend(message: Send): Send {
    // The clock is read only where heartbeats need it: it costs more than the rest of this call.
    if (this._tracksTime) this._lastSendAt = this._scheduler.now();
    const onSend = this._protocol?.onSend;
    if (onSend === undefined) return message;
    const replaced = onSend.call(this._protocol, this.conId, message);
    return replaced === undefined ? message : replaced;
  }

  /** The whole frame of `message` was written. */
  afterSent(message: Send): void {
    this._protocol?.onSent?.(this.conId, message);
    const callbacks = this._callbacks;
    if (callbacks?.onSent !== undefined) {
      try {
        callbacks.onSent(this.conId, message);
      } catch (error) {
        this._callbackFailed('onSent', error);
      }
    }
  }

  /** A bounded send of `message` gave up without writing any of it. */
  afterWouldBlock(message: Send): void {
    this._protocol?.onWouldBlock?.(this.conId, message);
  }

  /** The send of `message` failed with `error`. */
  afterSendError(message: Send, error: NetError): void {
    this._protocol?.onError?.(this.conId, message, error);
  }

  /**
   * Handles a decoded message: protocol `onRecv`, callbacks, the handshake, scripted replies.
   * @returns true when the message is for the user, false when the handshake consumed it
   * @throws NetError `NET_ERR_PROTOCOL` when a protocol hook threw; the flavour closes the connection with it
   */
  received(message: Recv): boolean {
    if (this._tracksTime) this._lastRecvAt = this._scheduler.now();
    const protocol = this._protocol;
    try {
      protocol?.onRecv?.(this.conId, message);
    } catch (error) {
      throw protocolError('onRecv', error);
    }
    const callbacks = this._callbacks;
    if (callbacks?.onRecv !== undefined) {
      try {
        callbacks.onRecv(this.conId, message);
      } catch (error) {
        this._callbackFailed('onRecv', error);
      }
    }
    if (this._state === 'handshaking') {
      let step: HandshakeStep | undefined;
      try {
        step = protocol?.onHandshakeRecv?.(message, this.sender);
      } catch (error) {
        this._fail(handshakeError('onHandshakeRecv', error));
        return false;
      }
      if (step === HandshakeStep.Done) this._complete();
      return false;
    }
    if (this._state !== 'ready') return false;
    if (protocol?.reply !== undefined) {
      try {
        protocol.reply(message, this.sender);
      } catch (error) {
        throw protocolError('reply', error);
      }
    }
    return true;
  }

  /** A graceful local close is starting: the protocol's last words go out now. */
  closing(): void {
    if (this._state !== 'ready') return;
    this._stopTimers();
    try {
      this._protocol?.onDisconnect?.(this.sender);
    } catch (error) {
      this._logger.warn(`${String(this.conId)}: onDisconnect failed, closing anyway`, error);
    }
  }

  /** The connection is gone; `reason` is undefined for a clean close. Safe to call more than once. */
  closed(reason?: NetError): void {
    const was = this._state;
    if (was === 'closed') return;
    this._state = 'closed';
    this._stopTimers();
    if (was === 'handshaking') {
      this._failed(reason ?? new NetError(ErrorCode.HANDSHAKE, 'connection closed during the handshake'));
      return;
    }
    if (was !== 'ready') return;
    const callbacks = this._callbacks;
    if (callbacks?.onDisconnected !== undefined) {
      try {
        callbacks.onDisconnected(this.conId, reason);
      } catch (error) {
        this._callbackFailed('onDisconnected', error);
      }
    }
  }

  private _complete(): void {
    this._deadline?.cancel();
    this._deadline = undefined;
    this._state = 'ready';
    if (this._protocol?.heartbeatInterval !== undefined) this._armHeartbeat(this._protocol.heartbeatInterval);
    const callbacks = this._callbacks;
    if (callbacks?.onConnected !== undefined) {
      try {
        callbacks.onConnected(this.conId);
      } catch (error) {
        this._callbackFailed('onConnected', error);
      }
    }
    this._onReady?.();
  }

  private _fail(error: NetError): void {
    if (this._state !== 'handshaking') return;
    this._state = 'failed';
    this._stopTimers();
    this._failed(error);
  }

  private _failed(error: NetError): void {
    if (this.conId.role === 'acceptor' && this._callbacks?.onRejected !== undefined) {
      try {
        this._callbacks.onRejected(this.conId, error);
      } catch (callbackError) {
        this._callbackFailed('onRejected', callbackError);
      }
    }
    this._onFailed?.(error);
  }

  /**
   * One pending task per connection: it fires when the send side has been idle for a whole
   * interval (it is pushed back, not repeated, while traffic flows, so a late timer never sends a
   * burst of catch-up beats) and checks the peer's silence each time.
   */
  private _armHeartbeat(delay: number): void {
    this._heartbeat = this._scheduler.once(delay, () => this._heartbeatDue());
  }

  private _heartbeatDue(): void {
    this._heartbeat = undefined;
    const protocol = this._protocol;
    if (this._state !== 'ready' || protocol?.heartbeatInterval === undefined) return;
    const interval = protocol.heartbeatInterval;
    const now = this._scheduler.now();
    const silenceLimit = interval * (protocol.peerSilenceIntervals ?? DEFAULT_PEER_SILENCE_INTERVALS);
    if (silenceLimit > 0 && now - this._lastRecvAt > silenceLimit) {
      this._transport.close(
        new NetError(ErrorCode.PEER_SILENT, `nothing received for ${Math.round(now - this._lastRecvAt)} ms (limit ${silenceLimit} ms)`, {
          details: { conId: String(this.conId), silentMs: now - this._lastRecvAt, limitMs: silenceLimit },
        }),
      );
      return;
    }
    const idle = now - this._lastSendAt;
    if (idle >= interval && protocol.sendHeartbeat !== undefined) {
      try {
        protocol.sendHeartbeat(this.sender);
      } catch (error) {
        this._transport.close(protocolError('sendHeartbeat', error));
        return;
      }
    }
    if (this._state !== 'ready') return;
    const sinceSend = now - this._lastSendAt;
    const nextBeat = sinceSend >= interval ? interval : interval - sinceSend;
    const nextSilenceCheck = silenceLimit > 0 ? Math.max(1, this._lastRecvAt + silenceLimit - now + 1) : Infinity;
    this._armHeartbeat(Math.max(1, Math.min(nextBeat, nextSilenceCheck)));
  }

  private _stopTimers(): void {
    this._idle?.stop();
    this._deadline?.cancel();
    this._deadline = undefined;
    this._heartbeat?.cancel();
    this._heartbeat = undefined;
  }

  private _callbackFailed(event: string, error: unknown): void {
    this._logger.warn(`${String(this.conId)}: callback ${event} threw; the connection goes on`, error);
  }
}

function handshakeError(hook: string, cause: unknown): NetError {
  if (NetError.isNetError(cause) && cause.code === ErrorCode.HANDSHAKE) return cause;
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new NetError(ErrorCode.HANDSHAKE, `handshake failed in ${hook}: ${reason}`, { cause });
}

function protocolError(hook: string, cause: unknown): NetError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new NetError(ErrorCode.PROTOCOL, `protocol hook ${hook} threw: ${reason}`, { cause });
}
