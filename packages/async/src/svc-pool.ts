import { type ConId, type DriverScheduler, ErrorCode, NetError, RoundRobinPool } from '@net/core';
import type { Clt } from './clt.js';
import { boundedWait, removeFrom, type Waiter } from './bounded-wait.js';
import type { MessageInbox, RecvOptions } from './message-inbox.js';

/** A message and the connection it came from. */
export interface Received<Recv> {
  readonly conId: ConId;
  readonly message: Recv;
}

interface PoolEntry<Send, Recv> {
  readonly clt: Clt<Send, Recv>;
  readonly inbox: MessageInbox<Recv>;
}

/**
 * The connections a service serves together (links' service pool): `send` goes round robin,
 * `recv` takes round robin from the connections that have something, and `sendTo` / `broadcast`
 * reach one or all. A connection that ends leaves the pool.
 */
export class SvcPool<Send, Recv> {
  private readonly _pool: RoundRobinPool<PoolEntry<Send, Recv>>;
  private readonly _ids = new Map<number, number>();
  private readonly _waiters: Waiter<Received<Recv> | undefined>[] = [];
  private readonly _scheduler: DriverScheduler;
  private _closed = false;

  constructor(capacity: number, scheduler: DriverScheduler) {
    this._pool = new RoundRobinPool(capacity);
    this._scheduler = scheduler;
  }

  /** Connections in the pool. */
  get size(): number {
    return this._pool.size;
  }

  /** The pooled connections. */
  *connections(): IterableIterator<Clt<Send, Recv>> {
    for (const entry of this._pool.values()) yield entry.clt;
  }

  /** Adds a connection; it leaves by itself when it ends. */
  add(clt: Clt<Send, Recv>, inbox: MessageInbox<Recv>): void {
    const id = this._pool.add({ clt, inbox });
    this._ids.set(clt.conId.serial, id);
    inbox.onQueued = () => this._serveWaiters();
    void clt.closed.then(() => {
      this._pool.remove(id);
      this._ids.delete(clt.conId.serial);
    });
  }

  /**
   * Sends to the next connection in turn.
   * @throws NetError `NET_ERR_NOT_CONNECTED` when the pool is empty
   */
  send(message: Send): boolean {
    const entry = this._pool.next();
    if (entry === undefined) throw new NetError(ErrorCode.NOT_CONNECTED, 'no connection in the pool');
    return entry.clt.send(message);
  }

  /**
   * Sends to one connection, by its id or its serial number.
   * @throws NetError `NET_ERR_NOT_CONNECTED` when that connection is not in the pool
   */
  sendTo(target: ConId | number, message: Send): boolean {
    const serial = typeof target === 'number' ? target : target.serial;
    const id = this._ids.get(serial);
    const entry = id === undefined ? undefined : this._pool.get(id);
    if (entry === undefined) throw new NetError(ErrorCode.NOT_CONNECTED, `connection ${String(target)} is not in the pool`);
    return entry.clt.send(message);
  }

  /** Sends to every connection; returns how many took it (a failing one is skipped and logged by its callbacks). */
  broadcast(message: Send): number {
    let count = 0;
    for (const entry of this._pool.values()) {
      try {
        entry.clt.send(message);
        count++;
      } catch {
        // A connection that cannot take it is closing or over its limit; the others still get it.
      }
    }
    return count;
  }

  /** The next message from any connection, taken round robin; `undefined` once the pool is closed. */
  recv(options?: RecvOptions): Promise<Received<Recv> | undefined> {
    try {
      const found = this._takeNext();
      if (found !== undefined || this._closed) return Promise.resolve(found);
    } catch (error) {
      return Promise.reject(error as NetError);
    }
    return boundedWait<Received<Recv> | undefined>(
      options,
      this._scheduler,
      'message',
      (waiter) => this._waiters.push(waiter),
      (waiter) => removeFrom(this._waiters, waiter),
    );
  }

  /** Ends the pool: waiting receives get `undefined`. The connections are closed by the service. */
  close(): void {
    this._closed = true;
    for (const waiter of this._waiters.splice(0)) {
      waiter.cancel();
      waiter.resolve(undefined);
    }
  }

  private _serveWaiters(): void {
    while (this._waiters.length > 0) {
      let found: Received<Recv> | undefined;
      try {
        found = this._takeNext();
      } catch (error) {
        const waiter = this._waiters.shift()!;
        waiter.cancel();
        waiter.reject(error as NetError);
        continue;
      }
      if (found === undefined) return;
      const waiter = this._waiters.shift()!;
      waiter.cancel();
      waiter.resolve(found);
    }
  }

  /** One pass round the pool, from where the last one stopped, for a connection with a message. */
  private _takeNext(): Received<Recv> | undefined {
    for (let i = this._pool.size; i > 0; i--) {
      const entry = this._pool.next();
      if (entry === undefined) return undefined;
      if (entry.inbox.length === 0) continue;
      const message = entry.inbox.takeNow();
      if (message !== undefined) return { conId: entry.clt.conId, message };
    }
    return undefined;
  }
}
