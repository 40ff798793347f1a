import {
  type ByteOrder,
  checkByteOrder,
  type Field,
  type FieldValue,
  invalidLayout,
  isField,
  makeField,
  MAX_FIELD_LENGTH,
} from './field.js';

/** The fields of a struct, by name, in wire order. */
export type Fields = Readonly<Record<string, Field>>;

/** The value type of a struct with fields `F`: one property per field. */
export type StructValue<F extends Fields> = { -readonly [K in keyof F]: FieldValue<F[K]> };

/** Options of {@link struct}. */
export interface StructOptions {
  /**
   * Byte order of this struct's multi-byte numbers and, unless they say otherwise, of the structs
   * and unions nested in it. Default: inherited from the enclosing struct, or from the codec's
   * `byteOrder` (itself `'big'` by default) at the top.
   */
  readonly byteOrder?: ByteOrder;
}

/**
 * A struct layout: fields laid out back to back in declaration order, with no alignment padding
 * (the packed layout of wire protocols). Made by {@link struct}; use it as a message layout for
 * {@link structCodec}, as a nested field, or as a union variant.
 */
export interface StructLayout<F extends Fields = Fields> extends Field<StructValue<F>, 'struct'> {
  /** The fields as declared. */
  readonly fields: F;
  /** The fields as `[name, field]` pairs in wire order (a frozen copy taken at declaration). */
  readonly entries: readonly (readonly [string, Field])[];
  /** The declared byte order, or `undefined` to inherit. */
  readonly byteOrder: ByteOrder | undefined;
}

const INDEX_LIKE = /^(?:0|[1-9][0-9]*)$/;

/**
 * Validates a property name a layout declares (field or union tag). Refused: the empty string,
 * `__proto__` (an object literal would set the prototype instead of a property) and integer-like
 * names such as `'1'`, which JavaScript enumerates before every other key and which would
 * therefore silently move to the front of the wire layout.
 */
export function checkPropertyName(name: string, what: string): void {
  if (name === '') throw invalidLayout(`${what} name must not be empty`);
  if (name === '__proto__') throw invalidLayout(`${what} name must not be __proto__`, { name });
  if (INDEX_LIKE.test(name)) {
    throw invalidLayout(`${what} name '${name}' looks like an array index, which would reorder the fields; rename it`, {
      name,
    });
  }
}

/**
 * Declares a struct: `struct({ seq: u53, symbol: ascii(8), price: i64 })`. Field order is wire
 * order. A variable-size field ({@link bytesRest}, a union whose variants differ in size, or a
 * struct ending in one) may only come last.
 * @throws NetError `NET_ERR_INVALID_ARGUMENT` for a field that is not a descriptor, a bad name,
 * or a variable-size field before the end
 */
export function struct<const F extends Fields>(fields: F, options: StructOptions = {}): StructLayout<F> {
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
    throw invalidLayout('struct() takes an object of fields');
  }
  const byteOrder = checkByteOrder(options.byteOrder);
  const names = Object.keys(fields);
  const entries: (readonly [string, Field])[] = [];
  let size = 0;
  names.forEach((name, index) => {
    checkPropertyName(name, 'field');
    const field: unknown = fields[name];
    if (!isField(field)) {
      throw invalidLayout(`field '${name}' is not a field type (use u8, ascii(10), struct({...}) and so on)`, {
        field: name,
      });
    }
    if (field.variable && index !== names.length - 1) {
      throw invalidLayout(`field '${name}' has a variable size (${field.kind}) and must be the last field`, {
        field: name,
      });
    }
    size += field.size;
    entries.push(Object.freeze([name, field] as const));
  });
  if (size > MAX_FIELD_LENGTH) {
    throw invalidLayout(`struct of ${size} bytes is larger than the 1 GiB frame limit`, { size });
  }
  const last = entries[entries.length - 1];
  return makeField<StructLayout<F>>({
    kind: 'struct',
    size,
    variable: last !== undefined && last[1].variable,
    fields: Object.freeze({ ...fields }),
    entries: Object.freeze(entries),
    byteOrder,
  });
}
