import { type ConId, ErrorCode, NetError, RoundRobinPool } from '@net/core';
import { END_OF_STREAM, type SendStatus, socketBroker, type SyncConnection, WOULD_BLOCK } from '@net/core/sync';
import type { ResolvedOptions } from './options.js';

interface PoolEntry<Send, Recv> {
  readonly connection: SyncConnection<Send, Recv>;
  /** Empty polls in a row. */
  idlePolls: number;
  /** True while the broker thread watches the descriptor for us. */
  watched: boolean;
}

/**
 * The pooled connections of a non-blocking service. An empty poll of a socket costs microseconds
 * in Node (the failed read builds an exception), so a pool does not poll idle connections on every
 * pass: after `idlePollsBeforeWatch` empty polls in a row a connection is handed to the broker
 * thread, which watches it with the event loop it runs anyway, and the pool only checks one shared
 * counter per pass until the broker reports bytes. A pass over a thousand idle connections and one
 * busy one then costs one poll, not a thousand.
 */
export class SvcPool<Send, Recv> {
  private readonly _pool: RoundRobinPool<PoolEntry<Send, Recv>>;
  private readonly _ids = new Map<number, number>();
  private readonly _resolved: ResolvedOptions;
  private readonly _idlePollsBeforeWatch: number;
  private _watchedCount = 0;
  private _brokerEventsSeen = -1;

  constructor(capacity: number, resolved: ResolvedOptions, idlePollsBeforeWatch: number) {
    this._pool = new RoundRobinPool(capacity);
    this._resolved = resolved;
    this._idlePollsBeforeWatch = idlePollsBeforeWatch;
  }

  /** Connections in the pool. */
  get size(): number {
    return this._pool.size;
  }

  /** Connections the broker thread is watching for us now. */
  get watchedCount(): number {
    return this._watchedCount;
  }

  /** Adds a connection; it leaves when it closes. */
  add(connection: SyncConnection<Send, Recv>): void {
    const entry: PoolEntry<Send, Recv> = { connection, idlePolls: 0, watched: false };
    const id = this._pool.add(entry);
    this._ids.set(connection.conId.serial, id);
    const previous = connection.onClosed;
    connection.onClosed = () => {
      previous?.();
      if (entry.watched) this._watchedCount--;
      entry.watched = false;
      this._pool.remove(id);
      this._ids.delete(connection.conId.serial);
    };
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
    if (entry === undefined) throw new NetError(ErrorCode.NOT_CONNECTED, `connection ${String(target)} is not in the pool`);
    return entry.connection.sendUntil(message, deadline) ? 'completed' : 'wouldBlock';
  }

  /** Sends to every connection, each until written; returns how many took it. */
  broadcast(message: Send): number {
    let count = 0;
    for (const entry of [...this._pool.values()]) {
      try {
        if (entry.connection.sendUntil(message, performance.now() + this._resolved.protocolSendTimeout)) count++;
      } catch {
        // That connection is gone or failing; it leaves the pool by itself and the others still get it.
      }
    }
    return count;
  }

  /** One pass round the pool from where the last stopped: a message and its connection, or undefined. */
  recvFrom(): { conId: ConId; message: Recv } | undefined {
    this._resolved.timer.poll();
    this._collectWatchReports();
    for (let i = this._pool.size; i > 0; i--) {
      const entry = this._pool.next();
      if (entry === undefined) return undefined;
      if (entry.watched) continue;
      const connection = entry.connection;
      let result;
      try {
        result = connection.recvOnce();
      } catch (error) {
        // A decode error leaves the connection usable; anything else closed it and it left the pool.
        if ((error as NetError).code === ErrorCode.DECODE) throw error;
        continue;
      }
      if (result === WOULD_BLOCK) {
        if (++entry.idlePolls >= this._idlePollsBeforeWatch && connection.isOpen) this._watch(entry);
        continue;
      }
      entry.idlePolls = 0;
      if (result === END_OF_STREAM) continue;
      return { conId: connection.conId, message: result };
    }
    return undefined;
  }

  /** Closes every pooled connection gracefully (their protocols say goodbye). */
  close(): void {
    for (const entry of [...this._pool.values()]) entry.connection.close();
    this._pool.clear();
    this._ids.clear();
  }

  private _watch(entry: PoolEntry<Send, Recv>): void {
    entry.watched = true;
    entry.idlePolls = 0;
    this._watchedCount++;
    socketBroker().watch(entry.connection.fd);
  }

  private _collectWatchReports(): void {
    if (this._watchedCount === 0) return;
    const broker = socketBroker();
    // One atomic load per pass while nothing happened: no message is read off the port.
    const seen = broker.eventCount;
    if (seen === this._brokerEventsSeen) return;
    this._brokerEventsSeen = seen;
    for (const entry of this._pool.values()) {
      if (!entry.watched) continue;
      const report = broker.takeWatchReport(entry.connection.fd);
      if (report === undefined) continue;
      entry.watched = false;
      this._watchedCount--;
      if (report.kind === 'data') entry.connection.feed(report.bytes);
      else entry.connection.endOfStream();
    }
  }
}
