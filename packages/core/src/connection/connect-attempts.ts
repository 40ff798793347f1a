import { ErrorCode } from '../errors/error-codes.js';
import { NetError } from '../errors/net-error.js';
import { checkIntegerOption } from '../options/check-integer-option.js';
import { DEFAULT_CONNECT_RETRY_AFTER_MS, DEFAULT_CONNECT_TIMEOUT_MS } from '../limits.js';
import { checkTimeout } from '../options/check-timeout.js';
import { type Endpoint, formatEndpoint } from './endpoint.js';

// An attempt's own bound goes to a native timer, which takes at most 2^31-1 ms (more fires at once).
const MAX_ATTEMPT_MS = 2 ** 31 - 1;

/** A `Clt.connect`'s timing after defaults: how long it keeps trying, and the pause between attempts (ms). */
export interface ConnectTiming {
  /** How long the connect keeps trying, `Infinity` for ever. */
  readonly timeout: number;
  /** The pause between two attempts. */
  readonly retryAfter: number;
}

/** Applies the defaults to a `Clt.connect`'s `timeout` and `retryAfter`, and validates them. */
export function resolveConnectTiming(options: {
  readonly timeout?: number;
  readonly retryAfter?: number;
}): ConnectTiming {
  return {
    timeout: checkTimeout('timeout', options.timeout ?? DEFAULT_CONNECT_TIMEOUT_MS),
    retryAfter: checkIntegerOption(
      'retryAfter',
      options.retryAfter ?? DEFAULT_CONNECT_RETRY_AFTER_MS,
      1,
      MAX_ATTEMPT_MS,
    ),
  };
}

/** Whether an attempt's error only says that time ran out, rather than why it failed. */
function ranOutOfTime(error: NetError): boolean {
  return error.code === ErrorCode.TIMEOUT || error.code === ErrorCode.CONNECT_TIMEOUT;
}

/**
 * The attempts of one `Clt.connect`, in every flavour: its deadline, each attempt's bound, and the
 * `NET_ERR_CONNECT_TIMEOUT` it ends with. That error's cause is the last attempt that failed for a
 * reason of its own (refused, reset, unreachable). Each attempt is bounded by the connect's
 * deadline, so the last one is often cut short by it and says only "timed out": that says nothing
 * about the address, and replacing an earlier attempt's refusal with it told users a closed port
 * was a black hole. An attempt that ran out of time is the cause only when every attempt did.
 */
export class ConnectAttempts {
  /** When the connect gives up, on the caller's clock (`Infinity` for a timeout of `Infinity`). */
  readonly deadline: number;
  private _count = 0;
  private _lastReason: NetError | undefined;
  private _lastTimeout: NetError | undefined;

  /**
   * @param endpoint where the attempts go, for the message
   * @param timeout the connect's `timeout` in ms (validated by the caller), `Infinity` for none
   * @param startedAt the time of the first attempt, on the clock later passed to {@link timedOut}
   */
  constructor(
    private readonly _endpoint: Endpoint,
    private readonly _timeout: number,
    private readonly _startedAt: number,
  ) {
    this.deadline = _startedAt + _timeout;
  }

  /** Attempts that failed so far. */
  get count(): number {
    return this._count;
  }

  /** The bound of an attempt starting at `now`: what is left of the timeout, at least 1 ms. */
  attemptTimeout(now: number): number {
    return Math.min(MAX_ATTEMPT_MS, Math.max(1, this.deadline - now));
  }

  /** Records a failed attempt (one worth retrying: see `isRetryable`). */
  failed(error: NetError): void {
    this._count++;
    if (ranOutOfTime(error)) this._lastTimeout = error;
    else this._lastReason = error;
  }

  /**
   * After a failed attempt, at `now`: how long to pause before the next one, `retryAfter` but no
   * later than the deadline, so that the last attempt is made at it.
   * @throws NetError {@link timedOut} once the deadline has passed
   */
  retryPause(now: number, retryAfter: number): number {
    const remaining = this.deadline - now;
    if (remaining <= 0) throw this.timedOut(now);
    return Math.min(retryAfter, remaining);
  }

  /** The reason to report: the last attempt's own reason, else the last that ran out of time. */
  get cause(): NetError | undefined {
    return this._lastReason ?? this._lastTimeout;
  }

  /**
   * The `NET_ERR_CONNECT_TIMEOUT` after the deadline: the address, the timeout, the attempts made
   * and the time they took, with {@link cause} as `cause` and in the message.
   */
  timedOut(now: number): NetError {
    const cause = this.cause;
    const elapsedMs = Math.round(now - this._startedAt);
    const attempts = `${this._count} attempt${this._count === 1 ? '' : 's'} in ${elapsedMs} ms`;
    return new NetError(
      ErrorCode.CONNECT_TIMEOUT,
      `could not connect to ${formatEndpoint(this._endpoint)} within ${this._timeout} ms (${attempts}): ${cause?.message ?? 'no attempt'}`,
      { cause, details: { timeoutMs: this._timeout, attempts: this._count, elapsedMs } },
    );
  }
}
