import type { ConId } from '../connection/con-id.js';
import { ErrorCode } from '../errors/error-codes.js';
import { NetError } from '../errors/net-error.js';
import type { Callbacks } from './callbacks.js';

interface Waiter {
  readonly atLeast: number;
  readonly resolve: (count: number) => void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * Promises waiting for one counter to reach a target. Checked each time the counter moves; the
 * common case (nobody waiting, or the lowest target not reached) is one comparison.
 */
class CountWaiters {
  private _waiters: Waiter[] = [];
  private _lowest = Infinity;

  wait(label: string, current: () => number, atLeast: number, timeoutMs: number): Promise<number> {
    if (!Number.isFinite(atLeast)) {
      return Promise.reject(invalid(`atLeast must be a finite number, got ${String(atLeast)}`));
    }
    if (typeof timeoutMs !== 'number' || Number.isNaN(timeoutMs) || timeoutMs < 0) {
      return Promise.reject(invalid(`timeoutMs must be a number >= 0 (or Infinity), got ${String(timeoutMs)}`));
    }
    if (current() >= atLeast) return Promise.resolve(current());
    return new Promise<number>((resolve, reject) => {
      const waiter: Waiter = { atLeast, resolve, timer: undefined };
      // Infinity means "no deadline": setTimeout would treat it as 1 ms, so no timer at all.
      if (timeoutMs !== Infinity) {
        waiter.timer = setTimeout(() => {
          this._remove(waiter);
          const reached = current();
          reject(
            new NetError(
              ErrorCode.TIMEOUT,
              `waited ${timeoutMs} ms for ${label} count >= ${atLeast}, reached ${reached}`,
              {
                details: { counter: label, atLeast, reached, timeoutMs },
              },
            ),
          );
        }, timeoutMs);
      }
      this._waiters.push(waiter);
      if (atLeast < this._lowest) this._lowest = atLeast;
    });
  }

  /** Resolves every waiter whose target `count` has reached. */
  check(count: number): void {
    if (count < this._lowest) return;
    const still: Waiter[] = [];
    for (const waiter of this._waiters) {
      if (count >= waiter.atLeast) {
        if (waiter.timer !== undefined) clearTimeout(waiter.timer);
        waiter.resolve(count);
      } else {
        still.push(waiter);
      }
    }
    this._waiters = still;
    this._recomputeLowest();
  }

  private _remove(waiter: Waiter): void {
    this._waiters = this._waiters.filter((other) => other !== waiter);
    this._recomputeLowest();
  }

  private _recomputeLowest(): void {
    this._lowest = Infinity;
    for (const waiter of this._waiters) if (waiter.atLeast < this._lowest) this._lowest = waiter.atLeast;
  }
}

function invalid(message: string): NetError {
  return new NetError(ErrorCode.INVALID_ARGUMENT, message);
}

/**
 * Counts messages and connection events. Tests and benchmarks use it to wait until traffic has
 * flowed: {@link CounterCallback.waitForRecvCount} for the async flavours; the synchronous ones
 * spin on `recvCount` (`countBusywaitTimeout` in `@net/core/internal`).
 */
export class CounterCallback<Send = unknown, Recv = unknown> implements Callbacks<Send, Recv> {
  private _sent = 0;
  private _recv = 0;
  private _connected = 0;
  private _disconnected = 0;
  private _rejected = 0;
  private readonly _sentWaiters = new CountWaiters();
  private readonly _recvWaiters = new CountWaiters();

  /** Messages completely written so far. */
  get sentCount(): number {
    return this._sent;
  }

  /** Messages received so far. */
  get recvCount(): number {
    return this._recv;
  }

  /** `onConnected` events so far. */
  get connectedCount(): number {
    return this._connected;
  }

  /** `onDisconnected` events so far. */
  get disconnectedCount(): number {
    return this._disconnected;
  }

  /** `onRejected` events so far. */
  get rejectedCount(): number {
    return this._rejected;
  }

  /** Counts one received message. */
  onRecv(_conId: ConId, _message: Recv): void {
    this._recv++;
    this._recvWaiters.check(this._recv);
  }

  /** Counts one sent message. */
  onSent(_conId: ConId, _message: Send): void {
    this._sent++;
    this._sentWaiters.check(this._sent);
  }

  /** Counts one connection. */
  onConnected(_conId: ConId): void {
    this._connected++;
  }

  /** Counts one disconnection. */
  onDisconnected(_conId: ConId, _reason: NetError | undefined): void {
    this._disconnected++;
  }

  /** Counts one rejection. */
  onRejected(_conId: ConId, _reason: NetError): void {
    this._rejected++;
  }

  /**
   * Resolves with the receive count as soon as it is at least `atLeast` (at once if it already
   * is). Rejects with `NET_ERR_TIMEOUT` after `timeoutMs` (`Infinity` waits forever), and with
   * `NET_ERR_INVALID_ARGUMENT` for a non-finite target or a negative timeout.
   */
  waitForRecvCount(atLeast: number, timeoutMs: number): Promise<number> {
    return this._recvWaiters.wait('recv', () => this._recv, atLeast, timeoutMs);
  }

  /** Like {@link CounterCallback.waitForRecvCount}, for the sent count. */
  waitForSentCount(atLeast: number, timeoutMs: number): Promise<number> {
    return this._sentWaiters.wait('sent', () => this._sent, atLeast, timeoutMs);
  }

  /** `CounterCallback<sent: n, recv: m>`. */
  toString(): string {
    return `CounterCallback<sent: ${this._sent}, recv: ${this._recv}>`;
  }
}
