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
  #waiters: Waiter[] = [];
  #lowest = Infinity;

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
          this.#remove(waiter);
          const reached = current();
          reject(
            new NetError(ErrorCode.TIMEOUT, `waited ${timeoutMs} ms for ${label} count >= ${atLeast}, reached ${reached}`, {
              details: { counter: label, atLeast, reached, timeoutMs },
            }),
          );
        }, timeoutMs);
      }
      this.#waiters.push(waiter);
      if (atLeast < this.#lowest) this.#lowest = atLeast;
    });
  }

  /** Resolves every waiter whose target `count` has reached. */
  check(count: number): void {
    if (count < this.#lowest) return;
    const still: Waiter[] = [];
    for (const waiter of this.#waiters) {
      if (count >= waiter.atLeast) {
        if (waiter.timer !== undefined) clearTimeout(waiter.timer);
        waiter.resolve(count);
      } else {
        still.push(waiter);
      }
    }
    this.#waiters = still;
    this.#recomputeLowest();
  }

  #remove(waiter: Waiter): void {
    this.#waiters = this.#waiters.filter((other) => other !== waiter);
    this.#recomputeLowest();
  }

  #recomputeLowest(): void {
    this.#lowest = Infinity;
    for (const waiter of this.#waiters) if (waiter.atLeast < this.#lowest) this.#lowest = waiter.atLeast;
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
  #sent = 0;
  #recv = 0;
  #connected = 0;
  #disconnected = 0;
  #rejected = 0;
  readonly #sentWaiters = new CountWaiters();
  readonly #recvWaiters = new CountWaiters();

  /** Messages completely written so far. */
  get sentCount(): number {
    return this.#sent;
  }

  /** Messages received so far. */
  get recvCount(): number {
    return this.#recv;
  }

  /** `onConnected` events so far. */
  get connectedCount(): number {
    return this.#connected;
  }

  /** `onDisconnected` events so far. */
  get disconnectedCount(): number {
    return this.#disconnected;
  }

  /** `onRejected` events so far. */
  get rejectedCount(): number {
    return this.#rejected;
  }

  /** Counts one received message. */
  onRecv(_conId: ConId, _message: Recv): void {
    this.#recv++;
    this.#recvWaiters.check(this.#recv);
  }

  /** Counts one sent message. */
  onSent(_conId: ConId, _message: Send): void {
    this.#sent++;
    this.#sentWaiters.check(this.#sent);
  }

  /** Counts one connection. */
  onConnected(_conId: ConId): void {
    this.#connected++;
  }

  /** Counts one disconnection. */
  onDisconnected(_conId: ConId, _reason: NetError | undefined): void {
    this.#disconnected++;
  }

  /** Counts one rejection. */
  onRejected(_conId: ConId, _reason: NetError): void {
    this.#rejected++;
  }

  /**
   * Resolves with the receive count as soon as it is at least `atLeast` (at once if it already
   * is). Rejects with `NET_ERR_TIMEOUT` after `timeoutMs` (`Infinity` waits forever), and with
   * `NET_ERR_INVALID_ARGUMENT` for a non-finite target or a negative timeout.
   */
  waitForRecvCount(atLeast: number, timeoutMs: number): Promise<number> {
    return this.#recvWaiters.wait('recv', () => this.#recv, atLeast, timeoutMs);
  }

  /** Like {@link CounterCallback.waitForRecvCount}, for the sent count. */
  waitForSentCount(atLeast: number, timeoutMs: number): Promise<number> {
    return this.#sentWaiters.wait('sent', () => this.#sent, atLeast, timeoutMs);
  }

  /** `CounterCallback<sent: n, recv: m>`. */
  toString(): string {
    return `CounterCallback<sent: ${this.#sent}, recv: ${this.#recv}>`;
  }
}
