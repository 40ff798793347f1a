import { ErrorCode } from '../errors/error-codes.js';
import { NetError } from '../errors/net-error.js';
import { IDLE_TIMEOUT_CHECKS_PER_TIMEOUT } from '../limits.js';
import type { DriverScheduler } from './driver-options.js';

/**
 * The idle timeout of one connection: it is closed with `NET_ERR_IDLE_TIMEOUT` once nothing was
 * received from the peer for `timeoutMs`.
 *
 * A read that brought bytes only sets {@link seen}; one timer task, every
 * `timeoutMs / IDLE_TIMEOUT_CHECKS_PER_TIMEOUT`, looks at it. So a busy connection pays one field
 * store per read and no timer work per message, and a silent one is closed between `timeoutMs` and
 * `timeoutMs` plus one check period after its last bytes (later if the timer runs late, never
 * earlier: bytes seen by a check are dated at that check).
 */
export class IdleCheck {
  /** Set by every read that brought bytes; the next check clears it. */
  seen = false;
  private readonly _scheduler: DriverScheduler;
  private readonly _timeoutMs: number;
  private readonly _periodMs: number;
  private readonly _conId: { toString(): string };
  private readonly _onIdle: (error: NetError) => void;
  private _lastSeenAt = 0;
  private _task: { cancel(): void } | undefined;

  constructor(
    scheduler: DriverScheduler,
    timeoutMs: number,
    conId: { toString(): string },
    onIdle: (error: NetError) => void,
  ) {
    this._scheduler = scheduler;
    this._timeoutMs = timeoutMs;
    this._periodMs = Math.max(1, Math.ceil(timeoutMs / IDLE_TIMEOUT_CHECKS_PER_TIMEOUT));
    this._conId = conId;
    this._onIdle = onIdle;
  }

  /** Starts counting from now (the connection is up). */
  start(): void {
    if (this._task !== undefined) return;
    this._lastSeenAt = this._scheduler.now();
    this._arm(this._periodMs);
  }

  /** Stops checking (the connection is closing or gone). */
  stop(): void {
    this._task?.cancel();
    this._task = undefined;
  }

  private _arm(delayMs: number): void {
    this._task = this._scheduler.once(delayMs, () => this._check());
  }

  private _check(): void {
    this._task = undefined;
    const now = this._scheduler.now();
    if (this.seen) {
      this.seen = false;
      this._lastSeenAt = now;
    } else if (now - this._lastSeenAt >= this._timeoutMs) {
      const silentMs = Math.round(now - this._lastSeenAt);
      this._onIdle(
        new NetError(
          ErrorCode.IDLE_TIMEOUT,
          `${String(this._conId)}: nothing received for ${silentMs} ms (idleTimeout ${this._timeoutMs} ms)`,
          {
            details: { conId: String(this._conId), silentMs, idleTimeoutMs: this._timeoutMs },
          },
        ),
      );
      return;
    }
    this._arm(Math.max(1, Math.min(this._periodMs, Math.ceil(this._lastSeenAt + this._timeoutMs - now))));
  }
}
