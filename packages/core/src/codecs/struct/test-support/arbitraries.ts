import fc from 'fast-check';
import type { TextField } from '../byte-fields.js';
import {
  ascii,
  bool,
  bytes,
  bytesRest,
  f32,
  f64,
  type Field,
  i16,
  i32,
  i53,
  i64,
  i8,
  type MessageLayout,
  struct,
  type StructLayout,
  u16,
  u32,
  u53,
  u64,
  u8,
  union,
  type UnionLayout,
  utf8,
} from '../index.js';

const utf8Length = (s: string) => Buffer.byteLength(s, 'utf8');

/** Drops the padding character from the padded end, which decoding would trim. */
function unpadded(text: string, field: TextField): string {
  const pad = String.fromCharCode(field.padByte);
  let s = text;
  if (field.align === 'left') while (s.endsWith(pad)) s = s.slice(0, -1);
  else while (s.startsWith(pad)) s = s.slice(1);
  return s;
}

/**
 * Well-formed text of up to `maxLength` code points, drawn evenly from the 1-, 2-, 3- and 4-byte
 * UTF-8 classes (fast-check's `unit: 'binary'` is ~50x slower to generate and rarely leaves ASCII).
 */
export function unicodeText(maxLength: number): fc.Arbitrary<string> {
  const point = fc.oneof(
    fc.integer({ min: 0, max: 0x7f }),
    fc.integer({ min: 0x80, max: 0x7ff }),
    fc.integer({ min: 0x800, max: 0xffff }).filter((c) => c < 0xd800 || c > 0xdfff),
    fc.integer({ min: 0x10000, max: 0x10ffff }),
  );
  return fc.array(point, { maxLength }).map((points) => String.fromCodePoint(...points));
}

function textArbitrary(field: TextField): fc.Arbitrary<string> {
  if (field.kind === 'ascii') {
    const char = fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c));
    return fc.string({ unit: char, maxLength: field.size }).map((s) => unpadded(s, field));
  }
  return unicodeText(field.size).map((s) => {
    let fitted = '';
    for (const point of s) {
      if (utf8Length(fitted + point) > field.size) break;
      fitted += point;
    }
    return unpadded(fitted, field);
  });
}

/** Valid messages of any field or layout, in the canonical form decoding gives back. */
export function messageArbitrary(field: Field): fc.Arbitrary<unknown> {
  switch (field.kind) {
    case 'u8':
      return fc.integer({ min: 0, max: 0xff });
    case 'u16':
      return fc.integer({ min: 0, max: 0xffff });
    case 'u32':
      return fc.integer({ min: 0, max: 0xffffffff });
    case 'i8':
      return fc.integer({ min: -0x80, max: 0x7f });
    case 'i16':
      return fc.integer({ min: -0x8000, max: 0x7fff });
    case 'i32':
      return fc.integer({ min: -0x80000000, max: 0x7fffffff });
    case 'u64':
      return fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
    case 'i64':
      return fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
    case 'u53':
      return fc.maxSafeNat();
    case 'i53':
      return fc.maxSafeInteger();
    case 'f32':
      return fc.float();
    case 'f64':
      return fc.double();
    case 'bool':
      return fc.boolean();
    case 'ascii':
    case 'utf8':
      return textArbitrary(field as TextField);
    case 'bytes':
      return fc.uint8Array({ minLength: field.size, maxLength: field.size });
    case 'rest':
      return fc.uint8Array({ maxLength: 40 });
    case 'struct': {
      const entries = (field as StructLayout).entries;
      return fc
        .tuple(...entries.map(([, child]) => messageArbitrary(child)))
        .map((values) => Object.fromEntries(entries.map(([name], i) => [name, values[i]])));
    }
    case 'union': {
      const layout = field as UnionLayout;
      return fc.oneof(
        ...layout.cases.map((c) =>
          messageArbitrary(c.layout).map((value) => ({ [layout.tagKey]: c.tag, ...(value as object) })),
        ),
      );
    }
  }
}

const byteOrder = fc.constantFrom(undefined, 'big' as const, 'little' as const);
const length = fc.integer({ min: 1, max: 40 });
const pad = fc.constantFrom('space' as const, 'nul' as const);

const leafField: fc.Arbitrary<Field> = fc.oneof(
  { arbitrary: fc.constantFrom<Field>(u8, u16, u32, u64, i8, i16, i32, i64, u53, i53, f32, f64, bool), weight: 6 },
  {
    arbitrary: fc
      .tuple(length, pad, fc.constantFrom('left' as const, 'right' as const))
      .map(([n, p, align]) => ascii(n, { pad: p, align })),
    weight: 2,
  },
  { arbitrary: fc.tuple(length, pad).map(([n, p]) => utf8(n, { pad: p })), weight: 1 },
  { arbitrary: length.map((n) => bytes(n)), weight: 1 },
);

function fieldArbitrary(depth: number): fc.Arbitrary<Field> {
  if (depth <= 0) return leafField;
  return fc.oneof(
    { arbitrary: leafField, weight: 6 },
    { arbitrary: structArbitrary(depth - 1, false), weight: 1 },
    { arbitrary: fixedUnionArbitrary(depth - 1), weight: 1 },
  );
}

function structArbitrary(depth: number, variableTail: boolean): fc.Arbitrary<StructLayout> {
  const tail: fc.Arbitrary<Field | undefined> = variableTail
    ? fc.oneof(
        fc.constant(undefined),
        fc.constant(bytesRest()),
        ...(depth > 0 ? [variableUnionArbitrary(depth - 1)] : []),
      )
    : fc.constant(undefined);
  return fc.tuple(fc.array(fieldArbitrary(depth), { maxLength: 5 }), tail, byteOrder).map(([fields, last, order]) => {
    const entries: [string, Field][] = fields.map((field, i) => [`f${i}`, field]);
    if (last !== undefined) entries.push(['tail', last]);
    return struct(Object.fromEntries(entries), { byteOrder: order });
  });
}

/** A union whose two variants have the same size, which may sit anywhere in a struct. */
function fixedUnionArbitrary(depth: number): fc.Arbitrary<UnionLayout> {
  return fc
    .tuple(structArbitrary(depth, false), byteOrder)
    .map(([first, order]) =>
      union(
        'kind',
        u8,
        { 1: first, 200: first.size === 0 ? struct({}) : struct({ filler: bytes(first.size) }) },
        { byteOrder: order },
      ),
    );
}

function variableUnionArbitrary(depth: number): fc.Arbitrary<UnionLayout> {
  return fc
    .tuple(fc.boolean(), fc.array(structArbitrary(depth, true), { minLength: 1, maxLength: 4 }), byteOrder)
    .map(([asciiTag, variants, order]) =>
      union(
        'tag',
        asciiTag ? ascii(1) : u8,
        Object.fromEntries(variants.map((v, i) => [asciiTag ? 'AZ+a'[i] : String(i * 85), v])),
        {
          byteOrder: order,
        },
      ),
    );
}

/** Random message layouts: structs and unions nested two levels deep, with variable tails. */
export const layoutArbitrary: fc.Arbitrary<MessageLayout> = fc.oneof(
  structArbitrary(2, true),
  variableUnionArbitrary(2),
);
