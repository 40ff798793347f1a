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
  // Deno asks its user before a program reads the environment; a library must not make it ask.
  const permissions = (globalThis as { Deno?: { permissions?: { querySync?(query: object): { state: string } } } }).Deno
    ?.permissions;
  if (permissions?.querySync?.({ name: 'env', variable: SOCKET_PATH_VARIABLE }).state === 'prompt') return 'auto';
  try {
    return process.env[SOCKET_PATH_VARIABLE] ?? 'auto';
  } catch {
    // Deno refused to read the environment (--deny-env): the default, then.
    return 'auto';
  }
}

/** The runtime this runs on: only Node has the broker thread's path (WASI and libuv's handles). */
function runtime(): 'bun' | 'deno' | 'node' {
  if ((process.versions as Record<string, string | undefined>)['bun'] !== undefined) return 'bun';
  return denoFfi() === undefined ? 'node' : 'deno';
}

/** How each runtime's interface is loaded (a test gives its own). */
export interface LibcLoaders {
  bun(): Libc;
  deno(): Libc;
  /** `undefined` where Node has no usable `node:ffi`. */
  node(): Libc | undefined;
}

/** The interface a thread calls the C library through, or why there is none. */
export interface LibcChoice {
  readonly libc: Libc | undefined;
  readonly problem: string | undefined;
}

// eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- the Deno loader is only picked when running on Deno
const LOADERS: LibcLoaders = { bun: loadBunLibc, deno: () => loadDenoLibc(denoFfi()!), node: loadNodeLibc };

/**
 * Loads the interface of `host` unless `choice` rules it out. Whatever the loading does (a missing
 * symbol, a refused permission, a changed experimental API) ends here as a problem, never a crash:
 * the broker path is then taken, or the refusal explained. Synchronous, as every loader is: the
 * module runs it at its top level, where an `await` would make every importer's evaluation
 * asynchronous (see `loadBunLibc`).
 */
export function chooseLibc(
  host: 'bun' | 'deno' | 'node',
  choice: string,
  platform: string,
  loaders: LibcLoaders,
): LibcChoice {
  if (choice === 'broker' || !CHOICES.includes(choice)) return { libc: undefined, problem: undefined };
  if (platform !== 'linux') return { libc: undefined, problem: 'the C library calls are declared for Linux only' };
  try {
    const loaded = host === 'bun' ? loaders.bun() : host === 'deno' ? loaders.deno() : loaders.node();
    return {
      libc: loaded,
      problem: loaded === undefined ? 'this Node has no node:ffi (Node 26 and later have it)' : undefined,
    };
  } catch (error) {
    return { libc: undefined, problem: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

const choice = readChoice();
const host = runtime();
const chosen = chooseLibc(host, choice, process.platform, LOADERS);
const problem = chosen.problem;

/** The C library's calls on this runtime, or `undefined` where the broker thread is the path. */
export const libc: Libc | undefined = chosen.libc;

/**
 * Throws unless the socket path chosen through {@link SOCKET_PATH_VARIABLE} can be taken.
 * @throws NetError `NET_ERR_INVALID_ARGUMENT` for a value that is not a {@link SocketPathChoice};
 *   `NET_ERR_UNSUPPORTED` for `ffi` where the interface could not be loaded, and on Bun and Deno
 *   when it could not (they have no broker path)
 */
export function checkSocketPathChoice(): void {
  if (!CHOICES.includes(choice)) {
    throw new NetError(
      ErrorCode.INVALID_ARGUMENT,
      `${SOCKET_PATH_VARIABLE}=${JSON.stringify(choice)}: expected one of ${CHOICES.join(', ')}`,
    );
  }
  if (choice === 'ffi' && libc === undefined) {
    throw new NetError(
      ErrorCode.UNSUPPORTED,
      `${SOCKET_PATH_VARIABLE}=ffi, but the C library cannot be called here: ${problem ?? 'no foreign function interface'}`,
    );
  }
  if (host !== 'node' && libc === undefined) {
    const hint = host === 'deno' ? ' (run Deno with --allow-ffi)' : '';
    throw new NetError(
      ErrorCode.UNSUPPORTED,
      `the synchronous flavours on ${host} call the C library, which cannot be called here${hint}: ${problem ?? `${SOCKET_PATH_VARIABLE}=${choice}`}`,
    );
  }
}

/** Why {@link libc} is `undefined` on a runtime where an interface was tried, if it is. */
export function libcLoadProblem(): string | undefined {
  return problem;
}
