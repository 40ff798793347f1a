import { type ConId, ErrorCode, NetError, type Received, RoundRobinPool } from '@net/core';
import type { DriverScheduler } from '@net/core/internal';
import type { Clt } from './clt.js';
import { boundedWait, invalidBounds, removeFrom, type Waiter } from './bounded-wait.js';
import type { MessageInbox, RecvOptions } from './message-inbox.js';

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
  // One queue for both kinds of receive, so they are served in the order they came; a waiter in
  // `_wantsConId` (a `recvFrom`) gets `{ conId, message }`, any other just the message, and only
  // the former allocates that pair.
  private readonly _waiters: Waiter<Recv | Received<Recv> | undefined>[] = [];
  private readonly _wantsConId = new Set<Waiter<Received<Recv> | undefined>>();
  private readonly _scheduler: DriverScheduler;
  /** The connection the message {@link _takeNext} last returned came from. */
  private _lastFrom: Clt<Send, Recv> | undefined;
  // Made once, so a receive that waits allocates only its promise and its waiter.
  private readonly _enlist = (waiter: Waiter<Recv | undefined>): void => {
    this._waiters.push(waiter);
  };
  private readonly _delist = (waiter: Waiter<Recv | undefined>): void => {
    removeFrom(this._waiters, waiter);
  };
  private readonly _enlistWithConId = (waiter: Waiter<Received<Recv> | undefined>): void => {
    this._wantsConId.add(waiter);
    this._waiters.push(waiter);
  };
  private readonly _delistWithConId = (waiter: Waiter<Received<Recv> | undefined>): void => {
    this._wantsConId.delete(waiter);
    removeFrom(this._waiters, waiter);
  };
  private _closed = false;
  /** Ended connections kept only until their last messages are taken. */
  private _draining = 0;

  constructor(capacity: number, scheduler: DriverScheduler) {
    this._pool = new RoundRobinPool(capacity);
    this._scheduler = scheduler;
  }

  /** Open connections in the pool (an ended one stays only until its last messages are taken). */
  get size(): number {
    return this._pool.size - this._draining;
  }

  /** The open pooled connections. */
  *connections(): IterableIterator<Clt<Send, Recv>> {
    for (const entry of this._pool.values()) if (!entry.inbox.ended) yield entry.clt;
  }

  /** Adds a connection; it leaves by itself when it ends. */
  add(clt: Clt<Send, Recv>, inbox: MessageInbox<Recv>): void {
    const id = this._pool.add({ clt, inbox });
    this._ids.set(clt.conId.serial, id);
    inbox.onQueued = () => this._serveWaiters();
    // A connection leaves the pool once it has ended and everything it received has been taken.
    void clt.closed.then(() => {
      this._ids.delete(clt.conId.serial);
      if (inbox.length === 0) {
        this._pool.remove(id);
        return;
      }
      this._draining++;
      this._serveWaiters();
    });
  }

  /**
   * Sends to the next open connection in turn.
   * @throws NetError `NET_ERR_NOT_CONNECTED` when no pooled connection is open
   */
  send(message: Send): boolean {
    for (let i = this._pool.size; i > 0; i--) {
      const entry = this._pool.next();
      if (entry !== undefined && !entry.inbox.ended) return entry.clt.send(message);
    }
    throw new NetError(ErrorCode.NOT_CONNECTED, 'no open connection in the pool');
  }

  /**
   * Sends to one connection, by its id or its serial number.
   * @throws NetError `NET_ERR_NOT_CONNECTED` when that connection is not in the pool
   */
  sendTo(target: ConId | number, message: Send): boolean {
    const serial = typeof target === 'number' ? target : target.serial;
    const id = this._ids.get(serial);
    const entry = id === undefined ? undefined : this._pool.get(id);
    if (entry === undefined)
      throw new NetError(ErrorCode.NOT_CONNECTED, `connection ${String(target)} is not in the pool`);
    return entry.clt.send(message);
  }

  /** Sends to every connection; returns how many took it (a failing one is skipped and logged by its callbacks). */
  broadcast(message: Send): number {
    let count = 0;
    for (const entry of this._pool.values()) {
      if (entry.inbox.ended) continue;
      try {
        entry.clt.send(message);
        count++;
      } catch {
        // A connection that cannot take it is closing or over its limit; the others still get it.
      }
    }
    return count;
  }

  /**
   * The next message from any connection, taken round robin; `undefined` once the pool is closed.
   * Nothing is allocated to say which connection it came from (the common receive does not ask).
   */
  recv(options?: RecvOptions): Promise<Recv | undefined> {
    const invalid = invalidBounds(options);
    if (invalid !== undefined) return Promise.reject(invalid);
    try {
      const found = this._takeNext();
      if (found !== undefined || this._closed) return Promise.resolve(found);
    } catch (error) {
      return Promise.reject(error);
    }
    return boundedWait<Recv | undefined>(options, this._scheduler, 'message', this._enlist, this._delist);
  }

  /** As {@link recv}, with the connection the message came from. */
  recvFrom(options?: RecvOptions): Promise<Received<Recv> | undefined> {
    const invalid = invalidBounds(options);
    if (invalid !== undefined) return Promise.reject(invalid);
    try {
      const found = this._takeNext();
      if (found !== undefined) return Promise.resolve(this._withConId(found));
      if (this._closed) return Promise.resolve(undefined);
    } catch (error) {
      return Promise.reject(error);
    }
    return boundedWait<Received<Recv> | undefined>(
      options,
      this._scheduler,
      'message',
      this._enlistWithConId,
      this._delistWithConId,
    );
  }

  /** Ends the pool: waiting receives get `undefined`. The connections are closed by the service. */
  close(): void {
    this._closed = true;
    this._wantsConId.clear();
    for (const waiter of this._waiters.splice(0)) {
      waiter.cancel();
      waiter.resolve(undefined);
    }
  }

  private _withConId(message: Recv): Received<Recv> {
    // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- called only after _takeNext found a message
    return { conId: this._lastFrom!.conId, message };
  }

  private _serveWaiters(): void {
    while (this._waiters.length > 0) {
      let found: Recv | undefined;
      try {
        found = this._takeNext();
      } catch (error) {
        // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- a waiter was queued: the loop runs only while _waiters is not empty
        const waiter = this._waiters.shift()!;
        this._wantsConId.delete(waiter);
        waiter.cancel();
        waiter.reject(error as NetError);
        continue;
      }
      if (found === undefined) return;
      // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- a waiter was queued: the loop runs only while _waiters is not empty
      const waiter = this._waiters.shift()!;
      waiter.cancel();
      waiter.resolve(this._wantsConId.delete(waiter) ? this._withConId(found) : found);
    }
  }

  /**
   * One pass round the pool, from where the last one stopped, for a connection with a message;
   * the connection it came from is left in {@link _lastFrom}.
   */
  private _takeNext(): Recv | undefined {
    for (let i = this._pool.size; i > 0; i--) {
      const entry = this._pool.next();
      if (entry === undefined) return undefined;
      const id = this._pool.lastUsedId;
      if (entry.inbox.length === 0) continue;
      let message: Recv | undefined;
      try {
        message = entry.inbox.takeNow();
      } finally {
        if (entry.inbox.length === 0 && entry.inbox.ended && id !== undefined && this._pool.remove(id) !== undefined)
          this._draining--;
      }
      if (message !== undefined) {
        this._lastFrom = entry.clt;
        return message;
      }
    }
    return undefined;
  }
}
