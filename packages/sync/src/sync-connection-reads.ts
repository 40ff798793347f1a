import type { NetError } from '@net/core';
import type { IdleWatch } from './idle-watch.js';
import type { ReadSide } from './read-side.js';
import type { InboundWhileSending } from './ready-wait.js';
import type { RecvResult } from './status.js';
import type { SharedHold } from './transfer/shared-hold.js';

/**
 * The receiving calls of a `SyncConnection`: receives, the idle watch, and what a send that waits
 * may take in. Each goes to the connection's {@link ReadSide}; this keeps the state they check
 * (closed, handed to another thread) beside them, and the lifecycle stays in `SyncConnection`.
 */
export abstract class SyncConnectionReads<Recv> {
  /** The read loop, its receive buffer and its idle watch. */
  protected abstract readonly _read: ReadSide<Recv>;
  protected _closed = false;
  // Set once a side of this connection lives on other threads too (see `shareHold`).
  protected _shared: SharedHold | undefined;
  // The reading side was handed to another thread: its calls here fail with `NET_ERR_CLOSED`.
  protected _readGone = false;

  /** The error of a call on a closed connection, or on a side handed to another thread. */
  protected abstract _closedError(): NetError;

  /** Takes in what the peer sent while a send waits for room; see {@link ReadSide.readWhileSending}. */
  readWhileSending(): InboundWhileSending {
    return this.readsWhileSending ? this._read.readWhileSending() : 'stopped';
  }

  /**
   * True where a send that waits may read: this thread alone reads the connection (no side handed
   * to another thread, no poller reading it).
   */
  get readsWhileSending(): boolean {
    return !this._readGone && this._shared === undefined;
  }

  /**
   * One receive attempt: a message, {@link WOULD_BLOCK} when nothing is there yet (non-blocking
   * descriptors), or {@link END_OF_STREAM}. On a blocking descriptor the read parks until data.
   *
   * Callers that poll many connections pass `watchAfterIdlePolls`: after that many empty polls in
   * a row the broker thread watches the descriptor (see {@link IdleWatch}), and until it reports an
   * attempt costs one atomic load instead of a system call. With `watchAfterIdleMs` the watch
   * also waits until the first of those empty polls is that old (see {@link IdleWatch.idlePoll}).
   * @throws NetError a decode error (the next call goes on), or the reason the connection failed
   */
  recvOnce(watchAfterIdlePolls = Infinity, watchAfterIdleMs = 0): RecvResult<Recv> {
    if (this._readGone) throw this._closedError();
    return this._read.recvOnce(watchAfterIdlePolls, watchAfterIdleMs);
  }

  /**
   * Decodes what is already buffered, without reading: a message, or `undefined`. For callers
   * that must not read (a blocking descriptor that would park the thread).
   * @throws NetError a decode error, or the reason the connection failed once nothing is left
   */
  decodeBuffered(): Recv | undefined {
    if (this._readGone) throw this._closedError();
    const message = this._read.receiver.next();
    // An end a send met while it waited comes once the messages before it are taken.
    if (message === undefined) this._read.takeHeldEnd();
    return message;
  }

  /** Takes bytes that arrived another way as if read; see {@link MessageReceiver.feed}. */
  feed(bytes: Uint8Array): void {
    this._read.feed(bytes);
  }

  /** Gives back a message received after the handshake completed: the next receive returns it first. */
  unread(message: Recv): void {
    this._read.receiver.unread(message);
  }

  /** Gives back a decode error met after the handshake completed: the next receive throws it first. */
  unreadError(error: NetError): void {
    this._read.receiver.unreadError(error);
  }

  /** True while the broker thread watches this idle connection for us (see {@link IdleWatch}). */
  get isWatched(): boolean {
    return this._read.watch.active;
  }

  /** Hands the descriptor to the broker to watch now (no read first); see {@link takeWatchReport}. */
  watch(): void {
    if (!this._read.watch.active && !this._closed) this._read.watch.start();
  }

  /** Ends a watch in progress, taking in what the broker read before it stopped. */
  unwatch(): void {
    this._read.watch.stop();
  }

  /**
   * Takes the watch report in if it has come: true when the watch is over (bytes fed, or the end
   * seen) and the descriptor may be read directly again.
   */
  takeWatchReport(): boolean {
    return !this._read.watch.active || this._read.watch.takeReport();
  }
}
