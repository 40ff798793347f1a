import { type ConId, ErrorCode, NetError, RoundRobinPool, type Timer } from '@net/core';
import { END_OF_STREAM, type SendStatus, WOULD_BLOCK } from './status.js';
import type { SyncConnection } from './sync-connection.js';

interface PoolEntry<Send, Recv> {
  readonly connection: SyncConnection<Send, Recv>;
}

/**
 * The pooled connections of a synchronous service. An empty poll of a socket is still a system
 * call (1-2 µs through WASI), so a pool does not poll idle connections on every pass: after
 * `idlePollsBeforeWatch` empty polls in a row a connection is handed to the broker thread to watch
 * (see `SyncConnection.recvOnce`), and until bytes come a pass costs it one atomic load. A pass
 * over a thousand idle connections and one busy one costs one system call, not a thousand.
 */
export class SyncPool<Send, Recv> {
  private readonly _pool: RoundRobinPool<PoolEntry<Send, Recv>>;
  private readonly _ids = new Map<number, number>();
  private readonly _timer: Timer;
  private readonly _protocolSendTimeout: number;
  private readonly _idlePollsBeforeWatch: number;
  private _lastConId: ConId | undefined;

  constructor(capacity: number, timer: Timer, protocolSendTimeout: number, idlePollsBeforeWatch: number) {
    this._pool = new RoundRobinPool(capacity);
    this._timer = timer;
    this._protocolSendTimeout = protocolSendTimeout;
    this._idlePollsBeforeWatch = idlePollsBeforeWatch;
  }

  /** Connections in the pool. */
  get size(): number {
    return this._pool.size;
  }

  /** Connections the broker thread is watching for us now. */
  get watchedCount(): number {
    let count = 0;
    for (const entry of this._pool.values()) if (entry.connection.isWatched) count++;
    return count;
  }

  /** Adds a connection; it leaves when it closes. */
  add(connection: SyncConnection<Send, Recv>): void {
    const entry: PoolEntry<Send, Recv> = { connection };
    const id = this._pool.add(entry);
    this._ids.set(connection.conId.serial, id);
    connection.onClose(() => {
      // A connection taken out (and maybe pooled again since) is not this entry's to remove.
      if (this._ids.get(connection.conId.serial) !== id) return;
      this._pool.remove(id);
      this._ids.delete(connection.conId.serial);
    });
  }

  /**
   * Takes a connection out of the pool, open, by id or serial number: the pool's calls no longer
   * touch it, and the broker thread stops watching it for the pool.
   * @throws NetError `NET_ERR_NOT_CONNECTED` when no such connection is pooled
   */
  take(target: ConId | number): SyncConnection<Send, Recv> {
    const serial = typeof target === 'number' ? target : target.serial;
    const id = this._ids.get(serial);
    const entry = id === undefined ? undefined : this._pool.remove(id);
    if (entry === undefined)
      throw new NetError(ErrorCode.NOT_CONNECTED, `connection ${String(target)} is not in the pool`);
    this._ids.delete(serial);
    entry.connection.unwatch();
    return entry.connection;
  }

  /** Round-robin send; `deadline` as in `SyncConnection.sendUntil`. */
  send(message: Send, deadline: number): SendStatus {
    const entry = this._pool.next();
    if (entry === undefined) throw new NetError(ErrorCode.NOT_CONNECTED, 'no connection in the pool');
    return entry.connection.sendUntil(message, deadline) ? 'completed' : 'wouldBlock';
  }

  /** Send to one connection, by id or serial number. */
  sendTo(target: ConId | number, message: Send, deadline: number): SendStatus {
    const serial = typeof target === 'number' ? target : target.serial;
    const id = this._ids.get(serial);
    const entry = id === undefined ? undefined : this._pool.get(id);
    if (entry === undefined)
      throw new NetError(ErrorCode.NOT_CONNECTED, `connection ${String(target)} is not in the pool`);
    return entry.connection.sendUntil(message, deadline) ? 'completed' : 'wouldBlock';
  }

  /** Sends to every connection, each until written; returns how many took it. */
  broadcast(message: Send): number {
    let count = 0;
    for (const entry of [...this._pool.values()]) {
      try {
        if (entry.connection.sendUntil(message, performance.now() + this._protocolSendTimeout)) count++;
      } catch {
        // That connection is gone or failing; it leaves the pool by itself and the others still get it.
      }
    }
    return count;
  }

  /**
   * One pass round the pool from where the last stopped: a message, or undefined. The connection
   * it came from is {@link lastConId}; nothing is allocated to say so, as a receive that wants
   * only the message is the common case.
   */
  recv(): Recv | undefined {
    this._timer.poll();
    for (let i = this._pool.size; i > 0; i--) {
      const entry = this._pool.next();
      if (entry === undefined) return undefined;
      const connection = entry.connection;
      let result;
      try {
        result = connection.recvOnce(this._idlePollsBeforeWatch);
      } catch (error) {
        // A decode error leaves the connection usable; anything else closed it and it left the pool.
        if ((error as NetError).code === ErrorCode.DECODE) throw error;
        continue;
      }
      if (result === WOULD_BLOCK || result === END_OF_STREAM) continue;
      this._lastConId = connection.conId;
      return result;
    }
    return undefined;
  }

  /** The connection the message {@link recv} last returned came from; undefined before the first. */
  get lastConId(): ConId | undefined {
    return this._lastConId;
  }

  /** As {@link recv}, with the message's connection. */
  recvFrom(): { conId: ConId; message: Recv } | undefined {
    const message = this.recv();
    return message === undefined ? undefined : { conId: this._lastConId as ConId, message };
  }

  /** Closes every pooled connection gracefully (their protocols say goodbye). */
  close(): void {
    for (const entry of [...this._pool.values()]) entry.connection.close();
    this._pool.clear();
    this._ids.clear();
  }
}
