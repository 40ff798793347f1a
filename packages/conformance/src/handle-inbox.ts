import { ErrorCode, NetError } from '@net/core';

/**
 * Messages of a connection hosted in another thread, as they arrive from there, waiting for the
 * suite's Promise-based `recv`; then the connection's end and its reason.
 */
export class HandleInbox<Recv> {
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
