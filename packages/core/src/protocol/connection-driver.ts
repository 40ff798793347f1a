import type { Callbacks } from '../callbacks/callbacks.js';
import { defaultLogger, type Logger } from '../callbacks/logger.js';
import type { ConId } from '../connection/con-id.js';
import { ErrorCode } from '../errors/error-codes.js';
import { NetError } from '../errors/net-error.js';
import { DEFAULT_PEER_SILENCE_INTERVALS } from '../limits.js';
import { Heartbeat } from './heartbeat.js';
import { handshakeError, protocolError } from './hook-errors.js';
import {
  checkedDriverLimits,
  type ConnectionDriverOptions,
  type DriverScheduler,
  type DriverState,
  type DriverTransport,
} from './driver-options.js';
import { IdleCheck } from './idle-check.js';
import { HandshakeStep, type Protocol, type ProtocolSender } from './protocol.js';

export type { ConnectionDriverOptions, DriverScheduler, DriverState, DriverTransport } from './driver-options.js';

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
  // Only with a heartbeat interval: the send time it needs costs a clock read per send.
  private readonly _heartbeat: Heartbeat<Send, Recv> | undefined;
  private readonly _idle: IdleCheck | undefined;

  constructor(options: ConnectionDriverOptions<Send, Recv>) {
    this.conId = options.conId;
    this._protocol = options.protocol;
    this._callbacks = options.callbacks;
    this._logger = options.logger ?? defaultLogger;
    this._scheduler = options.scheduler;
    this._transport = options.transport;
    const limits = checkedDriverLimits(options);
    this._handshakeTimeout = limits.handshakeTimeout;
    this._onReady = options.onReady;
    this._onFailed = options.onFailed;
    const transport = this._transport;
    this.sender = {
      conId: this.conId,
      send: (message) => transport.send(message),
      close: (reason) => transport.close(reason),
    };
    const protocol = this._protocol;
    this._heartbeat =
      limits.heartbeatInterval === undefined || protocol === undefined
        ? undefined
        : new Heartbeat(
            this._scheduler,
            protocol,
            this.sender,
            () => this._state === 'ready',
            (error) => transport.close(error),
          );
    this._idle =
      limits.idleTimeout === 0
        ? undefined
        : new IdleCheck(this._scheduler, limits.idleTimeout, this.conId, (error) => transport.close(error));
  }

  /**
   * A read brought bytes from the peer (call once per read, not per message): it is not idle, nor
   * silent. One field store each; the idle timeout's and the heartbeat's checks read them.
   */
  bytesReceived(): void {
    const idle = this._idle;
    if (idle !== undefined) idle.seen = true;
    // Any byte breaks the peer's silence, not only a whole message: a large frame arriving
    // slowly is not silence.
    const heartbeat = this._heartbeat;
    if (heartbeat !== undefined) heartbeat.seen = true;
  }

  /** The protocol's heartbeat interval and peer-silence intervals; `undefined` without heartbeats. */
  get heartbeat(): { readonly interval: number; readonly silenceIntervals: number } | undefined {
    const interval = this._protocol?.heartbeatInterval;
    if (this._heartbeat === undefined || interval === undefined) return undefined;
    return { interval, silenceIntervals: this._protocol?.peerSilenceIntervals ?? DEFAULT_PEER_SILENCE_INTERVALS };
  }

  /** The messages of one heartbeat, collected, not sent; see `Heartbeat.capture`. */
  captureHeartbeat(): Send[] {
    return this._heartbeat?.capture() ?? [];
  }

  /** Stops this connection's silence check now and its heartbeats once `elsewhere()`: another thread runs them. */
  handOverHeartbeatsWhen(elsewhere: () => boolean): void {
    this._heartbeat?.handOverWhen(elsewhere);
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
    this._heartbeat?.reset(this._scheduler.now());
    // From the connection's first moment: a peer that never completes a handshake is idle too.
    this._idle?.start();
    this._deadline = this._scheduler.once(this._handshakeTimeout, () => {
      this._fail(
        new NetError(ErrorCode.HANDSHAKE, `handshake did not complete within ${this._handshakeTimeout} ms`, {
          details: { conId: String(this.conId) },
        }),
      );
    });
    try {
      this._protocol?.onConnect?.(this.sender);
    } catch (error) {
      this._fail(handshakeError('onConnect', error));
      return;
    }
    if (this._state === 'handshaking' && this._protocol?.onHandshakeRecv === undefined) this._complete();
  }

  /**
   * Runs `onSend` (which may replace the message) and notes the send time. Call before encoding.
   * @throws NetError `NET_ERR_PROTOCOL` when `onSend` threw (its error as cause); nothing is sent
   */
  beforeSend(message: Send): Send {
    // The clock is read only where heartbeats need it: it costs more than the rest of this call.
    const heartbeat = this._heartbeat;
    if (heartbeat !== undefined) heartbeat.lastSendAt = this._scheduler.now();
    const onSend = this._protocol?.onSend;
    if (onSend === undefined) return message;
    let replaced: Send | void;
    try {
      replaced = onSend.call(this._protocol, this.conId, message);
    } catch (error) {
      // Nothing was written: the send fails and the connection goes on.
      throw protocolError('onSend', error);
    }
    return replaced === undefined ? message : replaced;
  }

  /** The whole frame of `message` was written. A throwing `onSent` closes the connection with `NET_ERR_PROTOCOL`. */
  afterSent(message: Send): void {
    const protocol = this._protocol;
    if (protocol?.onSent !== undefined) {
      try {
        protocol.onSent(this.conId, message);
      } catch (error) {
        // The frame is out, so the send itself succeeded; the connection ends as for `onRecv`.
        this._transport.close(protocolError('onSent', error));
      }
    }
    const callbacks = this._callbacks;
    if (callbacks?.onSent !== undefined) {
      try {
        callbacks.onSent(this.conId, message);
      } catch (error) {
        this._callbackFailed('onSent', error);
      }
    }
  }

  /**
   * True when a send has work per message here: a heartbeat's send time, or a protocol or callback
   * hook around sends. Read once per write: without any, a batch skips the per-message calls.
   */
  get hasSendHooks(): boolean {
    const protocol = this._protocol;
    if (this._heartbeat !== undefined || this._callbacks?.onSent !== undefined) return true;
    if (protocol === undefined) return false;
    return (
      protocol.onSend !== undefined ||
      protocol.onSent !== undefined ||
      protocol.onWouldBlock !== undefined ||
      protocol.onError !== undefined
    );
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
    this._heartbeat?.start();
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

  private _stopTimers(): void {
    this._idle?.stop();
    this._deadline?.cancel();
    this._deadline = undefined;
    this._heartbeat?.stop();
  }

  private _callbackFailed(event: string, error: unknown): void {
    this._logger.warn(`${String(this.conId)}: callback ${event} threw; the connection goes on`, error);
  }
}
