import { ErrorCode } from './error-codes.js';
import { NetError } from './net-error.js';

/**
 * Turns an error from a socket (a Node system error with `code` such as `ECONNRESET`) into a
 * {@link NetError} with a stable `@net` code, keeping the original as `cause`. NetErrors pass
 * through unchanged.
 */
export function fromSocketError(error: unknown, what = 'socket'): NetError {
  if (NetError.isNetError(error)) return error;
  const systemCode = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  const text = error instanceof Error ? error.message : String(error);
  switch (systemCode) {
    case 'ECONNRESET':
    case 'EPIPE':
      return new NetError(ErrorCode.PEER_RESET, `${what}: the peer reset the connection (${String(systemCode)})`, {
        cause: error,
      });
    case 'ECONNREFUSED':
    case 'ENOENT':
      return new NetError(ErrorCode.NOT_CONNECTED, `${what}: nothing is listening there (${String(systemCode)})`, {
        cause: error,
      });
    case 'ENOTFOUND':
      // getaddrinfo's "no such name" (Node reports EAI_NONAME and EAI_NODATA so); EAI_AGAIN, a
      // resolver that did not answer, may pass and stays a plain socket error.
      return new NetError(ErrorCode.RESOLVE, `${what}: the host name does not resolve (${String(systemCode)})`, {
        cause: error,
      });
    case 'ETIMEDOUT':
      return new NetError(ErrorCode.TIMEOUT, `${what}: timed out (${String(systemCode)})`, { cause: error });
    case 'ERR_STREAM_DESTROYED':
    case 'ERR_SOCKET_CLOSED':
    case 'EBADF':
      return new NetError(ErrorCode.CLOSED, `${what}: closed`, { cause: error });
    default:
      return new NetError(ErrorCode.SOCKET, `${what}: ${text}`, { cause: error, details: { systemCode } });
  }
}
