/**
 * Recipes: how a codec, a framer or a protocol was made, in a form that crosses threads.
 *
 * A synchronous flavour under test runs in a thread of its own (it parks or spins that thread),
 * while the scenario runs in the suite's thread and builds its options there. Codecs, framers and
 * protocols are objects with methods, which `postMessage` cannot carry; so every factory a
 * scenario uses is wrapped with {@link remotable}, which remembers the factory's name and
 * arguments on the object it returns. The host thread runs the same factory with the same
 * arguments and gets an equal object.
 *
 * A function passed as an argument (a protocol hook that reports what it saw back to the scenario)
 * becomes a numbered stub on the far side: calling it there posts the arguments home, where the
 * real function runs.
 */

/** A value as it crosses to the host: plain data, a nested recipe, or a reporting stub. */
export type WireValue =
  | null
  | boolean
  | number
  | string
  | undefined
  | Uint8Array
  | readonly WireValue[]
  | { readonly $recipe: string; readonly args: readonly WireValue[] }
  | { readonly $report: number }
  | { readonly [key: string]: WireValue };

/** The factory's name and arguments behind an object made by a {@link remotable} factory. */
interface Recipe {
  readonly name: string;
  readonly args: readonly unknown[];
}

// Factories are registered in both threads by importing the same modules, so a name means the
// same factory on either side.
const factories = new Map<string, (...args: never[]) => unknown>();
const made = new WeakMap<object, Recipe>();

/**
 * Wraps `factory` so that what it returns remembers how it was made. `name` must be unique among
 * remotable factories; it is how the host thread finds the factory again.
 */
export function remotable<A extends unknown[], R extends object>(
  name: string,
  factory: (...args: A) => R,
): (...args: A) => R {
  if (factories.has(name)) throw new Error(`remotable factory '${name}' is registered twice`);
  factories.set(name, factory);
  return (...args: A): R => {
    const value = factory(...args);
    made.set(value, { name, args });
    return value;
  };
}

/** Registers a constant (a struct field type such as `u32`) so it can appear in arguments. */
export function remotableConstant<T extends object>(name: string, value: T): T {
  remotable(name, () => value);
  made.set(value, { name, args: [] });
  return value;
}

/** True when `value` was made by a remotable factory. */
export function hasRecipe(value: unknown): boolean {
  return typeof value === 'object' && value !== null && made.has(value);
}

/**
 * The wire form of `value`. Functions are replaced by stubs numbered through `registerReport`,
 * which keeps the real function for when the stub is called on the far side.
 * @throws Error when `value` holds an object not made by a remotable factory (it could not be rebuilt)
 */
export function toWire(
  value: unknown,
  registerReport: (fn: (...args: unknown[]) => void) => number,
  path = 'value',
): WireValue {
  if (
    value === null ||
    value === undefined ||
    typeof value === 'boolean' ||
    typeof value === 'number' ||
    typeof value === 'string'
  )
    return value;
  if (typeof value === 'function') return { $report: registerReport(value as (...args: unknown[]) => void) };
  if (value instanceof Uint8Array) return value;
  if (typeof value !== 'object') throw new Error(`${path}: a ${typeof value} cannot cross to the host thread`);
  const recipe = made.get(value);
  if (recipe !== undefined)
    return {
      $recipe: recipe.name,
      args: recipe.args.map((arg, i) => toWire(arg, registerReport, `${path}.${recipe.name}[${i}]`)),
    };
  if (Array.isArray(value)) return value.map((item, i) => toWire(item, registerReport, `${path}[${i}]`));
  if (Object.getPrototypeOf(value) !== Object.prototype) {
    throw new Error(
      `${path}: an object made without a remotable factory cannot cross to the host thread; build it with the factories in recipes/`,
    );
  }
  const out: Record<string, WireValue> = {};
  for (const [key, item] of Object.entries(value)) out[key] = toWire(item, registerReport, `${path}.${key}`);
  return out;
}

/** Rebuilds a value from its wire form; a reporting stub calls `report(id, args)`. */
export function fromWire(wire: WireValue, report: (id: number, args: unknown[]) => void): unknown {
  if (wire === null || typeof wire !== 'object' || wire instanceof Uint8Array) return wire;
  if (Array.isArray(wire)) return wire.map((item: WireValue) => fromWire(item, report));
  if ('$report' in wire && typeof wire.$report === 'number') {
    const id = wire.$report;
    return (...args: unknown[]) => report(id, args);
  }
  if ('$recipe' in wire && typeof wire.$recipe === 'string') {
    const factory = factories.get(wire.$recipe);
    if (factory === undefined) throw new Error(`no remotable factory '${wire.$recipe}' in the host thread`);
    const args = (wire.args as readonly WireValue[]).map((arg) => fromWire(arg, report));
    return (factory as (...args: unknown[]) => unknown)(...args);
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(wire as Record<string, WireValue>)) out[key] = fromWire(item, report);
  return out;
}
