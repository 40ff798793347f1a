import { ErrorCode } from '../errors/error-codes.js';
import { NetError } from '../errors/net-error.js';

/**
 * Validates a call's timeout in ms, the one check behind every `{ timeout }` of every flavour
 * (receives, accepts, sends, `Clt.connect`): 0 or more, fractions allowed, `Infinity` for no
 * bound. `name` is the option as the user wrote it (`timeout`, `timeoutMs`), so the message points
 * at their code rather than at an internal timer's parameter.
 * @throws NetError `NET_ERR_INVALID_ARGUMENT` for a negative number, NaN or a value that is not a number
 */
export function checkTimeout(name: string, value: unknown): number {
  if (typeof value === 'number' && value >= 0) return value;
  // A string is quoted, so that `'5'` does not read as the number 5 in the message.
  const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
  throw new NetError(ErrorCode.INVALID_ARGUMENT, `${name} must be 0 or more ms (Infinity for no bound), got ${shown}`, {
    details: { option: name, value },
  });
}
