/**
 * The binary struct codec: declare a message layout once, get its TypeScript type inferred and a
 * codec compiled from it.
 *
 * ```ts
 * const Packet = union('type', ascii(1), {
 *   A: struct({ session: ascii(10), sequence: ascii(20, { align: 'right' }) }),
 *   S: struct({ payload: bytesRest() }),
 *   H: struct({}),
 * });
 * type Packet = InferMessage<typeof Packet>;
 * const codec = structCodec(Packet); // u16 length-prefixed, as SoupBinTCP
 * ```
 */
export {
  type ByteOrder,
  type Field,
  type FieldKind,
  type FieldValue,
  type InferMessage,
  type Prettify,
} from './field.js';
export {
  bool,
  f32,
  f64,
  i16,
  i32,
  i53,
  i64,
  i8,
  type ScalarField,
  type ScalarKind,
  u16,
  u32,
  u53,
  u64,
  u8,
} from './number-fields.js';
export {
  ascii,
  type AsciiOptions,
  bytes,
  type BytesField,
  bytesRest,
  type RestField,
  type TextField,
  type TextPadding,
  utf8,
  type Utf8Options,
} from './byte-fields.js';
export { type Fields, struct, type StructLayout, type StructOptions, type StructValue } from './struct-layout.js';
export {
  type TagKind,
  type TagValue,
  union,
  type UnionCase,
  type UnionLayout,
  type UnionOptions,
  type UnionValue,
  type Variants,
} from './union-layout.js';
export {
  type DuplexLayouts,
  type MessageLayout,
  StructCodec,
  structCodec,
  type StructCodecOptions,
} from './struct-codec.js';
export {
  type FieldView,
  type MessageView,
  StructViewCodec,
  structViewCodec,
  type StructViewCodecOptions,
  type ViewMethods,
} from './struct-view-codec.js';
