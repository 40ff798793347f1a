import { ErrorCode } from '../errors/error-codes.js';
import { NetError } from '../errors/net-error.js';
import { checkMaxFrameLength, frameTooLarge } from './check-max-frame-length.js';
import type { FramerDescription } from './framer-description.js';
import { DEFAULT_MAX_FRAME_LENGTH, type Framer, NEED_MORE } from './framer.js';

/** Options of a {@link DelimiterFramer}. */
export interface DelimiterFramerOptions {
  /** The bytes that end every frame, e.g. `'\n'` or `'\r\n'`. Default `'\n'`. */
  readonly delimiter?: string | Uint8Array;
  /** Largest frame on the wire, delimiter included. Default 1 MiB. */
  readonly maxFrameLength?: number;
}

/**
 * Frames end with a delimiter of one or more bytes (newline-delimited JSON, text protocols). The
 * codec sees the body without the delimiter; on encode the delimiter is appended and a body that
 * contains it is refused, since it would split into two frames on the wire.
 *
 * The scan is resumable: bytes already scanned are not scanned again when more arrive, and a frame
 * with no delimiter within `maxFrameLength` bytes fails as soon as that many bytes are present.
 */
export class DelimiterFramer implements Framer {
  /** The delimiter bytes. */
  readonly delimiter: Uint8Array;
  readonly maxFrameLength: number;
  readonly headLength = 0;
  readonly expectedLength = 0;

  private readonly _first: number;
  private _scanned = 0;

  constructor(options: DelimiterFramerOptions = {}) {
    const delimiter = options.delimiter ?? '\n';
    this.delimiter = typeof delimiter === 'string' ? new TextEncoder().encode(delimiter) : Uint8Array.from(delimiter);
    if (this.delimiter.length === 0 || this.delimiter.length > 16) {
      throw new NetError(ErrorCode.INVALID_ARGUMENT, 'delimiter must be 1 to 16 bytes long', {
        details: { option: 'delimiter' },
      });
    }
    this.maxFrameLength = checkMaxFrameLength(
      options.maxFrameLength ?? DEFAULT_MAX_FRAME_LENGTH,
      this.delimiter.length,
    );
    this._first = this.delimiter[0];
  }

  get tailLength(): number {
    return this.delimiter.length;
  }

  frameLength(bytes: Uint8Array, start: number, end: number): number {
    const delimiter = this.delimiter;
    const last = delimiter.length - 1;
    // Only a delimiter that ends within maxFrameLength bytes of the start can end a valid frame.
    const limit = Math.min(end, start + this.maxFrameLength) - last;
    let index = start + this._scanned;
    while (index < limit) {
      index = findByte(bytes, this._first, index, limit);
      if (index === -1) break;
      if (last === 0 || matchesAt(bytes, index, delimiter)) {
        this._scanned = 0;
        return index + delimiter.length - start;
      }
      index++;
    }
    if (end - start >= this.maxFrameLength) {
      this._scanned = 0;
      throw frameTooLarge(end - start, this.maxFrameLength, this.toString());
    }
    // Keep the last `last` bytes for the next scan: a delimiter may begin in them.
    this._scanned = Math.max(0, end - start - last);
    return NEED_MORE;
  }

  seal(bytes: Uint8Array, frameStart: number, bodyLength: number): number {
    const total = bodyLength + this.delimiter.length;
    if (total > this.maxFrameLength) throw frameTooLarge(total, this.maxFrameLength, this.toString());
    const bodyEnd = frameStart + bodyLength;
    const limit = bodyEnd - this.delimiter.length + 1;
    for (
      let index = findByte(bytes, this._first, frameStart, limit);
      index !== -1;
      index = findByte(bytes, this._first, index + 1, limit)
    ) {
      if (matchesAt(bytes, index, this.delimiter)) {
        throw new NetError(
          ErrorCode.ENCODE,
          `message body contains the frame delimiter at byte ${index - frameStart}`,
          {
            details: { framer: this.toString(), at: index - frameStart },
          },
        );
      }
    }
    bytes.set(this.delimiter, bodyEnd);
    return total;
  }

  reset(): void {
    this._scanned = 0;
  }

  clone(): DelimiterFramer {
    return new DelimiterFramer({ delimiter: this.delimiter, maxFrameLength: this.maxFrameLength });
  }

  /** See `Framer.describe`. */
  describe(): FramerDescription {
    return { kind: 'delimiter', delimiter: Uint8Array.from(this.delimiter), maxFrameLength: this.maxFrameLength };
  }

  toString(): string {
    const shown = Array.from(this.delimiter, (b) => b.toString(16).padStart(2, '0')).join(' ');
    return `DelimiterFramer(0x[${shown}], max ${this.maxFrameLength})`;
  }
}

/**
 * First index of `value` in `bytes[from..limit)`, or -1. Short ranges are scanned in JS; long ones
 * natively over a view of just the range, since a plain `indexOf` cannot stop at `limit` and would
 * scan on to the end of the buffer (megabytes of queued output, or stale receive space).
 */
function findByte(bytes: Uint8Array, value: number, from: number, limit: number): number {
  if (limit - from < 1024) {
    for (let i = from; i < limit; i++) if (bytes[i] === value) return i;
    return -1;
  }
  const index = bytes.subarray(from, limit).indexOf(value);
  return index < 0 ? -1 : from + index;
}

function matchesAt(bytes: Uint8Array, index: number, delimiter: Uint8Array): boolean {
  for (let i = 1; i < delimiter.length; i++) {
    if (bytes[index + i] !== delimiter[i]) return false;
  }
  return true;
}

/** A framer for frames that end with `delimiter` (default `'\n'`). */
export function delimiterFramer(options: DelimiterFramerOptions = {}): DelimiterFramer {
  return new DelimiterFramer(options);
}
