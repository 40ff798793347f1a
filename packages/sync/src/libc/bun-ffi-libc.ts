import { createRequire } from 'node:module';
import { LIBC_PATH, LIBC_SIGNATURES, type Libc, type LibcArgument, type LibcCalls } from './libc-calls.js';

// The subset of `bun:ffi` used here; the project builds without Bun's types.
interface BunFfi {
  dlopen(
    path: string,
    symbols: Record<string, { args: string[]; returns: string }>,
  ): { symbols: Record<string, (...args: number[]) => number> };
  ptr(view: ArrayBufferView, byteOffset?: number): number;
  read: { i32(pointer: number, byteOffset?: number): number };
}

const BUN_TYPES: Readonly<Record<LibcArgument, string>> = { int: 'i32', pointer: 'ptr', size: 'u64' };

/**
 * The C library through Bun's `bun:ffi`: the fastest of the interfaces (an empty `recv` in about
 * 350 ns here), since Bun compiles each call to a direct one and `ptr` is an intrinsic.
 *
 * Loaded synchronously: an `await import()` here would be a top-level await in the module that
 * loads it, which makes every module importing the package evaluate asynchronously, on Node and
 * Deno too. Node 22 to 26 can then abort the whole process when a worker is terminated while the
 * module graph finishes (a fatal V8 check in `AsyncModuleExecutionFulfilled`).
 */
export function loadBunLibc(): Libc {
  const ffi = bunFfi();
  const declared: Record<string, { args: string[]; returns: string }> = {};
  for (const [name, args] of Object.entries(LIBC_SIGNATURES))
    declared[name] = { args: args.map((arg) => BUN_TYPES[arg]), returns: 'i32' };
  declared['__errno_location'] = { args: [], returns: 'ptr' };
  const symbols = ffi.dlopen(LIBC_PATH, declared).symbols;
  // errno lives in thread-local storage: its address is fixed for this thread, asked once.
  const errnoAddress = symbols['__errno_location']();
  return {
    calls: symbols as unknown as LibcCalls,
    pointer: (view, offset = 0) => ffi.ptr(view, offset),
    errno: () => ffi.read.i32(errnoAddress, 0),
    name: 'bun:ffi',
  };
}

/** `bun:ffi`, taken synchronously: through `process.getBuiltinModule` where Bun has it, else `require`. */
function bunFfi(): BunFfi {
  // A specifier in a variable: Node and the bundlers never try to resolve it.
  const specifier = 'bun:ffi';
  const builtin = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
  if (builtin !== undefined) return builtin.call(process, specifier) as BunFfi;
  return createRequire(import.meta.url)(specifier) as BunFfi;
}
