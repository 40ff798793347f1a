import { ErrorCode } from '../../errors/error-codes.js';
import { NetError } from '../../errors/net-error.js';
import { UTF8_TOO_LONG } from './text-bytes.js';

/**
 * A place in a layout where encoding can fail, fixed when the codec is compiled: the generated
 * code passes it to the `fail*` functions below, so the hot path holds no message text.
 */
export interface EncodeSite {
  /** Property path of the field, e.g. `'order.price'`; `''` for the message itself. */
  readonly path: string;
  /** What the field accepts, e.g. `'u16 (a whole number from 0 to 65535)'`. */
  readonly expected: string;
}

/** A field where decoding can fail (a tag byte, a text field, a u53). */
export interface DecodeSite {
  /** Property path of the field. */
  readonly path: string;
  /** Offset of the field in the frame body. */
  readonly offset: number;
}

/** A frame-length check: one per message shape (per union variant). */
export interface LengthSite {
  /** What the length is checked for, e.g. `the layout` or `type 'A'`. */
  readonly label: string;
  /** Body size the check expects. */
  readonly size: number;
  /** True when the body must be exactly {@link size} bytes, false when at least. */
  readonly exact: boolean;
}

function where(path: string): string {
  return path === '' ? 'message' : `field '${path}'`;
}

/** A short, log-safe description of a value for an error message. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined (missing)';
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return value.length > 32
        ? `${JSON.stringify(value.slice(0, 32))}... (${value.length} characters)`
        : JSON.stringify(value);
    case 'number':
    case 'boolean':
      return String(value);
    case 'bigint':
      return `${value}n`;
    case 'object':
      if (value instanceof Uint8Array) return `a ${value.constructor.name} of ${value.length} bytes`;
      return Array.isArray(value) ? 'an array' : 'an object';
    default:
      return `a ${typeof value}`;
  }
}

function encodeError(site: EncodeSite, value: unknown, message: string): NetError {
  return new NetError(ErrorCode.ENCODE, `cannot encode ${where(site.path)}: ${message}`, {
    details: { field: site.path, expected: site.expected, got: describeValue(value) },
  });
}

/** Throws `NET_ERR_ENCODE`: the value at `site` has the wrong type or is out of range (or missing). */
export function failEncode(site: EncodeSite, value: unknown): never {
  throw encodeError(site, value, `expected ${site.expected}, got ${describeValue(value)}`);
}

/** Throws `NET_ERR_ENCODE` for an ASCII string that is too long or holds a non-ASCII character. */
export function failAscii(site: EncodeSite, value: string, tooLong: boolean): never {
  if (tooLong) throw encodeError(site, value, `expected ${site.expected}, got ${value.length} characters`);
  let index = 0;
  while (index < value.length && value.charCodeAt(index) < 0x80) index++;
  const code = value.charCodeAt(index).toString(16).padStart(4, '0');
  throw encodeError(site, value, `expected ${site.expected}, got non-ASCII character U+${code} at index ${index}`);
}

/** Throws `NET_ERR_ENCODE` for a UTF-8 string that does not fit, or holds an unpaired surrogate. */
export function failUtf8(site: EncodeSite, value: string, code: number): never {
  const reason =
    code === UTF8_TOO_LONG
      ? `got text of ${Buffer.byteLength(value, 'utf8')} UTF-8 bytes`
      : 'got text with an unpaired surrogate';
  throw encodeError(site, value, `expected ${site.expected}, ${reason}`);
}

function decodeError(message: string, details: Record<string, unknown>): NetError {
  return new NetError(ErrorCode.DECODE, message, { details });
}

/** Throws `NET_ERR_DECODE`: the frame body is shorter (or longer) than the layout it carries. */
export function failLength(site: LengthSite, length: number): never {
  const expected = `${site.exact ? '' : 'at least '}${site.size}`;
  throw decodeError(`body of ${length} bytes does not fit ${site.label}, which needs ${expected} bytes`, {
    layout: site.label,
    length,
    expected: site.size,
  });
}

/** Throws `NET_ERR_DECODE`: the tag byte names no variant. */
export function failTag(site: DecodeSite, byte: number): never {
  const hex = `0x${byte.toString(16).padStart(2, '0')}`;
  const shown = byte >= 0x20 && byte < 0x7f ? ` ('${String.fromCharCode(byte)}')` : '';
  throw decodeError(`unknown ${where(site.path)} tag ${hex}${shown} at byte ${site.offset}`, {
    field: site.path,
    tag: byte,
  });
}

/** Throws `NET_ERR_DECODE`: the bytes of a field are not a valid value (`reason` says why). */
export function failValue(site: DecodeSite, reason: string): never {
  throw decodeError(`cannot decode ${where(site.path)} at byte ${site.offset}: ${reason}`, {
    field: site.path,
    offset: site.offset,
  });
}
