import {
  type ByteOrder,
  checkByteOrder,
  type Field,
  type FieldValue,
  invalidLayout,
  isField,
  makeField,
  type Prettify,
} from './field.js';
import { checkPropertyName, type Fields, type StructLayout } from './struct-layout.js';

/** How a union's tag byte is typed: a number (`u8`) or a one-character string (`ascii(1)`). */
export type TagKind = 'u8' | 'ascii';

/** The variants of a union, by tag: `{ A: struct({...}), H: struct({}) }` or `{ 1: ..., 2: ... }`. */
export type Variants = Readonly<Record<string | number, StructLayout<Fields>>>;

/** The tag value a variant key stands for: a number for `u8` tags, a one-character string for `ascii(1)`. */
export type TagValue<TK extends TagKind, K> = TK extends 'u8'
  ? K extends number
    ? K
    : K extends `${infer N extends number}`
      ? N
      : never
  : K extends string
    ? K
    : K extends number
      ? `${K}`
      : never;

/**
 * The value type of a union: for each variant, its struct's fields plus the tag property, so
 * `if (msg.type === 'A')` narrows to that variant. For the unparameterised `UnionLayout` (a tag
 * name that is just `string`) it is any record, so every union layout is assignable to it.
 */
export type UnionValue<Tag extends string, TK extends TagKind, V extends Variants> = string extends Tag
  ? Record<string, unknown>
  : { [K in keyof V]: Prettify<{ -readonly [P in Tag]: TagValue<TK, K> } & FieldValue<V[K]>> }[keyof V];

/** One variant of a union, resolved at declaration. */
export interface UnionCase {
  /** The tag as the decoded message carries it: a number, or a one-character string. */
  readonly tag: string | number;
  /** The tag byte on the wire. */
  readonly byte: number;
  /** The variant's fields (after the tag byte). */
  readonly layout: StructLayout;
}

/** Options of {@link union}. */
export interface UnionOptions {
  /** Byte order of the variants, unless they declare their own. Default: inherited. */
  readonly byteOrder?: ByteOrder;
}

/**
 * A tagged union: one tag byte, then the fields of the variant it names. Made by {@link union}.
 * Its size is variable when the variants differ in size (or one of them ends with
 * {@link bytesRest}); it must then be the last field of any struct it is nested in.
 */
export interface UnionLayout<
  Tag extends string = string,
  TK extends TagKind = TagKind,
  V extends Variants = Variants,
> extends Field<UnionValue<Tag, TK, V>, 'union'> {
  /** The property that carries the tag in messages, e.g. `'type'`. */
  readonly tagKey: Tag;
  /** How the tag byte is typed. */
  readonly tagKind: TK;
  /** The variants as declared. */
  readonly variants: V;
  /** The variants resolved to tag bytes, in declaration order. */
  readonly cases: readonly UnionCase[];
  /** The declared byte order, or `undefined` to inherit. */
  readonly byteOrder: ByteOrder | undefined;
}

function tagOf(key: string, kind: TagKind): { tag: string | number; byte: number } {
  if (kind === 'u8') {
    const byte = /^(?:0|[1-9][0-9]{0,2})$/.test(key) ? Number(key) : Number.NaN;
    if (!(byte <= 255)) throw invalidLayout(`u8 union tag '${key}' is not a whole number from 0 to 255`, { tag: key });
    return { tag: byte, byte };
  }
  const byte = key.charCodeAt(0);
  if (key.length !== 1 || byte > 0x7f) {
    throw invalidLayout(`ascii(1) union tag '${key}' is not a single ASCII character`, { tag: key });
  }
  return { tag: key, byte };
}

/**
 * Declares a tagged union keyed by a type byte, as binary protocols frame their message types:
 *
 * ```ts
 * const Packet = union('type', ascii(1), {
 *   A: struct({ session: ascii(10), sequence: ascii(20, { align: 'right' }) }),
 *   H: struct({}),
 * });
 * // InferMessage<typeof Packet> = { type: 'A'; session: string; sequence: string } | { type: 'H' }
 * ```
 *
 * The tag comes first on the wire. With an `ascii(1)` tag each key is one ASCII character; with
 * `u8` each key is a number from 0 to 255. The decoded message carries the tag under `tagKey`,
 * and an unknown tag is `NET_ERR_ENCODE` on the way out and `NET_ERR_DECODE` on the way in.
 * @throws NetError `NET_ERR_INVALID_ARGUMENT` for a tag type other than `u8`/`ascii(1)`, a key that
 * is not a valid tag, a variant that is not a struct, a variant field named like the tag, or no variants
 */
export function union<const Tag extends string, TK extends TagKind, const V extends Variants>(
  tagKey: Tag,
  tag: Field<unknown, TK>,
  variants: V,
  options: UnionOptions = {},
): UnionLayout<Tag, TK, V> {
  if (typeof tagKey !== 'string') throw invalidLayout('union() takes the tag property name first');
  checkPropertyName(tagKey, 'union tag');
  if (!isField(tag) || !(tag.kind === 'u8' || (tag.kind === 'ascii' && tag.size === 1))) {
    throw invalidLayout(`union '${tagKey}': the tag type must be u8 or ascii(1)`, { tagKey });
  }
  if (typeof variants !== 'object' || variants === null || Array.isArray(variants)) {
    throw invalidLayout(`union '${tagKey}' takes an object of variants`, { tagKey });
  }
  const kind: TagKind = tag.kind === 'u8' ? 'u8' : 'ascii';
  const cases: UnionCase[] = [];
  for (const key of Object.keys(variants)) {
    const layout: unknown = variants[key];
    if (!isField(layout) || layout.kind !== 'struct') {
      throw invalidLayout(`union '${tagKey}': variant '${key}' is not a struct({...})`, { tagKey, tag: key });
    }
    const variant = layout as StructLayout;
    if (variant.entries.some(([name]) => name === tagKey)) {
      throw invalidLayout(`union '${tagKey}': variant '${key}' has a field named like the tag`, { tagKey, tag: key });
    }
    cases.push(Object.freeze({ ...tagOf(key, kind), layout: variant }));
  }
  if (cases.length === 0) throw invalidLayout(`union '${tagKey}' has no variants`, { tagKey });
  // Object.keys lists integer keys in ascending order, so u8 tags are sorted; ascii keys keep declaration order.
  const sizes = cases.map((c) => 1 + c.layout.size);
  const variable = cases.some((c) => c.layout.variable) || sizes.some((s) => s !== sizes[0]);
  return makeField<UnionLayout<Tag, TK, V>>({
    kind: 'union',
    size: Math.min(...sizes),
    variable,
    tagKey,
    tagKind: kind as TK,
    variants: Object.freeze({ ...variants }),
    cases: Object.freeze(cases),
    byteOrder: checkByteOrder(options.byteOrder),
  });
}
