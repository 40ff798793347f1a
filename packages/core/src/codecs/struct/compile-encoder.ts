import type { ByteWriter } from '../../buffers/byte-writer.js';
import type { TextField } from './byte-fields.js';
import { type EncodeSite, failAscii, failEncode, failUtf8 } from './codec-errors.js';
import {
  type Chosen,
  childPath,
  CodeBuilder,
  endianArg,
  fixedSize,
  halves,
  isLittle,
  plus,
  prop,
  tagLiteral,
} from './codegen.js';
import type { Field } from './field.js';
import { describeScalar, INTEGERS, type ScalarKind } from './number-fields.js';
import type { StructLayout } from './struct-layout.js';
import { copyIn, UTF8_OK, UTF8_TOO_LONG, writeAscii, writeAsciiRight, writeUtf8 } from './text-bytes.js';
import type { UnionCase, UnionLayout } from './union-layout.js';

/** A compiled encoder: writes the body of `message` at `out.position` and advances it. */
export type EncodeFunction = (message: unknown, out: ByteWriter) => void;

/** What one branch of the generated code has resolved so far. */
interface Branch {
  /** The variant picked for each variable union on the way. */
  readonly chosen: Chosen;
  /** Local variables already holding (checked) nested objects. */
  readonly bound: ReadonlyMap<Field, string>;
  /** The local holding the trailing bytesRest value, once reached. */
  readonly rest: string | undefined;
}

/**
 * Compiles the encoder of `layout`. The generated function first follows the variable-size tail
 * of the layout (union tags, the `bytesRest` length), so that every branch knows its exact size;
 * each branch then calls `out.ensure(size)` once and writes every field at a constant offset
 * through the writer's DataView, checking each value as it goes. A bad value throws
 * `NET_ERR_ENCODE` naming the field; the bytes written before it are discarded by the caller
 * (MessageWriter rolls the writer back), so no half frame is ever sent.
 */
export function compileEncoder(layout: StructLayout | UnionLayout, little: boolean): EncodeFunction {
  return new EncoderGenerator(layout, little).generate();
}

class EncoderGenerator {
  private readonly _g = new CodeBuilder();

  constructor(
    private readonly _root: StructLayout | UnionLayout,
    private readonly _little: boolean,
  ) {
    const g = this._g;
    g.bind('failEncode', failEncode);
    g.bind('failAscii', failAscii);
    g.bind('failUtf8', failUtf8);
    g.bind('writeAscii', writeAscii);
    g.bind('writeAsciiRight', writeAsciiRight);
    g.bind('writeUtf8', writeUtf8);
    g.bind('copyIn', copyIn);
  }

  generate(): EncodeFunction {
    const g = this._g;
    this._checkObject('m', '');
    this._resolve(this._root, 'm', '', this._little, { chosen: new Map(), bound: new Map(), rest: undefined });
    return g.compile<EncodeFunction>('encodeStruct', 'm, out');
  }

  private _site(path: string, expected: string): string {
    return this._g.site({ path, expected } satisfies EncodeSite);
  }

  private _checkObject(value: string, path: string): void {
    this._g.line(
      `if (typeof ${value} !== 'object' || ${value} === null) failEncode(${this._site(path, 'an object')}, ${value});`,
    );
  }

  /** Emits the switches that resolve the variable tail of `node`, then one leaf per shape. */
  private _resolve(
    node: StructLayout | UnionLayout,
    value: string,
    path: string,
    inherited: boolean,
    branch: Branch,
  ): void {
    const g = this._g;
    const little = isLittle(node, inherited);
    if (!node.variable) {
      this._leaf(branch);
    } else if (node.kind === 'union') {
      const union = node;
      const tagPath = childPath(path, union.tagKey);
      const tag = g.local('t');
      g.line(`const ${tag} = ${prop(value, union.tagKey)};`);
      g.open(`switch (${tag}) {`);
      for (const c of union.cases) {
        g.open(`case ${tagLiteral(c.tag)}: {`);
        const chosen = new Map(branch.chosen).set(union, c);
        this._resolve(c.layout, value, path, little, { ...branch, chosen });
        g.close();
      }
      g.line(`default: failEncode(${this._site(tagPath, tagList(union.cases))}, ${tag});`);
      g.close();
    } else {
      const entries = node.entries;
      const [name, last] = entries[entries.length - 1];
      const lastPath = childPath(path, name);
      const local = g.local(last.kind === 'rest' ? 'r' : 'o');
      g.line(`const ${local} = ${prop(value, name)};`);
      if (last.kind === 'rest') {
        g.line(`if (!(${local} instanceof Uint8Array)) failEncode(${this._site(lastPath, 'a Uint8Array')}, ${local});`);
        this._leaf({ ...branch, rest: local });
      } else {
        this._checkObject(local, lastPath);
        const bound = new Map(branch.bound).set(last, local);
        this._resolve(last as StructLayout | UnionLayout, local, lastPath, little, { ...branch, bound });
      }
    }
  }

  /** One message shape: reserve its exact size once, write every field, advance the writer. */
  private _leaf(branch: Branch): void {
    const g = this._g;
    const size = fixedSize(this._root, branch.chosen);
    g.line(`const n = ${branch.rest === undefined ? size : `${size} + ${branch.rest}.length`};`);
    g.line('out.ensure(n);');
    g.line('const b = out.bytes, v = out.view, p = out.position;');
    this._write(this._root, 'm', 0, '', this._little, branch);
    g.line('out.position = p + n;');
    g.line('return;');
  }

  /** Emits the writes of a struct or union whose (checked) object is in `value`, at `offset`. */
  private _write(
    node: StructLayout | UnionLayout,
    value: string,
    offset: number,
    path: string,
    inherited: boolean,
    branch: Branch,
  ): void {
    const g = this._g;
    const little = isLittle(node, inherited);
    if (node.kind === 'struct') {
      let at = offset;
      for (const [name, field] of node.entries) {
        this._field(field, prop(value, name), at, childPath(path, name), little, branch);
        at += fixedSize(field, branch.chosen);
      }
      return;
    }
    const union = node;
    const picked = branch.chosen.get(union);
    if (picked !== undefined) {
      g.line(`b[${plus('p', offset)}] = ${picked.byte};`);
      this._write(picked.layout, value, offset + 1, path, little, branch);
      return;
    }
    // A union whose variants all have the same size: switch in place.
    const tag = g.local('t');
    g.line(`const ${tag} = ${prop(value, union.tagKey)};`);
    g.open(`switch (${tag}) {`);
    for (const c of union.cases) {
      g.open(`case ${tagLiteral(c.tag)}: {`);
      g.line(`b[${plus('p', offset)}] = ${c.byte};`);
      this._write(c.layout, value, offset + 1, path, little, branch);
      g.line('break;');
      g.close();
    }
    g.line(`default: failEncode(${this._site(childPath(path, union.tagKey), tagList(union.cases))}, ${tag});`);
    g.close();
  }

  /** Emits the check and write of one field read by `access`. */
  private _field(field: Field, access: string, offset: number, path: string, little: boolean, branch: Branch): void {
    const g = this._g;
    const at = plus('p', offset);
    const le = endianArg(little);
    if (field.kind === 'rest') {
      // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- a rest field is only laid out with the rest length branch set
      g.line(`copyIn(b, ${at}, ${branch.rest!});`);
      return;
    }
    const bound = field.kind === 'struct' || field.kind === 'union' ? branch.bound.get(field) : undefined;
    const x = bound ?? g.local('x');
    if (bound === undefined) g.line(`const ${x} = ${access};`);
    switch (field.kind) {
      case 'struct':
      case 'union':
        if (bound === undefined) this._checkObject(x, path);
        this._write(field as StructLayout | UnionLayout, x, offset, path, little, branch);
        return;
      case 'u8':
        g.line(`if (!(${INTEGERS.u8.valid(x)})) failEncode(${this._site(path, describeScalar('u8'))}, ${x});`);
        g.line(`b[${at}] = ${x};`);
        return;
      case 'u53':
      case 'i53': {
        const range = field.kind === 'u53' ? `${x} >= 0` : `${x} >= -9007199254740991`;
        const valid = `typeof ${x} === 'number' && ${range} && ${x} <= 9007199254740991 && Math.floor(${x}) === ${x}`;
        g.line(`if (!(${valid})) failEncode(${this._site(path, describeScalar(field.kind))}, ${x});`);
        const { high, low } = halves(offset, little);
        const highSetter = field.kind === 'u53' ? 'setUint32' : 'setInt32';
        g.line(`v.${highSetter}(${plus('p', high)}, Math.floor(${x} / 4294967296)${le});`);
        g.line(`v.setUint32(${plus('p', low)}, ${x} >>> 0${le});`);
        return;
      }
      case 'f32':
      case 'f64':
        g.line(`if (typeof ${x} !== 'number') failEncode(${this._site(path, describeScalar(field.kind))}, ${x});`);
        g.line(`v.set${field.kind === 'f32' ? 'Float32' : 'Float64'}(${at}, ${x}${le});`);
        return;
      case 'bool':
        g.line(`if (${x} !== true && ${x} !== false) failEncode(${this._site(path, describeScalar('bool'))}, ${x});`);
        g.line(`b[${at}] = ${x} ? 1 : 0;`);
        return;
      case 'ascii':
      case 'utf8':
        this._text(field as TextField, x, at, path);
        return;
      case 'bytes': {
        const site = this._site(path, `a Uint8Array of exactly ${field.size} bytes`);
        g.line(`if (!(${x} instanceof Uint8Array) || ${x}.length !== ${field.size}) failEncode(${site}, ${x});`);
        g.line(`copyIn(b, ${at}, ${x});`);
        return;
      }
      default: {
        const info = INTEGERS[field.kind as Exclude<ScalarKind, 'u53' | 'i53' | 'f32' | 'f64' | 'bool'>];
        g.line(`if (!(${info.valid(x)})) failEncode(${this._site(path, describeScalar(field.kind))}, ${x});`);
        g.line(`v.set${info.accessor}(${at}, ${x}${info.accessor.endsWith('8') ? '' : le});`);
      }
    }
  }

  private _text(field: TextField, x: string, at: string, path: string): void {
    const g = this._g;
    const n = field.size;
    const site = this._site(
      path,
      `${field.kind}(${n}) (a string of at most ${n} ${field.kind === 'ascii' ? 'ASCII characters' : 'UTF-8 bytes'})`,
    );
    g.line(`if (typeof ${x} !== 'string') failEncode(${site}, ${x});`);
    if (field.kind === 'ascii') {
      const writer = field.align === 'right' ? 'writeAsciiRight' : 'writeAscii';
      g.line(`if (${x}.length > ${n}) failAscii(${site}, ${x}, true);`);
      g.line(`if (!${writer}(b, ${at}, ${n}, ${x}, ${field.padByte})) failAscii(${site}, ${x}, false);`);
    } else {
      const result = g.local('u');
      // More UTF-16 units than bytes can never fit: every unit takes at least one byte.
      g.line(
        `const ${result} = ${x}.length > ${n} ? ${UTF8_TOO_LONG} : writeUtf8(b, ${at}, ${n}, ${x}, ${field.padByte});`,
      );
      g.line(`if (${result} !== ${UTF8_OK}) failUtf8(${site}, ${x}, ${result});`);
    }
  }
}

function tagList(cases: readonly UnionCase[]): string {
  return `one of ${cases.map((c) => (typeof c.tag === 'string' ? JSON.stringify(c.tag) : String(c.tag))).join(', ')}`;
}
