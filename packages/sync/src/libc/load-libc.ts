import { ErrorCode, NetError } from '@net/core';
import { loadBunLibc } from './bun-ffi-libc.js';
import { denoFfi, loadDenoLibc } from './deno-ffi-libc.js';
import type { Libc } from './libc-calls.js';
import { loadNodeLibc } from './node-ffi-libc.js';

/**
 * Which socket path the synchronous flavours take, from the environment variable
 * {@link SOCKET_PATH_VARIABLE}: `auto` (the default) calls the C library where the runtime has a
 * foreign function interface and uses the broker thread elsewhere; `ffi` insists on the interface;
 * `broker` insists on the broker thread (Node only).
 */
export type SocketPathChoice = 'auto' | 'ffi' | 'broker';

/** The environment variable that chooses the socket path; see {@link SocketPathChoice}. */
export const SOCKET_PATH_VARIABLE = 'NET_SYNC_SOCKETS';

const CHOICES: readonly string[] = ['auto', 'ffi', 'broker'];

function readChoice(): string {
  try {
    return process.env[SOCKET_PATH_VARIABLE] ?? 'auto';
  } catch {
    // Deno without --allow-env refuses to read the environment: the default, then.
    return 'auto';
  }
}

/** The runtime this runs on: only Node has the broker thread's path (WASI and libuv's handles). */
function runtime(): 'bun' | 'deno' | 'node' {
  if ((process.versions as Record<string, string | undefined>)['bun'] !== undefined) return 'bun';
  return denoFfi() === undefined ? 'node' : 'deno';
}

const choice = readChoice();
const host = runtime();
let problem: string | undefined;

async function load(): Promise<Libc | undefined> {
  if (choice === 'broker' || !CHOICES.includes(choice)) return undefined;
  if (process.platform !== 'linux') {
    problem = 'the C library calls are declared for Linux only';
    return undefined;
  }
  if (host === 'bun') return loadBunLibc();
  if (host === 'deno') return loadDenoLibc(denoFfi()!);
  const node = loadNodeLibc();
  if (node === undefined) problem = 'this Node has no node:ffi (Node 26 and later have it)';
  return node;
}

/** The C library's calls on this runtime, or `undefined` where the broker thread is the path. */
export const libc: Libc | undefined = await load().catch((error: unknown) => {
  // An interface that refuses (no permission, no C library to open, a changed experimental API):
  // the broker path is tried, and a program that insisted on the interface hears why.
  problem = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return undefined;
});

/**
 * Throws unless the socket path chosen through {@link SOCKET_PATH_VARIABLE} can be taken.
 * @throws NetError `NET_ERR_INVALID_ARGUMENT` for a value that is not a {@link SocketPathChoice};
 *   `NET_ERR_UNSUPPORTED` for `ffi` where the interface could not be loaded, and on Bun and Deno
 *   when it could not (they have no broker path)
 */
export function checkSocketPathChoice(): void {
  if (!CHOICES.includes(choice)) {
    throw new NetError(ErrorCode.INVALID_ARGUMENT, `${SOCKET_PATH_VARIABLE}=${JSON.stringify(choice)}: expected one of ${CHOICES.join(', ')}`);
  }
  if (choice === 'ffi' && libc === undefined) {
    throw new NetError(ErrorCode.UNSUPPORTED, `${SOCKET_PATH_VARIABLE}=ffi, but the C library cannot be called here: ${problem ?? 'no foreign function interface'}`);
  }
  if (host !== 'node' && libc === undefined) {
    const hint = host === 'deno' ? ' (run Deno with --allow-ffi)' : '';
    throw new NetError(ErrorCode.UNSUPPORTED, `the synchronous flavours on ${host} call the C library, which cannot be called here${hint}: ${problem ?? `${SOCKET_PATH_VARIABLE}=${choice}`}`);
  }
}

/** Why {@link libc} is `undefined` on a runtime where an interface was tried, if it is. */
export function libcLoadProblem(): string | undefined {
  return problem;
}
