import { withoutNotice } from '../without-notice.js';
import { BufferAddresses } from './buffer-addresses.js';
import { LIBC_PATH, LIBC_SIGNATURES, type Libc, type LibcArgument, type LibcCalls } from './libc-calls.js';

// The subset of Node's `node:ffi` (Node 26, experimental) used here; @types/node does not have it yet.
interface NodeFfi {
  dlopen(
    path: string,
    symbols: Record<string, { arguments: string[]; return: string }>,
  ): { functions: Record<string, (...args: number[]) => unknown> };
  getRawPointer(buffer: ArrayBufferLike): bigint;
  getInt32(pointer: bigint): number;
}

// Pointers and sizes as 64-bit integers, given as numbers (Node makes a BigInt of each, per call)
// or, on the calls made per message, as BigInts kept by the caller (see `bigIntArguments`).
const NODE_TYPES: Readonly<Record<LibcArgument, string>> = { int: 'int32', pointer: 'uint64', size: 'uint64' };
const EXPERIMENTAL_NOTICE = /^FFI is an experimental feature/;

/** Node's own `node:ffi`, loaded without the notice Node prints when a program loads it. */
function nodeFfi(): NodeFfi | undefined {
  const getBuiltinModule = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
  if (getBuiltinModule === undefined) return undefined;
  return withoutNotice(EXPERIMENTAL_NOTICE, () => getBuiltinModule.call(process, 'node:ffi') as NodeFfi | undefined);
}

/**
 * The C library through Node's `node:ffi` (Node 26 on): an empty `recv` takes 550-650 ns through
 * it here, against about 1.8 µs through WASI. `undefined` where Node has no such module.
 */
export function loadNodeLibc(): Libc | undefined {
  return libcFromNodeFfi(nodeFfi());
}

/**
 * The C library through `ffi`, a `node:ffi` module; `undefined` when it is missing or its shape is
 * not the one this was written for (it is experimental and may change).
 * @throws Error from `dlopen` when the library or a symbol cannot be found
 */
export function libcFromNodeFfi(module: unknown): Libc | undefined {
  const ffi = module as Partial<NodeFfi> | undefined;
  if (
    typeof ffi?.dlopen !== 'function' ||
    typeof ffi.getRawPointer !== 'function' ||
    typeof ffi.getInt32 !== 'function'
  )
    return undefined;
  const declared: Record<string, { arguments: string[]; return: string }> = {};
  for (const [name, args] of Object.entries(LIBC_SIGNATURES))
    declared[name] = { arguments: args.map((arg) => NODE_TYPES[arg]), return: 'int32' };
  declared['__errno_location'] = { arguments: [], return: 'pointer' };
  const functions = ffi.dlopen(LIBC_PATH, declared).functions;
  const errnoAddress = (functions['__errno_location'] as () => bigint)();
  const getRawPointer = ffi.getRawPointer;
  const getInt32 = ffi.getInt32;
  const addresses = new BufferAddresses((buffer) => Number(getRawPointer(buffer)));
  return {
    calls: functions as unknown as LibcCalls,
    pointer: (view, offset) => addresses.of(view, offset),
    errno: () => getInt32(errnoAddress),
    name: 'node:ffi',
    bigIntArguments: true,
  };
}
