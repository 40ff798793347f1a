import type { Socket } from 'node:net';
import { type ConId, ErrorCode, fromSocketError, MessageReader, NetError, owningCodec } from '@net/core';
import { ConnectionDriver, type ConnectionModelSetup, driverOptionsOf } from '@net/core/internal';
import { type RecvOptions, MessageInbox } from './message-inbox.js';
import { Outbound, type OutboundLimits } from './outbound.js';

/** Everything a {@link Connection} is built from; the flavour's options after defaults. */
export interface ConnectionSetup<Send, Recv> extends ConnectionModelSetup<Send, Recv> {
  readonly socket: Socket;
  readonly limits: OutboundLimits;
  /** Messages queued before reading pauses. */
  readonly maxQueuedMessages: number;
  /** Grace period for a graceful close before the socket is destroyed, in ms. */
  readonly closeTimeout: number;
  /**
   * Delivers messages to this function instead of the queue behind `recv()`; returning false
   * pauses reading until `resume()`.
   */
  readonly onMessage: ((message: Recv) => boolean | void) | undefined;
  /**
   * Where a frame that did not decode goes when messages go to `onMessage` (they have no `recv()`
   * to throw from); without it the error is only logged.
   */
  readonly onError: ((error: NetError) => void) | undefined;
  /** Messages are kept past the read (queued): borrowing codecs get their own copy of each frame. */
  readonly keepsMessages: boolean;
}

/**
 * One socket with everything on it: the protocol driver, the coalescing send side, the receive
 * path and the inbox behind `recv()`. `Clt` and the connections of a `Svc` are thin wrappers
 * around it. Reads come either from `'data'` events (accepted sockets) or from the shared
 * `onread` buffer (client sockets); both end in {@link onBytes}.
 */
export class Connection<Send, Recv> {
  readonly conId: ConId;
  readonly driver: ConnectionDriver<Send, Recv>;
  /** Settles when the handshake succeeded or failed. */
  readonly ready: Promise<void>;
  /** Settles when the socket is gone, with the reason (undefined for a clean close). */
  readonly closed: Promise<NetError | undefined>;
  readonly inbox: MessageInbox<Recv>;
  private readonly _socket: Socket;
  private readonly _reader: MessageReader<Recv>;
  private readonly _outbound: Outbound<Send>;
  private readonly _setup: ConnectionSetup<Send, Recv>;
  private readonly _drainWaiters: (() => void)[] = [];
  private _resolveClosed!: (reason: NetError | undefined) => void;
  private _state: 'open' | 'closing' | 'closed' = 'open';
  private _reason: NetError | undefined;
  private _closeTimer: { cancel(): void } | undefined;

  constructor(setup: ConnectionSetup<Send, Recv>) {
    this._setup = setup;
    this.conId = setup.conId;
    this._socket = setup.socket;
    this.inbox = new MessageInbox<Recv>(setup.timer, setup.maxQueuedMessages);
    this.inbox.onResume = () => this._socket.resume();
    // Messages that borrow the receive buffer must own their bytes once they wait in a queue.
    this._reader = new MessageReader(setup.keepsMessages ? owningCodec(setup.codec) : setup.codec, {
      initialCapacity: 4096,
    });
    // A view codec learns which queued view the user holds, so the one before it expires.
    if (this._reader.tracksHandOut) this.inbox.onTaken = (message) => this._reader.handOut(message);
    const trackSent = setup.protocol?.onSent !== undefined || setup.callbacks?.onSent !== undefined;
    this._outbound = new Outbound(
      setup.socket,
      setup.codec,
      setup.limits,
      { sent: (message) => this.driver.afterSent(message), drained: () => this._drained() },
      trackSent,
    );
    let resolveReady!: () => void;
    let rejectReady!: (error: NetError) => void;
    this.ready = new Promise<void>((resolve, reject) => {
      resolveReady = resolve;
      rejectReady = reject;
    });
    this.ready.catch(() => {});
    this.closed = new Promise((resolve) => (this._resolveClosed = resolve));
    this.driver = new ConnectionDriver<Send, Recv>({
      ...driverOptionsOf(setup),
      transport: { send: (message) => void this.send(message), close: (reason) => this.destroy(reason) },
      onReady: resolveReady,
      onFailed: (error) => {
        rejectReady(error);
        // Ended, not destroyed: what the protocol sent while failing (a login rejection) goes out.
        this._end(error);
      },
    });
    setup.socket.on('error', (error) => this._fail(fromSocketError(error, String(this.conId))));
    setup.socket.on('close', () => this._onClose());
  }

  /** Starts the protocol handshake; {@link ready} settles when it ends. */
  start(): void {
    this.driver.start();
  }

  /** Bytes encoded and not yet taken by the kernel. */
  get bufferedBytes(): number {
    return this._outbound.bufferedBytes;
  }

  /** True until the connection starts closing. */
  get isOpen(): boolean {
    return this._state === 'open';
  }

  /**
   * Encodes and queues `message`; it is written at the end of this tick with everything else sent
   * in it. Returns false when the outbound buffer is above its high-water mark.
   */
  send(message: Send): boolean {
    if (this._state !== 'open') throw this._closedError();
    const final = this.driver.beforeSend(message);
    try {
      return this._outbound.enqueue(final);
    } catch (error) {
      const netError = NetError.isNetError(error) ? error : fromSocketError(error);
      this.driver.afterSendError(final, netError);
      throw netError;
    }
  }

  /** Writes what is buffered now instead of at the end of the tick. */
  flush(): void {
    this._outbound.flush();
  }

  /** Resolves once the outbound buffer is at or below its low-water mark (at once if it is). */
  drained(): Promise<void> {
    if (!this._outbound.needsDrain || this._state === 'closed') return Promise.resolve();
    return new Promise((resolve) => this._drainWaiters.push(resolve));
  }

  /** The next message; `undefined` once the peer closed cleanly and everything was taken. */
  recv(options?: RecvOptions): Promise<Recv | undefined> {
    return this.inbox.take(options);
  }

  /**
   * Feeds received bytes through framing, decoding, the protocol and on to the user. `stable`:
   * the chunk is never reused (a `'data'` chunk), so queued messages may point into it.
   */
  onBytes(chunk: Uint8Array, stable = false): boolean {
    if (this._state === 'closed') return false;
    this.driver.bytesReceived();
    const reader = this._reader;
    const onMessage = this._setup.onMessage;
    reader.accumulator.push(chunk, stable);
    let keepReading = true;
    for (;;) {
      let message: Recv | undefined;
      try {
        message = reader.next();
      } catch (error) {
        const netError = error as NetError;
        if (netError.code === ErrorCode.DECODE && this.driver.state !== 'handshaking') {
          this._decodeFailed(netError);
          continue;
        }
        // A frame that does not decode during the handshake fails it, as in the synchronous
        // flavours: the handshake's messages are the protocol's, never the user's to skip.
        if (netError.code === ErrorCode.DECODE) {
          this.destroy(
            new NetError(ErrorCode.HANDSHAKE, `${String(this.conId)}: handshake failed: ${netError.message}`, {
              cause: netError,
            }),
          );
          return false;
        }
        this.destroy(netError);
        return false;
      }
      if (message === undefined) break;
      let deliver: boolean;
      try {
        deliver = this.driver.received(message);
      } catch (error) {
        this.destroy(error as NetError);
        return false;
      }
      if (!deliver) continue;
      if (onMessage !== undefined) {
        try {
          if (onMessage(message) === false) keepReading = false;
        } catch (error) {
          this._setup.logger.warn(`${String(this.conId)}: onMessage threw; the connection goes on`, error);
        }
      } else if (!this.inbox.push(message)) {
        keepReading = false;
      }
    }
    if (!keepReading) this._socket.pause();
    return keepReading;
  }

  /** A frame did not decode: the error goes where the messages go, and the stream reads on. */
  private _decodeFailed(error: NetError): void {
    const onError = this._setup.onError;
    if (this._setup.onMessage === undefined) {
      this._setup.logger.warn(`${String(this.conId)}: ${error.message}`);
      this.inbox.pushError(error);
    } else if (onError === undefined) {
      this._setup.logger.warn(`${String(this.conId)}: ${error.message}`);
    } else {
      try {
        onError(error);
      } catch (thrown) {
        this._setup.logger.warn(`${String(this.conId)}: onError threw; the connection goes on`, thrown);
      }
    }
  }

  /** Resumes reading after a pause asked for by a full queue. */
  resume(): void {
    if (this._state !== 'closed') this._socket.resume();
  }

  /** Graceful close: the protocol's last words, everything buffered, then FIN. */
  close(): Promise<NetError | undefined> {
    if (this._state !== 'open') return this.closed;
    this.driver.closing();
    this._end(undefined);
    return this.closed;
  }

  /** Closes at once; `reason` is what callbacks and pending receives are told. */
  destroy(reason?: NetError): void {
    if (this._state === 'closed') return;
    if (reason !== undefined) this._reason ??= reason;
    this._socket.destroy();
  }

  /** Writes everything queued, then FIN; gives up after `closeTimeout` and says what was lost. */
  private _end(reason: NetError | undefined): void {
    if (this._state !== 'open') return;
    this._state = 'closing';
    if (reason !== undefined) this._reason ??= reason;
    this._outbound.finish();
    this._socket.end();
    this._closeTimer = this._setup.timer.once(this._setup.closeTimeout, () => {
      const unsent = this._socket.writableLength;
      if (unsent > 0) {
        this._reason ??= new NetError(
          ErrorCode.CLOSED,
          `${String(this.conId)}: graceful close gave up after ${this._setup.closeTimeout} ms with ${unsent} bytes unsent`,
          {
            details: { unsentBytes: unsent, closeTimeoutMs: this._setup.closeTimeout },
          },
        );
      }
      this._socket.destroy();
    });
  }

  private _fail(error: NetError): void {
    this._reason ??= error;
  }

  private _onClose(): void {
    if (this._state === 'closed') return;
    const pending = this._reader.accumulator.pending;
    if (this._reason === undefined && pending > 0 && this._reader.failure === undefined) {
      this._reason = new NetError(
        ErrorCode.TRUNCATED,
        `${String(this.conId)}: the stream ended inside a frame (${pending} bytes dropped)`,
        {
          details: { pendingBytes: pending },
        },
      );
    }
    this._state = 'closed';
    this._closeTimer?.cancel();
    this._outbound.close();
    this._reader.accumulator.clear();
    this._reader.release();
    const reason = this._reason;
    this.driver.closed(reason);
    this.inbox.end(reason);
    for (const resolve of this._drainWaiters.splice(0)) resolve();
    this._resolveClosed(reason);
  }

  private _drained(): void {
    for (const resolve of this._drainWaiters.splice(0)) resolve();
  }

  private _closedError(): NetError {
    return new NetError(ErrorCode.CLOSED, `${String(this.conId)} is closed`, { cause: this._reason });
  }
}
