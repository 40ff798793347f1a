import { ErrorCode } from '../errors/error-codes.js';
import { NetError } from '../errors/net-error.js';

/**
 * Validates a whole-number option in `[min, max]`, throwing `NET_ERR_INVALID_ARGUMENT` with the
 * option's name otherwise. Used by every constructor that takes a limit.
 */
export function checkIntegerOption(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new NetError(
      ErrorCode.INVALID_ARGUMENT,
      `${name} must be a whole number from ${min} to ${max}, got ${String(value)}`,
      {
        details: { option: name, value, min, max },
      },
    );
  }
  return value;
}
