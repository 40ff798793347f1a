import { ErrorCode } from '../errors/error-codes.js';
import { NetError } from '../errors/net-error.js';
import { checkIntegerOption } from '../options/check-integer-option.js';
import { MAX_FRAME_LENGTH_LIMIT } from './framer.js';

/** Validates a `maxFrameLength` option (at least `min`, at most 1 GiB). */
export function checkMaxFrameLength(value: number, min: number): number {
  return checkIntegerOption('maxFrameLength', value, min, MAX_FRAME_LENGTH_LIMIT);
}

/** The error every framer throws for a frame over its limit. */
export function frameTooLarge(length: number, maxFrameLength: number, framer: string): NetError {
  return new NetError(
    ErrorCode.FRAME_TOO_LARGE,
    `frame of ${length} bytes exceeds maxFrameLength ${maxFrameLength} (${framer})`,
    {
      details: { length, maxFrameLength, framer },
    },
  );
}
