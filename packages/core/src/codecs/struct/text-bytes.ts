/**
 * Run-time helpers the compiled codecs call for text and byte fields: the part of a struct codec
 * that cannot be a DataView call. All of them work on plain `Uint8Array`s (a frame's bytes need not
 * be a Buffer) and allocate nothing but the string or array they return.
 */

const fromCharCode = String.fromCharCode;

/**
 * Text up to this many characters is built by one `String.fromCharCode` call with the bytes as
 * separate arguments; longer text by the native latin1 slice. Measured on Node 20 (ns per string):
 * the unrolled call costs about 16 at 4 characters, 27 at 8, 41 at 16 and 73 at 32, while a native
 * slice costs 80 to 120 at any length (a call into C++), `fromCharCode.apply` on a subarray 150+,
 * a `+=` loop 130 at 4 and 220 at 16, and TextDecoder 170 to 230.
 */
export const UNROLL_LIMIT = 32;

type CharsFunction = (b: Uint8Array, start: number, length: number) => string;

let unrolledChars: CharsFunction | undefined;

/**
 * Builds `switch (length) { case 3: return fromCharCode(b[s], b[s + 1], b[s + 2]); ... }` for
 * every length up to {@link UNROLL_LIMIT}. Written as generated source (once, on first use) because
 * the unrolled form is 33 cases and 528 arguments long.
 */
function buildUnrolledChars(): CharsFunction {
  let source = "'use strict'; return function chars(b, s, length) { switch (length) { case 0: return '';";
  for (let length = 1; length <= UNROLL_LIMIT; length++) {
    const args: string[] = [];
    for (let i = 0; i < length; i++) args.push(i === 0 ? 'b[s]' : `b[s + ${i}]`);
    source += ` case ${length}: return fromCharCode(${args.join(', ')});`;
  }
  source += ' } return latin1(b, s, length); };';
  return new Function('fromCharCode', 'latin1', source)(fromCharCode, latin1) as CharsFunction;
}

type Latin1Slice = (this: Uint8Array, start: number, end: number) => string;
const nativeLatin1 = (Buffer.prototype as unknown as { latin1Slice?: Latin1Slice }).latin1Slice;
// Only ever handed ASCII bytes, which every single-byte decoder maps to the same characters.
const latin1Decoder = new TextDecoder('latin1');

function latin1(b: Uint8Array, start: number, length: number): string {
  return typeof nativeLatin1 === 'function'
    ? nativeLatin1.call(b, start, start + length)
    : latin1Decoder.decode(b.subarray(start, start + length));
}

/** The string of the ASCII bytes `b[start .. start + length)`. */
export function asciiChars(b: Uint8Array, start: number, length: number): string {
  if (length > UNROLL_LIMIT) return latin1(b, start, length);
  unrolledChars ??= buildUnrolledChars();
  return unrolledChars(b, start, length);
}

/** True when every byte of `b[start .. end)` is below 0x80. */
function allAscii(b: Uint8Array, start: number, end: number): boolean {
  let bits = 0;
  for (let i = start; i < end; i++) bits |= b[i];
  return bits < 0x80;
}

/** Reads a left-aligned ASCII field: trailing `pad` bytes trimmed; null when a byte is not ASCII. */
export function readAscii(b: Uint8Array, at: number, size: number, pad: number): string | null {
  let end = at + size;
  while (end > at && b[end - 1] === pad) end--;
  return allAscii(b, at, end) ? asciiChars(b, at, end - at) : null;
}

/** Reads a right-aligned ASCII field: leading `pad` bytes trimmed; null when a byte is not ASCII. */
export function readAsciiRight(b: Uint8Array, at: number, size: number, pad: number): string | null {
  const end = at + size;
  let start = at;
  while (start < end && b[start] === pad) start++;
  return allAscii(b, start, end) ? asciiChars(b, start, end - start) : null;
}

// ignoreBOM: a leading U+FEFF is text like any other, not a marker to drop.
const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Reads a UTF-8 field, trailing `pad` bytes trimmed; null when the bytes are not valid UTF-8. */
export function readUtf8(b: Uint8Array, at: number, size: number, pad: number): string | null {
  let end = at + size;
  while (end > at && b[end - 1] === pad) end--;
  if (allAscii(b, at, end)) return asciiChars(b, at, end - at);
  try {
    return utf8Decoder.decode(b.subarray(at, end));
  } catch {
    return null;
  }
}

/**
 * Writes `text` (already checked to be at most `size` characters) left-aligned at `at`, then the
 * padding. Returns false, having written part of it, when a character is not ASCII.
 */
export function writeAscii(b: Uint8Array, at: number, size: number, text: string, pad: number): boolean {
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) return false;
    b[at + i] = c;
  }
  for (let i = at + length, end = at + size; i < end; i++) b[i] = pad;
  return true;
}

/** Writes `text` right-aligned: padding first. Otherwise as {@link writeAscii}. */
export function writeAsciiRight(b: Uint8Array, at: number, size: number, text: string, pad: number): boolean {
  const start = at + size - text.length;
  for (let i = at; i < start; i++) b[i] = pad;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) return false;
    b[start + i] = c;
  }
  return true;
}

/** {@link writeUtf8} succeeded. */
export const UTF8_OK = 0;
/** {@link writeUtf8}: the UTF-8 form is longer than the field. */
export const UTF8_TOO_LONG = 1;
/** {@link writeUtf8}: the string holds an unpaired surrogate, which has no UTF-8 form. */
export const UTF8_UNPAIRED = 2;

/**
 * Encodes `text` as UTF-8 into `b[at .. at + size)` and pads the rest, in one pass with no
 * intermediate buffer. Returns {@link UTF8_OK}, or an error code having written part of it.
 */
export function writeUtf8(b: Uint8Array, at: number, size: number, text: string, pad: number): number {
  const end = at + size;
  const length = text.length;
  let j = at;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      if (j >= end) return UTF8_TOO_LONG;
      b[j++] = c;
    } else if (c < 0x800) {
      if (j + 2 > end) return UTF8_TOO_LONG;
      b[j++] = 0xc0 | (c >> 6);
      b[j++] = 0x80 | (c & 0x3f);
    } else if (c < 0xd800 || c > 0xdfff) {
      if (j + 3 > end) return UTF8_TOO_LONG;
      b[j++] = 0xe0 | (c >> 12);
      b[j++] = 0x80 | ((c >> 6) & 0x3f);
      b[j++] = 0x80 | (c & 0x3f);
    } else {
      const low = i + 1 < length ? text.charCodeAt(i + 1) : 0;
      if (c > 0xdbff || low < 0xdc00 || low > 0xdfff) return UTF8_UNPAIRED;
      if (j + 4 > end) return UTF8_TOO_LONG;
      const point = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
      b[j++] = 0xf0 | (point >> 18);
      b[j++] = 0x80 | ((point >> 12) & 0x3f);
      b[j++] = 0x80 | ((point >> 6) & 0x3f);
      b[j++] = 0x80 | (point & 0x3f);
      i++;
    }
  }
  while (j < end) b[j++] = pad;
  return UTF8_OK;
}

/** Copies `source` into `b` at `at`: a loop for short arrays, the native copy for long ones. */
export function copyIn(b: Uint8Array, at: number, source: Uint8Array): void {
  const length = source.length;
  if (length > 32) {
    b.set(source, at);
    return;
  }
  for (let i = 0; i < length; i++) b[at + i] = source[i];
}

/** A new plain `Uint8Array` holding a copy of `b[at .. at + length)`. */
export function copyOut(b: Uint8Array, at: number, length: number): Uint8Array {
  const copy = new Uint8Array(length);
  if (length > 32) {
    copy.set(b.subarray(at, at + length));
  } else {
    for (let i = 0; i < length; i++) copy[i] = b[at + i];
  }
  return copy;
}
