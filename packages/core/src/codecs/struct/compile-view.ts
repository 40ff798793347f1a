import { ErrorCode } from '../../errors/error-codes.js';
import { NetError } from '../../errors/net-error.js';
import type { TextField } from './byte-fields.js';
import { type DecodeSite, failTag, failValue } from './codec-errors.js';
import { CodeBuilder, childPath, endianArg, halves, isLittle, key, plus, tagLiteral } from './codegen.js';
import { compileDecoder, type DecodeFunction } from './compile-decoder.js';
import { type Field, invalidLayout } from './field.js';
import { INTEGERS } from './number-fields.js';
import type { StructLayout } from './struct-layout.js';
import { readAscii, readAsciiRight, readUtf8 } from './text-bytes.js';
import type { UnionLayout } from './union-layout.js';

/** Whether the views of one message may still be read; shared by a view and its nested views. */
export interface ViewToken {
  live: boolean;
}

/** The state every generated view keeps: where its struct starts in which frame. */
export interface ViewBase {
  /** The frame's bytes. */
  $b: Uint8Array;
  /** A DataView over the same memory, same indexing. */
  $v: DataView;
  /** Where this view's struct (or, for a union variant, its tag byte) starts in `$b`. */
  $o: number;
  /** Where the frame body ends in `$b`. */
  $e: number;
  /** The lifetime token (checked only by views compiled with the check). */
  readonly $t: ViewToken;
}

/** A generated view class. */
export type ViewClass = new (token: ViewToken) => ViewBase;

/**
 * The classes of a message layout's views: one for a struct (index 0), one per tag byte for a
 * union (indexed by that byte, `undefined` for unknown tags).
 */
export interface CompiledViews {
  /** True when the message is a union: the class is picked by the first body byte. */
  readonly tagged: boolean;
  /** The union's tag property (`''` for a struct), for errors. */
  readonly tagKey: string;
  /** The view classes; see {@link CompiledViews}. */
  readonly classes: readonly (ViewClass | undefined)[];
  /** Checks a body's shape (length, the tags of the variable tail) before a view is handed out. */
  readonly check: DecodeFunction;
}

/** A field name a view cannot carry: a method of the view or one of its internal properties. */
const RESERVED = /^(?:\$[a-z][0-9]*|toObject|constructor)$/;

const EMPTY = new Uint8Array(0);
const EMPTY_VIEW = new DataView(EMPTY.buffer);

function expired(): never {
  throw new NetError(
    ErrorCode.VIEW_EXPIRED,
    'message view read after the next message was received on its connection, or after it closed; call toObject() to keep a message',
  );
}

/**
 * Compiles the view classes of `layout`. Each struct of the layout (each nested struct and union
 * variant, wherever it occurs) gets a class whose getters read their field at a constant offset
 * from the view's `$o`, generated the same way as the decoder so V8 sees constant offsets and
 * monomorphic loads. With `checkLifetime`, every getter first checks the view's token.
 * @throws NetError `NET_ERR_INVALID_ARGUMENT` for a field name a view cannot carry
 */
export function compileViews(
  layout: StructLayout | UnionLayout,
  little: boolean,
  allowTrailingBytes: boolean,
  checkLifetime: boolean,
): CompiledViews {
  checkNames(layout);
  const generator = new ViewGenerator(checkLifetime);
  const check = compileDecoder(layout, little, allowTrailingBytes, true);
  const toObject = compileDecoder(layout, little, allowTrailingBytes);
  if (layout.kind === 'struct') {
    const view = generator.structClass(layout, 0, '', isLittle(layout, little), undefined, toObject);
    return { tagged: false, tagKey: '', classes: [view], check };
  }
  return {
    tagged: true,
    tagKey: layout.tagKey,
    classes: generator.unionClasses(layout, 0, '', little, toObject),
    check,
  };
}

function checkNames(field: Field): void {
  if (field.kind === 'struct') {
    for (const [name, child] of (field as StructLayout).entries) {
      if (RESERVED.test(name)) {
        throw invalidLayout(`field '${name}' clashes with a property of message views; rename it`, { field: name });
      }
      checkNames(child);
    }
  } else if (field.kind === 'union') {
    const union = field as UnionLayout;
    if (RESERVED.test(union.tagKey)) {
      throw invalidLayout(`union tag '${union.tagKey}' clashes with a property of message views; rename it`, {
        tagKey: union.tagKey,
      });
    }
    for (const c of union.cases) checkNames(c.layout);
  }
}

class ViewGenerator {
  constructor(private readonly _check: boolean) {}

  /** One class per variant of `union` (at `base`), indexed by tag byte. */
  unionClasses(
    union: UnionLayout,
    base: number,
    path: string,
    inherited: boolean,
    toObject: DecodeFunction,
  ): (ViewClass | undefined)[] {
    const little = isLittle(union, inherited);
    const classes: (ViewClass | undefined)[] = new Array<ViewClass | undefined>(256).fill(undefined);
    for (const c of union.cases) {
      const variantLittle = isLittle(c.layout, little);
      classes[c.byte] = this.structClass(c.layout, base, path, variantLittle, [union.tagKey, c.tag], toObject);
    }
    return classes;
  }

  /**
   * The class of `layout` at body offset `base` (for a union variant, `base` is the tag byte and
   * the fields start one byte later). `toObject` decodes the same bytes into a plain object.
   */
  structClass(
    layout: StructLayout,
    base: number,
    path: string,
    little: boolean,
    tag: readonly [string, string | number] | undefined,
    toObject: DecodeFunction,
  ): ViewClass {
    const g = new CodeBuilder();
    g.bind('failTag', failTag);
    g.bind('failValue', failValue);
    g.bind('readAscii', readAscii);
    g.bind('readAsciiRight', readAsciiRight);
    g.bind('readUtf8', readUtf8);
    g.bind('expired', expired);
    g.bind('EMPTY', EMPTY);
    g.bind('EMPTY_VIEW', EMPTY_VIEW);
    g.bind('D', toObject);
    const slots: string[] = [];
    const getters: (() => void)[] = [];
    let at = tag === undefined ? 0 : 1;
    if (tag !== undefined) {
      getters.push(() => this._getter(g, tag[0], [`return ${tagLiteral(tag[1])};`]));
    }
    for (const [name, field] of layout.entries) {
      const offset = at;
      const body = this._field(g, field, offset, base + offset, childPath(path, name), little, slots);
      getters.push(() => this._getter(g, name, body));
      at += field.size;
    }
    g.open('return class MessageView {');
    g.open('constructor(t) {');
    g.line('this.$b = EMPTY; this.$v = EMPTY_VIEW; this.$o = 0; this.$e = 0; this.$t = t;');
    for (const slot of slots) g.line(`this.${slot} = null;`);
    g.close();
    for (const emit of getters) emit();
    g.open('toObject() {');
    if (this._check) g.line('if (this.$t.live !== true) expired();');
    g.line('return D({ bytes: this.$b, view: this.$v, offset: this.$o, length: this.$e - this.$o });');
    g.close();
    g.close('};');
    return g.compile<() => ViewClass>('makeView', '')();
  }

  private _getter(g: CodeBuilder, name: string, body: readonly string[]): void {
    g.open(`get ${key(name)}() {`);
    if (this._check) g.line('if (this.$t.live !== true) expired();');
    for (const line of body) g.line(line);
    g.close();
  }

  /** The getter body of one field at `offset` from the view's `$o` (`absolute` in the body, for errors). */
  private _field(
    g: CodeBuilder,
    field: Field,
    offset: number,
    absolute: number,
    path: string,
    little: boolean,
    slots: string[],
  ): string[] {
    const at = plus('this.$o', offset);
    const le = endianArg(little);
    const site = (): string => g.site({ path, offset: absolute } satisfies DecodeSite);
    switch (field.kind) {
      case 'struct': {
        const nested = field as StructLayout;
        const nestedLittle = isLittle(nested, little);
        const view = this.structClass(
          nested,
          absolute,
          path,
          nestedLittle,
          undefined,
          compileDecoder(nested, little, true),
        );
        const child = g.bind(`C${slots.length}`, view);
        const slot = `$c${slots.length}`;
        slots.push(slot);
        return [
          `let c = this.${slot};`,
          `if (c === null) c = this.${slot} = new ${child}(this.$t);`,
          `c.$b = this.$b; c.$v = this.$v; c.$o = ${at}; c.$e = this.$e;`,
          'return c;',
        ];
      }
      case 'union': {
        const union = field as UnionLayout;
        const classes = this.unionClasses(union, absolute, path, little, compileDecoder(union, little, true));
        const tagSite = g.site({ path: childPath(path, union.tagKey), offset: absolute } satisfies DecodeSite);
        const lines = ['const b = this.$b, at = ' + at + ';', 'let c;', 'switch (b[at]) {'];
        for (const c of union.cases) {
          const child = g.bind(`C${slots.length}`, classes[c.byte]);
          const slot = `$c${slots.length}`;
          slots.push(slot);
          lines.push(
            `  case ${c.byte}: c = this.${slot}; if (c === null) c = this.${slot} = new ${child}(this.$t); break;`,
          );
        }
        lines.push(`  default: failTag(${tagSite}, b[at]);`, '}');
        lines.push('c.$b = b; c.$v = this.$v; c.$o = at; c.$e = this.$e;', 'return c;');
        return lines;
      }
      case 'u8':
        return [`return this.$b[${at}];`];
      case 'bool':
        return [`return this.$b[${at}] !== 0;`];
      case 'f32':
      case 'f64':
        return [`return this.$v.get${field.kind === 'f32' ? 'Float32' : 'Float64'}(${at}${le});`];
      case 'u53':
      case 'i53': {
        const { high, low } = halves(offset, little);
        const highGetter = field.kind === 'u53' ? 'getUint32' : 'getInt32';
        const outside = field.kind === 'u53' ? 'x > 9007199254740991' : 'x > 9007199254740991 || x < -9007199254740991';
        const reason = JSON.stringify(
          `the ${field.kind} value is outside the safe integer range (use ${field.kind === 'u53' ? 'u64' : 'i64'})`,
        );
        return [
          'const v = this.$v;',
          `const x = v.${highGetter}(${plus('this.$o', high)}${le}) * 4294967296 + v.getUint32(${plus('this.$o', low)}${le});`,
          `if (${outside}) failValue(${site()}, ${reason});`,
          'return x;',
        ];
      }
      case 'ascii':
      case 'utf8': {
        const text = field as TextField;
        const reader = text.kind === 'utf8' ? 'readUtf8' : text.align === 'right' ? 'readAsciiRight' : 'readAscii';
        const reason = JSON.stringify(text.kind === 'utf8' ? 'the bytes are not valid UTF-8' : 'a byte is not ASCII');
        return [
          `const s = ${reader}(this.$b, ${at}, ${text.size}, ${text.padByte});`,
          `if (s === null) failValue(${site()}, ${reason});`,
          'return s;',
        ];
      }
      case 'bytes':
      case 'rest': {
        // The subarray is kept while it still covers the same memory, so reading a field again
        // (or the next message at the same place in the same buffer) makes no new object.
        const slot = `$s${slots.length}`;
        slots.push(slot);
        const length = field.kind === 'rest' ? 'this.$e - at' : String(field.size);
        return [
          `const b = this.$b, at = ${at}, n = ${length};`,
          `let s = this.${slot};`,
          `if (s === null || s.buffer !== b.buffer || s.byteOffset !== b.byteOffset + at || s.length !== n) s = this.${slot} = b.subarray(at, at + n);`,
          'return s;',
        ];
      }
      default: {
        const info = INTEGERS[field.kind];
        return [`return this.$v.get${info.accessor}(${at}${info.accessor.endsWith('8') ? '' : le});`];
      }
    }
  }
}
