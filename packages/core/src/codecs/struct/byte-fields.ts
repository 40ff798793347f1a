import { checkFieldLength, type Field, invalidLayout, makeField } from './field.js';

/** Padding byte of a fixed-length text field: `'space'` (0x20) or `'nul'` (0x00). */
export type TextPadding = 'space' | 'nul';

/** Options of {@link ascii}. */
export interface AsciiOptions {
  /**
   * What fills the bytes the text does not use. Default `'space'`: the right-padded alphanumeric
   * fields of exchange protocols (SoupBinTCP, OUCH, ITCH).
   */
  readonly pad?: TextPadding;
  /**
   * `'left'` (default): text first, padding after. `'right'`: padding first, as in right-justified
   * numeric text such as SoupBinTCP's sequence number (`'        42'`).
   */
  readonly align?: 'left' | 'right';
}

/** Options of {@link utf8}. */
export interface Utf8Options {
  /** What fills the bytes the text does not use. Default `'nul'`. */
  readonly pad?: TextPadding;
}

/** A fixed-length text field; see {@link ascii} and {@link utf8}. */
export interface TextField<K extends 'ascii' | 'utf8' = 'ascii' | 'utf8'> extends Field<string, K> {
  /** The padding byte: 0x20 or 0x00. */
  readonly padByte: number;
  /** Which side the padding goes (always `'left'` for utf8). */
  readonly align: 'left' | 'right';
}

/** A fixed-length byte array, decoded as a copy; see {@link bytes}. */
export type BytesField = Field<Uint8Array, 'bytes'>;

/** The variable-length remainder of a frame; see {@link bytesRest}. */
export type RestField = Field<Uint8Array, 'rest'>;

function padByte(pad: unknown, fallback: TextPadding): number {
  const value = pad ?? fallback;
  if (value === 'space') return 0x20;
  if (value === 'nul') return 0x00;
  throw invalidLayout(`pad must be 'space' or 'nul', got ${String(value)}`, { option: 'pad' });
}

/**
 * ASCII text in exactly `length` bytes. On encode the text is padded (spaces by default) and a
 * string longer than `length` or holding a character above U+007F is refused with
 * `NET_ERR_ENCODE`. On decode the padding is trimmed and a byte above 0x7F is `NET_ERR_DECODE`.
 *
 * Padding is not part of the value: `'AB  '` with space padding decodes as `'AB'`, so text that
 * itself ends (or, right-aligned, starts) with the padding character does not round-trip.
 */
export function ascii(length: number, options: AsciiOptions = {}): TextField<'ascii'> {
  const size = checkFieldLength('ascii', length);
  const align = options.align ?? 'left';
  if (align !== 'left' && align !== 'right') {
    throw invalidLayout(`align must be 'left' or 'right', got ${String(align)}`, { option: 'align' });
  }
  return makeField<TextField<'ascii'>>({
    kind: 'ascii',
    size,
    variable: false,
    padByte: padByte(options.pad, 'space'),
    align,
  });
}

/**
 * UTF-8 text in at most `length` bytes, padded with NUL bytes by default (the padding byte never
 * occurs inside a multi-byte sequence, so trimming is exact). Text whose UTF-8 form is longer than
 * `length` bytes, or that holds an unpaired surrogate, is refused with `NET_ERR_ENCODE`; bytes that
 * are not valid UTF-8 are `NET_ERR_DECODE`. Trailing padding is trimmed on decode, as for
 * {@link ascii}.
 */
export function utf8(length: number, options: Utf8Options = {}): TextField<'utf8'> {
  const size = checkFieldLength('utf8', length);
  return makeField<TextField<'utf8'>>({
    kind: 'utf8',
    size,
    variable: false,
    padByte: padByte(options.pad, 'nul'),
    align: 'left',
  });
}

/**
 * Exactly `length` raw bytes, as a `Uint8Array`. Encode refuses an array of any other length
 * (`NET_ERR_ENCODE`). Decode returns a copy: the received frame is only valid during decode.
 */
export function bytes(length: number): BytesField {
  return makeField<BytesField>({ kind: 'bytes', size: checkFieldLength('bytes', length), variable: false });
}

/**
 * All the bytes from this field to the end of the frame, as a `Uint8Array` (possibly empty): the
 * payload of SoupBinTCP's sequenced and unsequenced data packets. It must be the last field of
 * its struct, and it makes the struct variable-size. Decode returns a copy.
 */
export function bytesRest(): RestField {
  return makeField<RestField>({ kind: 'rest', size: 0, variable: true });
}
