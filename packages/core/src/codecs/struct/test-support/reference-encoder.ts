import type { TextField } from '../byte-fields.js';
import type { Field, StructLayout, UnionLayout } from '../index.js';

/** What {@link referenceEncode} produced. */
export interface ReferenceBody {
  /** The body bytes. */
  readonly bytes: number[];
  /** True when the message's shape ends with a bytesRest field. */
  readonly endsWithRest: boolean;
}

/**
 * A deliberately naive encoder (recursion, arrays, TextEncoder, BigInt for every 8-byte integer)
 * written independently of the code generator, as an oracle for the wire format: a bug that the
 * compiled encoder and decoder share would survive a round trip, but not a comparison with this.
 */
export function referenceEncode(layout: StructLayout | UnionLayout, message: unknown, little: boolean): ReferenceBody {
  const bytes: number[] = [];
  let endsWithRest = false;
  const scratch = new DataView(new ArrayBuffer(8));
  const push = (count: number) => {
    for (let i = 0; i < count; i++) bytes.push(scratch.getUint8(i));
  };

  function encode(field: Field, value: unknown, le: boolean): void {
    endsWithRest = false;
    switch (field.kind) {
      case 'struct': {
        const layout = field as StructLayout;
        const own = layout.byteOrder === undefined ? le : layout.byteOrder === 'little';
        for (const [name, child] of layout.entries) encode(child, (value as Record<string, unknown>)[name], own);
        return;
      }
      case 'union': {
        const layout = field as UnionLayout;
        const own = layout.byteOrder === undefined ? le : layout.byteOrder === 'little';
        const c = layout.cases.find((k) => k.tag === (value as Record<string, unknown>)[layout.tagKey])!;
        bytes.push(c.byte);
        encode(c.layout, value, own);
        return;
      }
      case 'u8':
        return void (scratch.setUint8(0, value as number), push(1));
      case 'i8':
        return void (scratch.setInt8(0, value as number), push(1));
      case 'u16':
        return void (scratch.setUint16(0, value as number, le), push(2));
      case 'i16':
        return void (scratch.setInt16(0, value as number, le), push(2));
      case 'u32':
        return void (scratch.setUint32(0, value as number, le), push(4));
      case 'i32':
        return void (scratch.setInt32(0, value as number, le), push(4));
      case 'f32':
        return void (scratch.setFloat32(0, value as number, le), push(4));
      case 'f64':
        return void (scratch.setFloat64(0, value as number, le), push(8));
      case 'u64':
        return void (scratch.setBigUint64(0, value as bigint, le), push(8));
      case 'i64':
        return void (scratch.setBigInt64(0, value as bigint, le), push(8));
      case 'u53':
        return void (scratch.setBigUint64(0, BigInt(value as number), le), push(8));
      case 'i53':
        return void (scratch.setBigInt64(0, BigInt(value as number), le), push(8));
      case 'bool':
        return void bytes.push(value ? 1 : 0);
      case 'ascii':
      case 'utf8': {
        const text = field as TextField;
        const content = Array.from(new TextEncoder().encode(value as string));
        const padding = new Array<number>(text.size - content.length).fill(text.padByte);
        bytes.push(...(text.align === 'right' ? [...padding, ...content] : [...content, ...padding]));
        return;
      }
      case 'bytes':
        return void bytes.push(...(value as Uint8Array));
      case 'rest':
        bytes.push(...(value as Uint8Array));
        endsWithRest = true;
        return;
    }
  }

  encode(layout, message, little);
  return { bytes, endsWithRest };
}
