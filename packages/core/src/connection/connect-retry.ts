import { ErrorCode } from '../errors/error-codes.js';
import { NetError } from '../errors/net-error.js';

/**
 * Codes that another connection attempt cannot change: the caller gave up (`NET_ERR_ABORTED`),
 * the peer answered and refused the session (`NET_ERR_HANDSHAKE`), the address or an option is
 * wrong (`NET_ERR_INVALID_ARGUMENT`), a protocol hook threw during the handshake
 * (`NET_ERR_PROTOCOL`: the same code throws again), the name does not exist (`NET_ERR_RESOLVE`; a resolver
 * that did not answer is a plain socket error and is retried), or this runtime cannot do it at
 * all (`NET_ERR_UNSUPPORTED`).
 */
const FINAL_CODES: ReadonlySet<string> = new Set([
  ErrorCode.ABORTED,
  ErrorCode.HANDSHAKE,
  ErrorCode.INVALID_ARGUMENT,
  ErrorCode.PROTOCOL,
  ErrorCode.RESOLVE,
  ErrorCode.UNSUPPORTED,
]);

/**
 * Whether a failed connection attempt is worth another one before the connect deadline: the one
 * policy every flavour's `Clt.connect` (and `@net/nonblocking`'s `CltConnector`) follows. Refused,
 * reset and timed-out attempts are retried; errors that no retry can mend end the connect at once.
 * Anything that is not a {@link NetError} is a bug, not a network condition, and is not retried.
 */
export function isRetryable(error: unknown): boolean {
  return NetError.isNetError(error) && !FINAL_CODES.has(error.code);
}
