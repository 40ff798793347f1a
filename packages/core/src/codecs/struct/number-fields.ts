import { type Field, makeField } from './field.js';

/** A fixed-size number or boolean field. */
export type ScalarField<T, K extends ScalarKind> = Field<T, K>;

/** The kinds of {@link ScalarField}. */
export type ScalarKind =
  'u8' | 'u16' | 'u32' | 'u64' | 'i8' | 'i16' | 'i32' | 'i64' | 'u53' | 'i53' | 'f32' | 'f64' | 'bool';

function scalar<T, K extends ScalarKind>(kind: K, size: number): ScalarField<T, K> {
  return makeField<ScalarField<T, K>>({ kind, size, variable: false });
}

/** Unsigned 8-bit integer (0 to 255), as a `number`. */
export const u8: ScalarField<number, 'u8'> = scalar('u8', 1);
/** Unsigned 16-bit integer (0 to 65535), as a `number`. */
export const u16: ScalarField<number, 'u16'> = scalar('u16', 2);
/** Unsigned 32-bit integer (0 to 4294967295), as a `number`. */
export const u32: ScalarField<number, 'u32'> = scalar('u32', 4);
/** Unsigned 64-bit integer, as a `bigint` (0n to 2n ** 64n - 1n). See {@link u53} for a `number`. */
export const u64: ScalarField<bigint, 'u64'> = scalar('u64', 8);
/** Signed 8-bit integer (-128 to 127), as a `number`. */
export const i8: ScalarField<number, 'i8'> = scalar('i8', 1);
/** Signed 16-bit integer (-32768 to 32767), as a `number`. */
export const i16: ScalarField<number, 'i16'> = scalar('i16', 2);
/** Signed 32-bit integer (-2147483648 to 2147483647), as a `number`. */
export const i32: ScalarField<number, 'i32'> = scalar('i32', 4);
/** Signed 64-bit integer, as a `bigint` (-(2n ** 63n) to 2n ** 63n - 1n). See {@link i53} for a `number`. */
export const i64: ScalarField<bigint, 'i64'> = scalar('i64', 8);

/**
 * An 8-byte unsigned integer read and written as a `number`, for counters, sequence numbers and
 * timestamps that never leave the safe-integer range. Values above `Number.MAX_SAFE_INTEGER`
 * (2^53 - 1) are refused: `NET_ERR_ENCODE` on the way out, `NET_ERR_DECODE` on the way in, never
 * silently rounded. Use {@link u64} when the full range matters.
 */
export const u53: ScalarField<number, 'u53'> = scalar('u53', 8);

/**
 * An 8-byte two's-complement signed integer read and written as a `number`, limited to the
 * safe-integer range (±(2^53 - 1)); see {@link u53}. Use {@link i64} when the full range matters.
 */
export const i53: ScalarField<number, 'i53'> = scalar('i53', 8);

/**
 * IEEE 754 single precision. Any `number` is accepted and rounded to the nearest float32
 * (`Math.fround`), so a value that is not exactly representable comes back slightly different.
 */
export const f32: ScalarField<number, 'f32'> = scalar('f32', 4);
/** IEEE 754 double precision: any `number`, NaN and ±Infinity included, round-trips exactly. */
export const f64: ScalarField<number, 'f64'> = scalar('f64', 8);

/**
 * A boolean in one byte: written as 1 or 0. On decode any non-zero byte is `true`, as in C,
 * so a peer that writes 0xff for true is understood.
 */
export const bool: ScalarField<boolean, 'bool'> = scalar('bool', 1);

/** Facts the compilers need about one integer kind. */
export interface IntegerInfo {
  /** Smallest and largest accepted value (bigint for the 64-bit kinds). */
  readonly min: number | bigint;
  readonly max: number | bigint;
  /** The DataView accessor suffix, e.g. `Uint16` for `getUint16`/`setUint16`. */
  readonly accessor: string;
  /**
   * A JavaScript condition on `x`, true when `x` is a valid value of this kind; cheap bit tricks
   * where they exist (`(x & 255) === x` is false for fractions, NaN, out-of-range and non-numbers).
   */
  readonly valid: (x: string) => string;
}

/** Integer kinds other than u53/i53, which need two 32-bit halves. */
export const INTEGERS: Readonly<Record<'u8' | 'u16' | 'u32' | 'u64' | 'i8' | 'i16' | 'i32' | 'i64', IntegerInfo>> = {
  u8: { min: 0, max: 0xff, accessor: 'Uint8', valid: (x) => `typeof ${x} === 'number' && (${x} & 255) === ${x}` },
  u16: { min: 0, max: 0xffff, accessor: 'Uint16', valid: (x) => `typeof ${x} === 'number' && (${x} & 65535) === ${x}` },
  u32: {
    min: 0,
    max: 0xffffffff,
    accessor: 'Uint32',
    valid: (x) => `typeof ${x} === 'number' && (${x} >>> 0) === ${x}`,
  },
  i8: {
    min: -0x80,
    max: 0x7f,
    accessor: 'Int8',
    valid: (x) => `typeof ${x} === 'number' && ((${x} << 24) >> 24) === ${x}`,
  },
  i16: {
    min: -0x8000,
    max: 0x7fff,
    accessor: 'Int16',
    valid: (x) => `typeof ${x} === 'number' && ((${x} << 16) >> 16) === ${x}`,
  },
  i32: {
    min: -0x80000000,
    max: 0x7fffffff,
    accessor: 'Int32',
    valid: (x) => `typeof ${x} === 'number' && (${x} | 0) === ${x}`,
  },
  u64: {
    min: 0n,
    max: 0xffffffffffffffffn,
    accessor: 'BigUint64',
    valid: (x) => `typeof ${x} === 'bigint' && ${x} >= 0n && ${x} <= 18446744073709551615n`,
  },
  i64: {
    min: -0x8000000000000000n,
    max: 0x7fffffffffffffffn,
    accessor: 'BigInt64',
    valid: (x) => `typeof ${x} === 'bigint' && ${x} >= -9223372036854775808n && ${x} <= 9223372036854775807n`,
  },
};

/** What an encode error says a scalar kind expects. */
export function describeScalar(kind: ScalarKind): string {
  switch (kind) {
    case 'u53':
      return 'u53 (a whole number from 0 to 9007199254740991)';
    case 'i53':
      return 'i53 (a safe integer, ±9007199254740991)';
    case 'f32':
    case 'f64':
      return `${kind} (a number)`;
    case 'bool':
      return 'bool (true or false)';
    default: {
      const info = INTEGERS[kind];
      const type = typeof info.min === 'bigint' ? 'a bigint' : 'a whole number';
      return `${kind} (${type} from ${String(info.min)} to ${String(info.max)})`;
    }
  }
}
