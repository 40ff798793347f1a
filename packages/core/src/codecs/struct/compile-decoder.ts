import type { FrameSlice } from '../codec.js';
import type { TextField } from './byte-fields.js';
import { type DecodeSite, failLength, failTag, failValue, type LengthSite } from './codec-errors.js';
import {
  type Chosen,
  childPath,
  CodeBuilder,
  endianArg,
  fixedSize,
  halves,
  isLittle,
  key,
  plus,
  tagLiteral,
} from './codegen.js';
import type { Field } from './field.js';
import { INTEGERS } from './number-fields.js';
import type { StructLayout } from './struct-layout.js';
import { copyOut, readAscii, readAsciiRight, readUtf8 } from './text-bytes.js';
import type { UnionLayout } from './union-layout.js';

/** A compiled decoder: builds the message in a frame body. */
export type DecodeFunction = (frame: FrameSlice) => unknown;

/** What one branch of the generated code has resolved so far. */
interface Branch {
  /** The variant picked for each variable union on the way. */
  readonly chosen: Chosen;
  /** `type "A"` labels of those picks, for length errors. */
  readonly labels: readonly string[];
}

/**
 * Compiles the decoder of `layout` (with `checkOnly`, a function that only checks the shape of a
 * body, for views, and returns true).
 *
 * Decoding is eager: the generated function reads every field and returns one plain object (one
 * object literal per message shape, nested literals for nested structs): one object of a stable
 * shape, built in one go, is the cheapest thing V8 allocates. Views that read fields on access,
 * with no object per message, are compile-view.ts's.
 *
 * The generated function first follows the variable-size tail (the union tags, checking that
 * each tag byte is inside the frame), then, per message shape, checks the body length once and
 * reads every field at a constant offset. Nothing is ever read past the body: a shorter body is
 * `NET_ERR_DECODE`, and so is a longer one unless the layout ends with `bytesRest()` or
 * `allowTrailingBytes` is set.
 */
export function compileDecoder(
  layout: StructLayout | UnionLayout,
  little: boolean,
  allowTrailingBytes: boolean,
  checkOnly = false,
): DecodeFunction {
  return new DecoderGenerator(layout, little, allowTrailingBytes, checkOnly).generate();
}

class DecoderGenerator {
  private readonly _g = new CodeBuilder();

  constructor(
    private readonly _root: StructLayout | UnionLayout,
    private readonly _little: boolean,
    private readonly _allowTrailingBytes: boolean,
    // Only the shape checks (variable-tail tags, body length), for views that read fields later.
    private readonly _checkOnly: boolean,
  ) {
    const g = this._g;
    g.bind('failLength', failLength);
    g.bind('failTag', failTag);
    g.bind('failValue', failValue);
    g.bind('readAscii', readAscii);
    g.bind('readAsciiRight', readAsciiRight);
    g.bind('readUtf8', readUtf8);
    g.bind('copyOut', copyOut);
  }

  generate(): DecodeFunction {
    this._g.line('const b = f.bytes, v = f.view, o = f.offset, n = f.length;');
    this._resolve(this._root, 0, '', this._little, { chosen: new Map(), labels: [] });
    return this._g.compile<DecodeFunction>('decodeStruct', 'f');
  }

  private _lengthSite(label: string, size: number, exact: boolean): string {
    return this._g.site({ label, size, exact } satisfies LengthSite);
  }

  private _fieldSite(path: string, offset: number): string {
    return this._g.site({ path, offset } satisfies DecodeSite);
  }

  /** Emits the switches on the tag bytes of the variable tail, then one leaf per message shape. */
  private _resolve(
    node: StructLayout | UnionLayout,
    offset: number,
    path: string,
    inherited: boolean,
    branch: Branch,
  ): void {
    const g = this._g;
    const little = isLittle(node, inherited);
    if (!node.variable) {
      this._leaf(branch, undefined);
    } else if (node.kind === 'union') {
      const union = node;
      const tagPath = childPath(path, union.tagKey);
      g.line(`if (n <= ${offset}) failLength(${this._lengthSite(`the ${tagPath} tag`, offset + 1, false)}, n);`);
      g.open(`switch (b[${plus('o', offset)}]) {`);
      for (const c of union.cases) {
        g.open(`case ${c.byte}: {`);
        const chosen = new Map(branch.chosen).set(union, c);
        const labels = [...branch.labels, `${tagPath} ${tagLiteral(c.tag)}`];
        this._resolve(c.layout, offset + 1, path, little, { chosen, labels });
        g.close();
      }
      g.line(`default: failTag(${this._fieldSite(tagPath, offset)}, b[${plus('o', offset)}]);`);
      g.close();
    } else {
      const entries = node.entries;
      let at = offset;
      for (let i = 0; i < entries.length - 1; i++) at += entries[i][1].size;
      const [name, last] = entries[entries.length - 1];
      if (last.kind === 'rest') this._leaf(branch, at);
      else this._resolve(last as StructLayout | UnionLayout, at, childPath(path, name), little, branch);
    }
  }

  /** One message shape: check the body length, read every field, return the message. */
  private _leaf(branch: Branch, restOffset: number | undefined): void {
    const g = this._g;
    const size = fixedSize(this._root, branch.chosen);
    const exact = restOffset === undefined && !this._allowTrailingBytes;
    const label = branch.labels.length === 0 ? 'the layout' : `variant ${branch.labels.join(', ')}`;
    g.line(`if (n ${exact ? '!==' : '<'} ${size}) failLength(${this._lengthSite(label, size, exact)}, n);`);
    if (this._checkOnly) {
      g.line('return true;');
      return;
    }
    g.line(`return ${this._expr(this._root, 0, '', this._little, branch, undefined)};`);
  }

  /** Emits the reads of a struct or union at `offset` and returns the expression of its value. */
  private _expr(
    node: StructLayout | UnionLayout,
    offset: number,
    path: string,
    inherited: boolean,
    branch: Branch,
    tag: readonly [string, string | number] | undefined,
  ): string {
    const g = this._g;
    const little = isLittle(node, inherited);
    if (node.kind === 'struct') {
      const parts: string[] = tag === undefined ? [] : [`${key(tag[0])}: ${tagLiteral(tag[1])}`];
      let at = offset;
      for (const [name, field] of node.entries) {
        parts.push(`${key(name)}: ${this._field(field, at, childPath(path, name), little, branch)}`);
        at += fixedSize(field, branch.chosen);
      }
      return parts.length === 0 ? '{}' : `{ ${parts.join(', ')} }`;
    }
    const union = node;
    const picked = branch.chosen.get(union);
    if (picked !== undefined)
      return this._expr(picked.layout, offset + 1, path, little, branch, [union.tagKey, picked.tag]);
    // A union whose variants all have the same size: switch in place.
    const result = g.local('u');
    g.line(`let ${result};`);
    g.open(`switch (b[${plus('o', offset)}]) {`);
    for (const c of union.cases) {
      g.open(`case ${c.byte}: {`);
      g.line(`${result} = ${this._expr(c.layout, offset + 1, path, little, branch, [union.tagKey, c.tag])};`);
      g.line('break;');
      g.close();
    }
    g.line(`default: failTag(${this._fieldSite(childPath(path, union.tagKey), offset)}, b[${plus('o', offset)}]);`);
    g.close();
    return result;
  }

  /** Emits any checks one field needs and returns the expression of its value. */
  private _field(field: Field, offset: number, path: string, little: boolean, branch: Branch): string {
    const g = this._g;
    const at = plus('o', offset);
    const le = endianArg(little);
    switch (field.kind) {
      case 'struct':
      case 'union':
        return this._expr(field as StructLayout | UnionLayout, offset, path, little, branch, undefined);
      case 'u8':
        return `b[${at}]`;
      case 'bool':
        return `b[${at}] !== 0`;
      case 'f32':
      case 'f64':
        return `v.get${field.kind === 'f32' ? 'Float32' : 'Float64'}(${at}${le})`;
      case 'u53':
      case 'i53': {
        const x = g.local('x');
        const { high, low } = halves(offset, little);
        const highGetter = field.kind === 'u53' ? 'getUint32' : 'getInt32';
        g.line(
          `const ${x} = v.${highGetter}(${plus('o', high)}${le}) * 4294967296 + v.getUint32(${plus('o', low)}${le});`,
        );
        const outside =
          field.kind === 'u53' ? `${x} > 9007199254740991` : `${x} > 9007199254740991 || ${x} < -9007199254740991`;
        const reason = JSON.stringify(
          `the ${field.kind} value is outside the safe integer range (use ${field.kind === 'u53' ? 'u64' : 'i64'})`,
        );
        g.line(`if (${outside}) failValue(${this._fieldSite(path, offset)}, ${reason});`);
        return x;
      }
      case 'ascii':
      case 'utf8': {
        const text = field as TextField;
        const reader = text.kind === 'utf8' ? 'readUtf8' : text.align === 'right' ? 'readAsciiRight' : 'readAscii';
        const reason = JSON.stringify(text.kind === 'utf8' ? 'the bytes are not valid UTF-8' : 'a byte is not ASCII');
        const x = g.local('s');
        g.line(`const ${x} = ${reader}(b, ${at}, ${text.size}, ${text.padByte});`);
        g.line(`if (${x} === null) failValue(${this._fieldSite(path, offset)}, ${reason});`);
        return x;
      }
      case 'bytes':
        return `copyOut(b, ${at}, ${field.size})`;
      case 'rest':
        return `copyOut(b, ${at}, n - ${offset})`;
      default: {
        const info = INTEGERS[field.kind];
        return `v.get${info.accessor}(${at}${info.accessor.endsWith('8') ? '' : le})`;
      }
    }
  }
}
