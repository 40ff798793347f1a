import { ErrorCode, NetError } from '@net/core';

/** A named test a returned value must pass, for values that do not compare by equality (ids, halves). */
export interface Check {
  readonly label: string;
  readonly test: (value: unknown) => boolean;
}

/** What one call on a closed object must give. */
export type Outcome =
  | { readonly kind: 'throws' | 'rejects'; readonly code: string }
  | { readonly kind: 'returns' | 'resolves'; readonly value?: unknown; readonly check?: Check };

/** One row of a table: how to make the call on the object, and what it must give. */
export interface Case<T> {
  readonly call: (target: T) => unknown;
  readonly expect: Outcome;
}

/**
 * One row for every public member of `T`, symbols (iterators, disposers) included: a call left
 * out of a table is a type error, so a new call cannot go untested.
 */
export type CallTable<T> = { readonly [K in keyof T]-?: Case<T> };

/** `NET_ERR_CLOSED`, thrown at once or as a rejected promise. */
export function closed(kind: 'throws' | 'rejects'): Outcome {
  return { kind, code: ErrorCode.CLOSED };
}

/** Returns `value` (compared deeply), or a value that passes `check`. */
export function returns(value: unknown): Outcome {
  return value instanceof NamedCheck ? { kind: 'returns', check: value } : { kind: 'returns', value };
}

/** Returns a promise that resolves with `value` (compared deeply), or a value that passes `check`. */
export function resolves(value: unknown): Outcome {
  return value instanceof NamedCheck ? { kind: 'resolves', check: value } : { kind: 'resolves', value };
}

class NamedCheck implements Check {
  constructor(
    readonly label: string,
    readonly test: (value: unknown) => boolean,
  ) {}
}

/** A check for {@link returns} or {@link resolves}, shown in a failure as `label`. */
export function satisfies<T>(label: string, test: (value: T) => boolean): Check {
  return new NamedCheck(label, test as (value: unknown) => boolean);
}

/** The keys of a table, symbols included. */
export function caseKeys<T>(table: CallTable<T>): (keyof T)[] {
  return Reflect.ownKeys(table) as (keyof T)[];
}

/** The outcome as the text the observed outcome is compared with. */
export function describeOutcome(outcome: Outcome): string {
  if ('code' in outcome) return `${outcome.kind} ${outcome.code}`;
  return `${outcome.kind} ${outcome.check !== undefined ? outcome.check.label : describeValue(outcome.value)}`;
}

/** A value as text: `END_OF_STREAM` is `undefined`; statuses are symbols; plain data as JSON. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'symbol') return value.toString();
  if (value instanceof Promise) return 'a Promise';
  if (Array.isArray(value)) return `[${value.map(describeValue).join(', ')}]`;
  if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) !== Object.prototype)
    return `a ${value.constructor.name}`;
  if (typeof value === 'object' && value !== null) {
    return `{ ${Object.entries(value)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, field]) => `${key}: ${describeValue(field)}`)
      .join(', ')} }`;
  }
  return JSON.stringify(value);
}

// A promise still pending after this long would never settle: the call hangs on a closed object.
const SETTLE_BOUND_MS = 10_000;

/**
 * Makes `call` and describes what it did in the words of {@link describeOutcome}: threw or
 * returned, and for a promise rejected or resolved, with the code or the value (as `expected`'s
 * check labels it when the value passes that check).
 */
export async function observe(call: () => unknown, expected: Outcome): Promise<string> {
  const describe = (value: unknown): string => {
    const check = 'check' in expected ? expected.check : undefined;
    return check !== undefined && check.test(value) ? check.label : describeValue(value);
  };
  let value: unknown;
  try {
    value = call();
  } catch (error) {
    return `throws ${codeOf(error)}`;
  }
  if (!(value instanceof Promise)) return `returns ${describe(value)}`;
  let bound: ReturnType<typeof setTimeout> | undefined;
  const pending = new Promise<string>(
    (resolve) => (bound = setTimeout(() => resolve('still pending'), SETTLE_BOUND_MS)),
  );
  try {
    return await Promise.race([
      value.then(
        (settled) => `resolves ${describe(settled)}`,
        (error: unknown) => `rejects ${codeOf(error)}`,
      ),
      pending,
    ]);
  } finally {
    clearTimeout(bound);
  }
}

function codeOf(error: unknown): string {
  return NetError.isNetError(error) ? error.code : `a non-NetError: ${String(error)}`;
}
