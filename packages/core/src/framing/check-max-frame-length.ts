import { ErrorCode } from '../errors/error-codes.js';
import { NetError } from '../errors/net-error.js';
import { MAX_FRAME_LENGTH_LIMIT } from './framer.js';

/**
 * Validates a whole-number option in `[min, max]`, throwing `NET_ERR_INVALID_ARGUMENT` with the
 * option's name otherwise. Used by every constructor that takes a limit.
 */
export function checkIntegerOption(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new NetError(ErrorCode.INVALID_ARGUMENT, `${name} must be a whole number from ${min} to ${max}, got ${String(value)}`, {
      details: { option: name, value, min, max },
    });
  }
  return value;
}

/** Validates a `maxFrameLength` option (at least `min`, at most 1 GiB). */
export function checkMaxFrameLength(value: number, min: number): number {
  return checkIntegerOption('maxFrameLength', value, min, MAX_FRAME_LENGTH_LIMIT);
}

/** The error every framer throws for a frame over its limit. */
export function frameTooLarge(length: number, maxFrameLength: number, framer: string): NetError {
  return new NetError(ErrorCode.FRAME_TOO_LARGE, `frame of ${length} bytes exceeds maxFrameLength ${maxFrameLength} (${framer})`, {
    details: { length, maxFrameLength, framer },
  });
}
