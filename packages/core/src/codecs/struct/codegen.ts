import { ErrorCode } from '../../errors/error-codes.js';
import { NetError } from '../../errors/net-error.js';
import type { Field } from './field.js';
import type { StructLayout } from './struct-layout.js';
import type { UnionCase, UnionLayout } from './union-layout.js';

/**
 * Builds the source of one specialised function and turns it into a function with `new Function`.
 *
 * Why generated source: a layout is compiled once, when its codec is made, into straight-line code
 * with every offset, byte order and field name a constant, and the decoded message built by one
 * object literal. V8 then sees monomorphic property loads, inlined DataView calls and a single
 * allocation site per message shape, which is what makes the codec several times faster than a
 * loop over per-field closures (dynamic keys, megamorphic calls, objects grown one key at a time).
 *
 * The trade-off: `new Function` is refused where code generation from strings is disabled (Node's
 * `--disallow-code-generation-from-strings`, a CSP without `unsafe-eval`); {@link compile} then
 * throws `NET_ERR_UNSUPPORTED`. The generated source never embeds user text: field names appear as
 * `JSON.stringify` literals (and names are validated at declaration), and every other value
 * (helpers, error sites) is passed in as a closure variable, not spelled out.
 */
export class CodeBuilder {
  private readonly _lines: string[] = [];
  private readonly _names: string[] = [];
  private readonly _values: unknown[] = [];
  private readonly _sites: unknown[] = [];
  private _locals = 0;
  private _depth = 1;

  /** A fresh local variable name. */
  local(prefix: string): string {
    return `${prefix}${this._locals++}`;
  }

  /** Makes `value` visible to the generated code under `name` (a closure variable). */
  bind(name: string, value: unknown): string {
    this._names.push(name);
    this._values.push(value);
    return name;
  }

  /** Registers an error site and returns the expression that reads it (`S[3]`). */
  site(site: object): string {
    this._sites.push(Object.freeze(site));
    return `S[${this._sites.length - 1}]`;
  }

  /** Appends one line at the current indentation. */
  line(text: string): void {
    this._lines.push('  '.repeat(this._depth) + text);
  }

  /** Appends a line that opens a block and indents what follows. */
  open(text: string): void {
    this.line(text);
    this._depth++;
  }

  /** Closes the innermost block. */
  close(text = '}'): void {
    this._depth--;
    this.line(text);
  }

  /** The generated source, for debugging. */
  source(name: string, params: string): string {
    return `'use strict';\nreturn function ${name}(${params}) {\n${this._lines.join('\n')}\n};`;
  }

  /**
   * Compiles the function.
   * @throws NetError `NET_ERR_UNSUPPORTED` where code generation from strings is disabled
   */
  compile<T>(name: string, params: string): T {
    let factory: (...args: unknown[]) => T;
    try {
      factory = new Function('S', ...this._names, this.source(name, params)) as (...args: unknown[]) => T;
    } catch (error) {
      throw new NetError(
        ErrorCode.UNSUPPORTED,
        'structCodec compiles layouts with new Function, which this runtime refuses',
        {
          cause: error,
        },
      );
    }
    return factory(Object.freeze(this._sites), ...this._values);
  }
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `object.name` or `object["na-me"]`: a property read with a constant key. */
export function prop(object: string, name: string): string {
  return IDENTIFIER.test(name) ? `${object}.${name}` : `${object}[${JSON.stringify(name)}]`;
}

/** A property key for an object literal. */
export function key(name: string): string {
  return IDENTIFIER.test(name) ? name : JSON.stringify(name);
}

/** The property path of a field inside `parent` (`''` is the message itself). */
export function childPath(parent: string, name: string): string {
  return parent === '' ? name : `${parent}.${name}`;
}

/** `base + offset` as source, without the `+ 0`. */
export function plus(base: string, offset: number): string {
  return offset === 0 ? base : `${base} + ${offset}`;
}

/** The union variants chosen on the way to one concrete message shape. */
export type Chosen = ReadonlyMap<UnionLayout, UnionCase>;

/**
 * Bytes `field` takes once every variable union on the way has been resolved to the variant in
 * `chosen`; a trailing {@link bytesRest} counts 0.
 */
export function fixedSize(field: Field, chosen: Chosen): number {
  switch (field.kind) {
    case 'struct': {
      let size = 0;
      for (const [, child] of (field as StructLayout).entries) size += fixedSize(child, chosen);
      return size;
    }
    case 'union': {
      const picked = chosen.get(field as UnionLayout);
      return picked === undefined ? field.size : 1 + fixedSize(picked.layout, chosen);
    }
    case 'rest':
      return 0;
    default:
      return field.size;
  }
}

/** The largest fixed size any message of `field` can have (a trailing {@link bytesRest} counts 0). */
export function maxFixedSize(field: Field): number {
  switch (field.kind) {
    case 'struct': {
      let size = 0;
      for (const [, child] of (field as StructLayout).entries) size += maxFixedSize(child);
      return size;
    }
    case 'union':
      return Math.max(...(field as UnionLayout).cases.map((c) => 1 + maxFixedSize(c.layout)));
    case 'rest':
      return 0;
    default:
      return field.size;
  }
}

/** Whether a struct or union (declaring `byteOrder` or inheriting `inherited`) is little-endian. */
export function isLittle(layout: StructLayout | UnionLayout, inherited: boolean): boolean {
  return layout.byteOrder === undefined ? inherited : layout.byteOrder === 'little';
}

/** The 8-byte halves of a u53/i53 field: offsets of the high and low 32 bits. */
export function halves(offset: number, little: boolean): { high: number; low: number } {
  return little ? { high: offset + 4, low: offset } : { high: offset, low: offset + 4 };
}

/** The little-endian argument of a DataView call: nothing for big-endian. */
export function endianArg(little: boolean): string {
  return little ? ', true' : '';
}

/** The tag of a union case as a source literal (`"A"` or `65`). */
export function tagLiteral(tag: string | number): string {
  return JSON.stringify(tag);
}
