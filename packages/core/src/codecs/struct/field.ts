import { ErrorCode } from '../../errors/error-codes.js';
import { NetError } from '../../errors/net-error.js';

/** Every wire type a struct field can have. */
export type FieldKind =
  | 'u8'
  | 'u16'
  | 'u32'
  | 'u64'
  | 'i8'
  | 'i16'
  | 'i32'
  | 'i64'
  | 'u53'
  | 'i53'
  | 'f32'
  | 'f64'
  | 'bool'
  | 'ascii'
  | 'utf8'
  | 'bytes'
  | 'rest'
  | 'struct'
  | 'union';

/** Byte order of multi-byte numbers. Network order (`'big'`) unless a struct or codec says otherwise. */
export type ByteOrder = 'big' | 'little';

/** Type-only key of the phantom property that carries a field's value type. Never present at run time. */
declare const VALUE_TYPE: unique symbol;

/**
 * One field of a binary layout: its wire type and size. Fields are immutable descriptors made by
 * the factories of this module (`u16`, `ascii(10)`, `struct({...})`, `union(...)`); a layout is a
 * tree of them, declared once and compiled by {@link structCodec}.
 *
 * `T` is the JavaScript type of the field's value, which {@link InferMessage} reads.
 */
export interface Field<T = unknown, K extends FieldKind = FieldKind> {
  /** The wire type. */
  readonly kind: K;
  /** Bytes on the wire; for a variable-size field, the fewest it can take. */
  readonly size: number;
  /**
   * True when the size depends on the value: a {@link bytesRest} field, a union whose variants
   * differ in size, or a struct that ends with one of those. Such a field must be the last of its
   * struct.
   */
  readonly variable: boolean;
  /** Phantom: the value type, for inference only. */
  readonly [VALUE_TYPE]?: T;
}

/** The value type of a field: `number` for a `u16`, an object type for a struct, and so on. */
export type FieldValue<F> = F extends Field<infer T> ? T : never;

/**
 * The message type a layout describes, inferred from its declaration:
 * `type Order = InferMessage<typeof Order>`. A union layout gives a discriminated union that
 * TypeScript narrows on the tag property.
 */
export type InferMessage<L> = FieldValue<L>;

/** Flattens an intersection into one object type, so editors show `{ a: number; b: string }`. */
export type Prettify<T> = { [K in keyof T]: T[K] } & {};

/** Brand that marks descriptors made by this module (shared across duplicate installs). */
const FIELD_BRAND = Symbol.for('@net/core.struct-field');

/** Brands and freezes a descriptor. */
export function makeField<F extends Field>(descriptor: Omit<F, typeof VALUE_TYPE>): F {
  Object.defineProperty(descriptor, FIELD_BRAND, { value: true, enumerable: false });
  return Object.freeze(descriptor) as F;
}

/** True when `value` is a field descriptor made by this module. */
export function isField(value: unknown): value is Field {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[FIELD_BRAND] === true;
}

/** The `NET_ERR_INVALID_ARGUMENT` error every layout check throws. */
export function invalidLayout(message: string, details: Record<string, unknown> = {}): NetError {
  return new NetError(ErrorCode.INVALID_ARGUMENT, `invalid struct layout: ${message}`, { details });
}

/** Largest fixed length a string or byte field may declare: 1 GiB, the largest frame any framer takes. */
export const MAX_FIELD_LENGTH = 1 << 30;

/** Validates the declared length of a fixed-size string or byte field. */
export function checkFieldLength(kind: string, length: number): number {
  if (!Number.isInteger(length) || length < 1 || length > MAX_FIELD_LENGTH) {
    throw invalidLayout(
      `${kind}(n) needs a whole number of bytes from 1 to ${MAX_FIELD_LENGTH}, got ${String(length)}`,
      {
        kind,
        length,
      },
    );
  }
  return length;
}

/** Validates a `byteOrder` option (undefined means "inherit"). */
export function checkByteOrder(value: unknown): ByteOrder | undefined {
  if (value === undefined || value === 'big' || value === 'little') return value;
  throw invalidLayout(`byteOrder must be 'big' or 'little', got ${String(value)}`, { option: 'byteOrder' });
}
