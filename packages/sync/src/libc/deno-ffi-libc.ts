import { BufferAddresses } from './buffer-addresses.js';
import { LIBC_PATH, LIBC_SIGNATURES, type Libc, type LibcArgument, type LibcCalls } from './libc-calls.js';

// The subset of Deno's FFI used here; the project builds without Deno's types.
interface DenoFfi {
  dlopen(
    path: string,
    symbols: Record<string, { parameters: string[]; result: string }>,
  ): { symbols: Record<string, (...args: number[]) => unknown> };
  UnsafePointer: { of(buffer: ArrayBufferLike): object | null; value(pointer: object | null): number | bigint };
  UnsafePointerView: new (pointer: object) => { getInt32(offset?: number): number };
}

// Pointers and sizes as `usize`: `pointer` would want a pointer object for every call. The calls
// made per message pass them as BigInts the caller keeps (`bigIntArguments`): V8 compiles a call
// to a `usize` symbol into one that checks for a BigInt, so a number there makes the optimized
// caller deoptimize, get optimized again and deoptimize again, hundreds of times over a run, and
// the frames it leaves behind are garbage (10-20 bytes per round trip on average).
const DENO_TYPES: Readonly<Record<LibcArgument, string>> = { int: 'i32', pointer: 'usize', size: 'usize' };

/** Deno's FFI namespace, where the program runs on Deno. */
export function denoFfi(): DenoFfi | undefined {
  const deno = (globalThis as { Deno?: Partial<DenoFfi> }).Deno;
  return typeof deno?.dlopen === 'function' ? (deno as DenoFfi) : undefined;
}

/**
 * The C library through `Deno.dlopen` (an empty `recv` in about 400 ns here). Deno asks for the
 * permission: without `--allow-ffi` this throws Deno's `NotCapable`, and the caller says so.
 */
export function loadDenoLibc(ffi: DenoFfi): Libc {
  const declared: Record<string, { parameters: string[]; result: string }> = {};
  for (const [name, args] of Object.entries(LIBC_SIGNATURES))
    declared[name] = { parameters: args.map((arg) => DENO_TYPES[arg]), result: 'i32' };
  declared['__errno_location'] = { parameters: [], result: 'pointer' };
  const symbols = ffi.dlopen(LIBC_PATH, declared).symbols;
  const errnoView = new ffi.UnsafePointerView((symbols['__errno_location'] as () => object)());
  const addresses = new BufferAddresses((buffer) => Number(ffi.UnsafePointer.value(ffi.UnsafePointer.of(buffer))));
  return {
    calls: symbols as unknown as LibcCalls,
    pointer: (view, offset) => addresses.of(view, offset),
    errno: () => errnoView.getInt32(),
    name: 'deno:ffi',
    bigIntArguments: true,
  };
}
