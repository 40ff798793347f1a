import { ErrorCode } from '../errors/error-codes.js';
import { NetError } from '../errors/net-error.js';

/**
 * The `NET_ERR_HANDSHAKE` for a handshake hook that threw. A `NET_ERR_HANDSHAKE` it threw is kept as
 * is, and so is a `NET_ERR_PROTOCOL`: another hook threw under it (a send from `onConnect` whose
 * `onSend` threw), and the error names that hook and keeps what it threw.
 */
export function handshakeError(hook: string, cause: unknown): NetError {
  if (NetError.isNetError(cause) && (cause.code === ErrorCode.HANDSHAKE || cause.code === ErrorCode.PROTOCOL))
    return cause;
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new NetError(ErrorCode.HANDSHAKE, `handshake failed in ${hook}: ${reason}`, { cause });
}

/** The `NET_ERR_PROTOCOL` for a protocol hook that threw outside the handshake. */
export function protocolError(hook: string, cause: unknown): NetError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new NetError(ErrorCode.PROTOCOL, `protocol hook ${hook} threw: ${reason}`, { cause });
}
