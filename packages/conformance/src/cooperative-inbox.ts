import { ErrorCode, NetError } from '@net/core';

/**
 * Messages of a synchronous-flavour connection, pumped by a poller on the event loop, waiting for
 * the suite's Promise-based `recv`. The synchronous flavours are driven cooperatively here (one
 * attempt, then a turn of the event loop) so that they can share a thread with an async peer.
 */
export class CooperativeInbox<Recv> {
  /** Settles when the connection ends, with the reason (undefined for clean). */
  readonly closed: Promise<NetError | undefined>;
  private readonly _items: ({ message: Recv } | { error: NetError })[] = [];
  private readonly _waiters: (() => void)[] = [];
  private _ended = false;
  private _reason: NetError | undefined;
  private _resolveClosed!: (reason: NetError | undefined) => void;

  constructor() {
    this.closed = new Promise((resolve) => (this._resolveClosed = resolve));
  }

  /** A message arrived. */
  push(message: Recv): void {
    this._items.push({ message });
    this._wake();
  }

  /** A frame did not decode: the next `recv` rejects with it. */
  pushError(error: NetError): void {
    this._items.push({ error });
    this._wake();
  }

  /** The connection ended. */
  end(reason: NetError | undefined): void {
    if (this._ended) return;
    this._ended = true;
    this._reason = reason;
    this._resolveClosed(reason);
    this._wake();
  }

  /** The next message; `undefined` after a clean end; rejects with a `NetError`. */
  async recv(timeoutMs?: number): Promise<Recv | undefined> {
    const deadline = timeoutMs === undefined ? Infinity : performance.now() + timeoutMs;
    for (;;) {
      const item = this._items.shift();
      if (item !== undefined) {
        if ('error' in item) throw item.error;
        return item.message;
      }
      if (this._ended) {
        if (this._reason !== undefined) throw this._reason;
        return undefined;
      }
      const left = deadline - performance.now();
      if (left <= 0) throw new NetError(ErrorCode.TIMEOUT, `no message within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = left === Infinity ? undefined : setTimeout(resolve, left);
        this._waiters.push(() => {
          if (timer !== undefined) clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  private _wake(): void {
    for (const waiter of this._waiters.splice(0)) waiter();
  }
}

/** One turn of the event loop. */
export function yieldTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Retries `attempt` (one non-blocking try) each turn until it gives a value or `timeoutMs` passes. */
export async function retryUntil<T>(attempt: () => T | undefined, timeoutMs: number | undefined, what: string): Promise<T> {
  const deadline = timeoutMs === undefined ? Infinity : performance.now() + timeoutMs;
  for (;;) {
    const value = attempt();
    if (value !== undefined) return value;
    if (performance.now() >= deadline) throw new NetError(ErrorCode.TIMEOUT, `no ${what} within ${timeoutMs} ms`);
    await yieldTurn();
  }
}
