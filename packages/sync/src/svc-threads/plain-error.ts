import { ErrorCode, NetError } from '@net/core';

/** A `NetError` as plain data, for `postMessage` (a posted error loses its class and code). */
export interface PlainError {
  readonly code: string;
  readonly message: string;
  readonly cause: string | undefined;
}

/** `error` as plain data; anything but a `NetError` as `fallback`'s code with its text. */
export function plain(error: unknown, fallback: ErrorCode = ErrorCode.SOCKET): PlainError {
  if (NetError.isNetError(error))
    return {
      code: error.code,
      message: error.message,
      cause: error.cause === undefined ? undefined : String(error.cause),
    };
  return { code: fallback, message: String(error), cause: undefined };
}

/** The `NetError` a {@link plain} stands for, the other thread's cause as text. */
export function rebuild(error: unknown, fallback: string): NetError {
  const data = error as Partial<PlainError> | null;
  if (typeof data === 'object' && data !== null && typeof data.code === 'string')
    return new NetError(data.code as ErrorCode, data.message ?? fallback, { cause: data.cause });
  return new NetError(ErrorCode.INVALID_ARGUMENT, `${fallback}: ${String(error)}`, { cause: error });
}
