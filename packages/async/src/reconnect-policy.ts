import { ErrorCode, NetError } from '@net/core';
import {
  DEFAULT_RECONNECT_FACTOR,
  DEFAULT_RECONNECT_INITIAL_DELAY_MS,
  DEFAULT_RECONNECT_JITTER,
  DEFAULT_RECONNECT_MAX_DELAY_MS,
} from './limits.js';
import { checkIntegerOption } from '@net/core/internal';

/** How a client reconnects after losing its connection. */
export interface ReconnectOptions {
  /** Delay before the first attempt, in ms. Default 100. */
  readonly initialDelay?: number;
  /** Upper bound on the delay between attempts, in ms. Default 30,000. */
  readonly maxDelay?: number;
  /** Growth of the delay per failed attempt. Default 2. */
  readonly factor?: number;
  /**
   * Share of each delay that is random, from 0 (none) to 1 ("full jitter": anywhere from 0 to the
   * delay). Default 0.5. Jitter keeps a fleet of clients that lost the same service from
   * reconnecting in lockstep.
   */
  readonly jitter?: number;
  /** Give up after this many failed attempts in a row. Default: never. */
  readonly maxAttempts?: number;
}

/** Reconnect settings after defaults, with the delay schedule. */
export class ReconnectPolicy {
  readonly initialDelay: number;
  readonly maxDelay: number;
  readonly factor: number;
  readonly jitter: number;
  readonly maxAttempts: number;
  private readonly _random: () => number;

  constructor(options: ReconnectOptions = {}, random: () => number = Math.random) {
    this.initialDelay = checkIntegerOption(
      'initialDelay',
      options.initialDelay ?? DEFAULT_RECONNECT_INITIAL_DELAY_MS,
      0,
      2 ** 31 - 1,
    );
    this.maxDelay = checkIntegerOption(
      'maxDelay',
      options.maxDelay ?? DEFAULT_RECONNECT_MAX_DELAY_MS,
      this.initialDelay,
      2 ** 31 - 1,
    );
    this.factor = options.factor ?? DEFAULT_RECONNECT_FACTOR;
    if (!(this.factor >= 1 && this.factor <= 100)) throw rangeError('factor', this.factor, '1 to 100');
    this.jitter = options.jitter ?? DEFAULT_RECONNECT_JITTER;
    if (!(this.jitter >= 0 && this.jitter <= 1)) throw rangeError('jitter', this.jitter, '0 to 1');
    this.maxAttempts = options.maxAttempts ?? Infinity;
    if (!(this.maxAttempts >= 1)) throw rangeError('maxAttempts', this.maxAttempts, '1 or more');
    this._random = random;
  }

  /** The wait before attempt number `attempt` (1 for the first): exponential, capped, jittered. */
  delay(attempt: number): number {
    const base = Math.min(this.maxDelay, this.initialDelay * this.factor ** Math.max(0, attempt - 1));
    return Math.round(base * (1 - this.jitter) + base * this.jitter * this._random());
  }
}

function rangeError(name: string, value: number, range: string): NetError {
  return new NetError(ErrorCode.INVALID_ARGUMENT, `${name} must be ${range}, got ${value}`, {
    details: { option: name, value },
  });
}
