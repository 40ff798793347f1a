import { type ConId, ErrorCode, NetError } from '@net/core';
import { LibcSocketHost } from '../libc/libc-socket-host.js';
import { END_OF_STREAM, WOULD_BLOCK } from '../status.js';
import type { SyncConnection } from '../sync-connection.js';
import { adoptHalf } from '../transfer/half-transfer.js';
import type { AdoptCommand } from './svc-thread-control.js';
import type { ThreadConn, ThreadHandler } from './thread-handler.js';

/** What {@link ServedConnection.serve} returns once the connection ended. */
export const SERVED_DONE = -1;

/**
 * This thread's turns that handed the handler nothing: a connection tried and found without a
 * message. What a thread costs beyond its messages, for tests to read from a handler.
 */
export const emptyTurns = { count: 0 };

/**
 * One connection a service thread serves: both halves, adopted here, and the handler's view of
 * it. Messages are decoded and handed to the handler one by one, in order; replies go out on the
 * sending half.
 */
export class ServedConnection implements ThreadConn<unknown> {
  readonly thread: number;
  /**
   * On the C-library path: true while the connection may have a message to hand out that no
   * `poll(2)` would report (just adopted, with what its giver had buffered; or its last turn used
   * its whole budget). Otherwise the thread serves it only once a poll finds it readable.
   */
  ready = true;
  private readonly _receiver: SyncConnection<unknown, unknown>;
  private readonly _sender: SyncConnection<unknown, unknown>;
  private readonly _handler: ThreadHandler<unknown, unknown>;
  private readonly _sendTimeout: number;
  private readonly _fd: number;
  private _open = true;

  /**
   * Adopts both halves in `command` on this thread.
   * @throws NetError as `adoptHalf` (what was adopted already is let go of first)
   */
  constructor(command: AdoptCommand, handler: ThreadHandler<unknown, unknown>, thread: number, sendTimeout: number) {
    this.thread = thread;
    this._handler = handler;
    this._sendTimeout = sendTimeout;
    const codec = handler.codec;
    this._receiver = adoptHalf<unknown, unknown>(command.receiver, 'receiver', { codec }).connection;
    try {
      this._sender = adoptHalf<unknown, unknown>(command.sender, 'sender', { codec }).connection;
    } catch (error) {
      this._receiver.letGo();
      throw error;
    }
    this._fd = this._receiver.fd;
    const host = this._receiver.broker;
    if (host instanceof LibcSocketHost) {
      // Each half holds the descriptor on its own, and the first to close forgets its number on
      // this thread's host: the other, which closes it last, needs the host to know it again.
      let closed = 0;
      const oneClosed = (): void => {
        if (++closed === 1) host.adoptOpen(this._fd);
      };
      this._receiver.onClose(oneClosed);
      this._sender.onClose(oneClosed);
    }
  }

  get conId(): ConId {
    return this._receiver.conId;
  }

  get isOpen(): boolean {
    return this._open;
  }

  send(message: unknown): void {
    if (!this._open) throw new NetError(ErrorCode.CLOSED, `${String(this.conId)}: the connection is closed`);
    if (!this._sender.sendUntil(message, performance.now() + this._sendTimeout))
      throw new NetError(
        ErrorCode.TIMEOUT,
        `${String(this.conId)}: the peer read nothing for ${String(this._sendTimeout)} ms`,
        { details: { sendTimeout: this._sendTimeout } },
      );
  }

  close(): void {
    this.end(undefined);
  }

  /** Runs the handler's `onConnect`. @throws what it throws */
  start(): void {
    this._handler.onConnect?.(this);
  }

  /**
   * Hands up to `budget` messages to the handler; returns how many, or {@link SERVED_DONE} once
   * the connection ended.
   * @throws what the handler threw (the caller closes the connection with it)
   */
  serve(budget: number, watchAfterIdlePolls: number, watchAfterIdleMs: number): number {
    return this._serve(budget, watchAfterIdlePolls, watchAfterIdleMs, false);
  }

  /**
   * {@link serve} for a thread that learns from `poll(2)` which descriptors have bytes: one receive
   * (whose reads stop at the first whole message, none when one is buffered already), then only
   * what it buffered, up to `budget` messages. It stops without the read that would find the
   * socket empty: bytes that come later make the descriptor readable, and the next poll finds them.
   * @throws what the handler threw (the caller closes the connection with it)
   */
  serveReady(budget: number): number {
    return this._serve(budget, Infinity, 0, true);
  }

  // With `readOnce`, only the first message may read the socket; the rest come from its buffer.
  private _serve(budget: number, watchAfterIdlePolls: number, watchAfterIdleMs: number, readOnce: boolean): number {
    if (!this._open) return SERVED_DONE;
    const onMessage = this._handler.onMessage;
    let moved = 0;
    for (; moved < budget; moved++) {
      let got: unknown;
      try {
        // Nothing buffered is END_OF_STREAM (undefined) to decodeBuffered: it means WOULD_BLOCK here.
        got =
          readOnce && moved > 0
            ? (this._receiver.decodeBuffered() ?? WOULD_BLOCK)
            : this._receiver.recvOnce(watchAfterIdlePolls, watchAfterIdleMs);
      } catch (error) {
        this.end(NetError.isNetError(error) ? error : undefined);
        return SERVED_DONE;
      }
      if (got === WOULD_BLOCK) break;
      if (got === END_OF_STREAM) {
        this.end(undefined);
        return SERVED_DONE;
      }
      onMessage(got, this);
      if (!this._open) return moved + 1;
    }
    if (moved === 0) emptyTurns.count++;
    return moved;
  }

  /** The descriptor, for the thread's `poll(2)`. */
  get fd(): number {
    return this._fd;
  }

  /** Closes both halves (the descriptor closes once, with the last) and runs `onDisconnect`. */
  end(reason: NetError | undefined): void {
    if (!this._open) return;
    this._open = false;
    if (this._receiver.isOpen) this._receiver.close(reason);
    if (this._sender.isOpen) this._sender.close(reason);
    this._handler.onDisconnect?.(this, reason);
  }
}
