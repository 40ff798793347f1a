import { ErrorCode } from '../errors/error-codes.js';
import { NetError } from '../errors/net-error.js';
import { checkIntegerOption } from '../options/check-integer-option.js';
import { checkMaxFrameLength, frameTooLarge } from './check-max-frame-length.js';
import type { FramerDescription } from './framer-description.js';
import { DEFAULT_MAX_FRAME_LENGTH, type Framer, MAX_FRAME_LENGTH_LIMIT, NEED_MORE } from './framer.js';

/** Width of a length field in bytes. */
export type LengthFieldLength = 1 | 2 | 4 | 8;

/**
 * Options of a {@link LengthFieldFramer}, in the vocabulary of Netty's LengthFieldBasedFrameDecoder
 * and tokio's LengthDelimitedCodec. A frame on the wire is
 * `[lengthFieldOffset bytes][length field][rest]` and its total length is
 * `lengthFieldOffset + lengthFieldLength + value + lengthAdjustment`.
 */
export interface LengthFieldFramerOptions {
  /** Bytes before the length field. Default 0. */
  readonly lengthFieldOffset?: number;
  /** Width of the length field: 1, 2, 4 or 8 bytes. Default 4. */
  readonly lengthFieldLength?: LengthFieldLength;
  /** Byte order of the length field. Default `'big'`. */
  readonly byteOrder?: 'big' | 'little';
  /**
   * Added to the field's value to get the bytes that follow the field. 0 when the value counts
   * only what follows it (SoupBinTCP); `-lengthFieldLength - lengthFieldOffset` when it counts the
   * whole frame. Default 0.
   */
  readonly lengthAdjustment?: number;
  /**
   * Shorthand for the usual `lengthAdjustment`: `true` when the value counts the whole frame,
   * header included. Cannot be combined with `lengthAdjustment`.
   */
  readonly lengthIncludesHeader?: boolean;
  /**
   * Bytes stripped from the start of each frame before the codec sees it; at most
   * `lengthFieldOffset + lengthFieldLength`. Default: the whole header, so the codec sees the body.
   * On encode the stripped bytes other than the length field are written as zeros.
   */
  readonly initialBytesToStrip?: number;
  /** Largest frame on the wire, header included. Default 1 MiB. */
  readonly maxFrameLength?: number;
}

const TWO_POW_32 = 2 ** 32;

/**
 * Frames announced by a length field: the framing of most binary protocols. SoupBinTCP is
 * `{ lengthFieldLength: 2 }` (a u16 big-endian at offset 0 that does not count itself).
 *
 * The announced length is checked against `maxFrameLength` as soon as the header is in, so a peer
 * that announces 4 GB is refused before a byte of the body is buffered.
 */
export class LengthFieldFramer implements Framer {
  readonly maxFrameLength: number;
  /** Bytes before the length field. */
  readonly lengthFieldOffset: number;
  /** Width of the length field. */
  readonly lengthFieldLength: LengthFieldLength;
  /** True for little-endian length fields. */
  readonly littleEndian: boolean;
  /** Added to the field's value to get the bytes after the field. */
  readonly lengthAdjustment: number;
  /** Bytes stripped from the front of each frame. */
  readonly headLength: number;
  readonly tailLength = 0;

  private readonly _headerEnd: number;
  private readonly _maxValue: number;
  // Bytes of the head before the length field that a frame carries as zeros (fixed per framer).
  private readonly _zeroed: number;
  // The usual layout, a u32 big-endian length first: read in place, without the general path.
  private readonly _leadingU32be: boolean;
  private _expected = 0;

  constructor(options: LengthFieldFramerOptions = {}) {
    this.lengthFieldOffset = checkIntegerOption('lengthFieldOffset', options.lengthFieldOffset ?? 0, 0, 1024);
    const width = options.lengthFieldLength ?? 4;
    if (width !== 1 && width !== 2 && width !== 4 && width !== 8) {
      throw new NetError(ErrorCode.INVALID_ARGUMENT, `lengthFieldLength must be 1, 2, 4 or 8, got ${String(width)}`, {
        details: { option: 'lengthFieldLength', value: width },
      });
    }
    this.lengthFieldLength = width;
    if (options.byteOrder !== undefined && options.byteOrder !== 'big' && options.byteOrder !== 'little') {
      throw new NetError(ErrorCode.INVALID_ARGUMENT, `byteOrder must be 'big' or 'little'`, {
        details: { option: 'byteOrder' },
      });
    }
    this.littleEndian = options.byteOrder === 'little';
    this._headerEnd = this.lengthFieldOffset + width;
    if (options.lengthIncludesHeader !== undefined && options.lengthAdjustment !== undefined) {
      throw new NetError(ErrorCode.INVALID_ARGUMENT, 'give lengthIncludesHeader or lengthAdjustment, not both');
    }
    const adjustment = options.lengthIncludesHeader ? -this._headerEnd : (options.lengthAdjustment ?? 0);
    this.lengthAdjustment = checkIntegerOption(
      'lengthAdjustment',
      adjustment,
      -MAX_FRAME_LENGTH_LIMIT,
      MAX_FRAME_LENGTH_LIMIT,
    );
    this.headLength = checkIntegerOption(
      'initialBytesToStrip',
      options.initialBytesToStrip ?? this._headerEnd,
      0,
      this._headerEnd,
    );
    this.maxFrameLength = checkMaxFrameLength(options.maxFrameLength ?? DEFAULT_MAX_FRAME_LENGTH, this._headerEnd);
    this._maxValue = width === 8 ? Number.MAX_SAFE_INTEGER : 2 ** (8 * width) - 1;
    this._zeroed = Math.min(this.headLength, this.lengthFieldOffset);
    this._leadingU32be = width === 4 && !this.littleEndian && this.lengthFieldOffset === 0;
  }

  get expectedLength(): number {
    return this._expected;
  }

  frameLength(bytes: Uint8Array, start: number, end: number): number {
    if (this._expected === 0) {
      if (end - start < this._headerEnd) return NEED_MORE;
      const value = this._leadingU32be
        ? readU32(bytes, start, 1)
        : this._readValue(bytes, start + this.lengthFieldOffset);
      this._expected = this._checkedLength(value);
    }
    if (end - start < this._expected) return NEED_MORE;
    const length = this._expected;
    this._expected = 0;
    return length;
  }

  seal(bytes: Uint8Array, frameStart: number, bodyLength: number): number {
    const total = this.headLength + bodyLength;
    if (total > this.maxFrameLength) throw frameTooLarge(total, this.maxFrameLength, this.toString());
    const value = total - this._headerEnd - this.lengthAdjustment;
    if (total < this._headerEnd || value < 0 || value > this._maxValue) {
      throw new NetError(ErrorCode.ENCODE, `a frame of ${total} bytes cannot be announced by ${this.toString()}`, {
        details: { length: total, framer: this.toString() },
      });
    }
    const zeroed = this._zeroed;
    if (zeroed > 0) bytes.fill(0, frameStart, frameStart + zeroed);
    this._writeValue(bytes, frameStart + this.lengthFieldOffset, value);
    return total;
  }

  reset(): void {
    this._expected = 0;
  }

  clone(): LengthFieldFramer {
    return new LengthFieldFramer({
      lengthFieldOffset: this.lengthFieldOffset,
      lengthFieldLength: this.lengthFieldLength,
      byteOrder: this.littleEndian ? 'little' : 'big',
      lengthAdjustment: this.lengthAdjustment,
      initialBytesToStrip: this.headLength,
      maxFrameLength: this.maxFrameLength,
    });
  }

  /** See `Framer.describe`. */
  describe(): FramerDescription {
    return {
      kind: 'length-field',
      lengthFieldOffset: this.lengthFieldOffset,
      lengthFieldLength: this.lengthFieldLength,
      byteOrder: this.littleEndian ? 'little' : 'big',
      lengthAdjustment: this.lengthAdjustment,
      initialBytesToStrip: this.headLength,
      maxFrameLength: this.maxFrameLength,
    };
  }

  toString(): string {
    return (
      `LengthFieldFramer(offset ${this.lengthFieldOffset}, u${this.lengthFieldLength * 8}${this.littleEndian ? 'le' : 'be'}, ` +
      `adjust ${this.lengthAdjustment}, strip ${this.headLength}, max ${this.maxFrameLength})`
    );
  }

  private _checkedLength(value: number): number {
    const total = this._headerEnd + value + this.lengthAdjustment;
    if (total > this.maxFrameLength) throw frameTooLarge(total, this.maxFrameLength, this.toString());
    if (total < this._headerEnd || total <= 0) {
      throw new NetError(
        ErrorCode.FRAME_CORRUPT,
        `length field value ${value} gives a frame of ${total} bytes, shorter than its header`,
        {
          details: { value, length: total, framer: this.toString() },
        },
      );
    }
    return total;
  }

  private _readValue(bytes: Uint8Array, at: number): number {
    const little = this.littleEndian;
    switch (this.lengthFieldLength) {
      case 1:
        return bytes[at];
      case 2:
        return little ? bytes[at] | (bytes[at + 1] << 8) : (bytes[at] << 8) | bytes[at + 1];
      case 4:
        return little ? readU32(bytes, at + 3, -1) : readU32(bytes, at, 1);
      case 8: {
        // Two 32-bit halves: a value past 2^53 is over any frame limit anyway, so precision loss
        // there only makes the "too large" verdict certain.
        const high = little ? readU32(bytes, at + 7, -1) : readU32(bytes, at, 1);
        const low = little ? readU32(bytes, at + 3, -1) : readU32(bytes, at + 4, 1);
        return high * TWO_POW_32 + low;
      }
    }
  }

  private _writeValue(bytes: Uint8Array, at: number, value: number): void {
    const width = this.lengthFieldLength;
    // Up to 32 bits the value fits the bit operators: stores, without a division per byte.
    if (width === 4) {
      if (this.littleEndian) writeU32(bytes, at + 3, -1, value);
      else writeU32(bytes, at, 1, value);
      return;
    }
    if (width <= 2) {
      const last = width - 1;
      for (let i = 0; i < width; i++) bytes[this.littleEndian ? at + i : at + last - i] = (value >>> (8 * i)) & 0xff;
      return;
    }
    let remaining = value;
    for (let i = 0; i < width; i++) {
      const byte = remaining % 256;
      remaining = Math.floor(remaining / 256);
      bytes[this.littleEndian ? at + i : at + width - 1 - i] = byte;
    }
  }
}

/**
 * Reads 4 bytes as an unsigned number, walking from `at` by `step` (1: big-endian from the first
 * byte, -1: little-endian from the last).
 */
function readU32(bytes: Uint8Array, at: number, step: 1 | -1): number {
  return bytes[at] * 0x1000000 + ((bytes[at + step] << 16) | (bytes[at + 2 * step] << 8) | bytes[at + 3 * step]);
}

/** Writes `value` (below 2^32) as 4 bytes from `at` by `step`, the counterpart of {@link readU32}. */
function writeU32(bytes: Uint8Array, at: number, step: 1 | -1, value: number): void {
  bytes[at] = value >>> 24;
  bytes[at + step] = (value >>> 16) & 0xff;
  bytes[at + 2 * step] = (value >>> 8) & 0xff;
  bytes[at + 3 * step] = value & 0xff;
}

/** A framer for frames announced by a length field; see {@link LengthFieldFramerOptions}. */
export function lengthFieldFramer(options: LengthFieldFramerOptions = {}): LengthFieldFramer {
  return new LengthFieldFramer(options);
}
