import { ErrorCode } from '../errors/error-codes.js';
import { NetError } from '../errors/net-error.js';
import { checkIntegerOption } from '../options/check-integer-option.js';
import type { FramerDescription } from './framer-description.js';
import { type Framer, MAX_FRAME_LENGTH_LIMIT, NEED_MORE } from './framer.js';

/**
 * Every frame is exactly `frameLength` bytes (links' FixedSizeFramer). On encode a shorter body is
 * padded with zero bytes and a longer one is refused.
 */
export class FixedSizeFramer implements Framer {
  /** The size of every frame. */
  readonly size: number;
  readonly headLength = 0;
  readonly tailLength = 0;

  constructor(frameLength: number) {
    this.size = checkIntegerOption('frameLength', frameLength, 1, MAX_FRAME_LENGTH_LIMIT);
  }

  get maxFrameLength(): number {
    return this.size;
  }

  get expectedLength(): number {
    return this.size;
  }

  frameLength(_bytes: Uint8Array, start: number, end: number): number {
    return end - start >= this.size ? this.size : NEED_MORE;
  }

  seal(bytes: Uint8Array, frameStart: number, bodyLength: number): number {
    if (bodyLength > this.size) {
      throw new NetError(
        ErrorCode.FRAME_TOO_LARGE,
        `body of ${bodyLength} bytes does not fit a fixed frame of ${this.size}`,
        {
          details: { length: bodyLength, maxFrameLength: this.size, framer: this.toString() },
        },
      );
    }
    if (bodyLength < this.size) bytes.fill(0, frameStart + bodyLength, frameStart + this.size);
    return this.size;
  }

  reset(): void {}

  clone(): FixedSizeFramer {
    return new FixedSizeFramer(this.size);
  }

  /** See `Framer.describe`. */
  describe(): FramerDescription {
    return { kind: 'fixed', size: this.size };
  }

  toString(): string {
    return `FixedSizeFramer(${this.size})`;
  }
}

/** A framer whose frames are all exactly `frameLength` bytes. */
export function fixedSizeFramer(frameLength: number): FixedSizeFramer {
  return new FixedSizeFramer(frameLength);
}
