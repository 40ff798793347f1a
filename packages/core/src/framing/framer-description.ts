import { ErrorCode } from '../errors/error-codes.js';
import { NetError } from '../errors/net-error.js';
import { DelimiterFramer } from './delimiter-framer.js';
import { FixedSizeFramer } from './fixed-size-framer.js';
import type { Framer } from './framer.js';
import { type LengthFieldLength, LengthFieldFramer } from './length-field-framer.js';

/**
 * A built-in framer's configuration as plain data: what `describe()` returns, structured-clone-able,
 * so another thread can build the same framer ({@link framerFromDescription}) without sharing code
 * with the thread that made it.
 */
export type FramerDescription =
  | { readonly kind: 'fixed'; readonly size: number }
  | {
      readonly kind: 'length-field';
      readonly lengthFieldOffset: number;
      readonly lengthFieldLength: LengthFieldLength;
      readonly byteOrder: 'big' | 'little';
      readonly lengthAdjustment: number;
      readonly initialBytesToStrip: number;
      readonly maxFrameLength: number;
    }
  | { readonly kind: 'delimiter'; readonly delimiter: Uint8Array; readonly maxFrameLength: number };

/**
 * The plain-data description of `framer`, for a framer that can give one (every built-in framer
 * has `describe()`).
 * @throws NetError `NET_ERR_UNSUPPORTED` for a framer without `describe()`: its code cannot cross
 * to another thread
 */
export function describeFramer(framer: Framer): FramerDescription {
  const describe = (framer as Partial<Framer> | null)?.describe;
  if (typeof describe !== 'function') {
    throw new NetError(
      ErrorCode.UNSUPPORTED,
      `framer ${String(framer)} cannot describe itself as plain data (no describe()), so another thread cannot rebuild it; use a built-in framer`,
      { details: { framer: String(framer) } },
    );
  }
  return describe.call(framer);
}

/**
 * A new framer built from `description` (what a built-in framer's `describe()` returned, possibly
 * on another thread).
 * @throws NetError `NET_ERR_INVALID_ARGUMENT` for anything that is not such a description
 */
export function framerFromDescription(description: FramerDescription): Framer {
  const kind = (description as Partial<FramerDescription> | null)?.kind;
  switch (kind) {
    case 'fixed':
      return new FixedSizeFramer((description as { size: number }).size);
    case 'length-field': {
      const d = description as Extract<FramerDescription, { kind: 'length-field' }>;
      return new LengthFieldFramer({
        lengthFieldOffset: d.lengthFieldOffset,
        lengthFieldLength: d.lengthFieldLength,
        byteOrder: d.byteOrder,
        lengthAdjustment: d.lengthAdjustment,
        initialBytesToStrip: d.initialBytesToStrip,
        maxFrameLength: d.maxFrameLength,
      });
    }
    case 'delimiter': {
      const d = description as Extract<FramerDescription, { kind: 'delimiter' }>;
      return new DelimiterFramer({ delimiter: d.delimiter, maxFrameLength: d.maxFrameLength });
    }
    default:
      throw new NetError(
        ErrorCode.INVALID_ARGUMENT,
        `not a framer description (kind ${String(kind)}): takes what a built-in framer's describe() returned`,
        { details: { kind } },
      );
  }
}
