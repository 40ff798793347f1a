import type { ErrorCode } from './error-codes.js';

const NET_ERROR_BRAND = Symbol.for('@net/core.NetError');

/** Options accepted by every {@link NetError} constructor. */
export interface NetErrorOptions {
  /** The underlying error, kept as the standard `cause`. */
  readonly cause?: unknown;
  /** Extra structured facts about the failure (limits, lengths, addresses). */
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * The one error class of @net. Every failure the library reports is a `NetError` with a stable
 * {@link ErrorCode}: match on `err.code`, never on the message text.
 *
 * `instanceof NetError` works across duplicate installs of `@net/core` because it is decided by a
 * `Symbol.for` brand rather than by prototype identity.
 */
export class NetError extends Error {
  /** Stable machine-readable code, one of {@link ErrorCode}. */
  readonly code: ErrorCode;
  /** Structured facts about the failure, when there are any. */
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, message: string, options: NetErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'NetError';
    this.code = code;
    this.details = options.details;
  }

  /** True when `value` is a {@link NetError} from any copy of `@net/core`. */
  static isNetError(value: unknown): value is NetError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[NET_ERROR_BRAND] === true;
  }

  /** True when `value` is a {@link NetError} carrying `code`. */
  static hasCode(value: unknown, code: ErrorCode): value is NetError {
    return NetError.isNetError(value) && value.code === code;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return NetError.isNetError(value);
  }
}

Object.defineProperty(NetError.prototype, NET_ERROR_BRAND, { value: true, enumerable: false });
