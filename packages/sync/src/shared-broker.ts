import { checkSocketPathChoice, libc } from './libc/load-libc.js';
import { LibcSocketHost } from './libc/libc-socket-host.js';
import { libcSockets } from './libc/libc-sockets.js';
import { SocketBroker } from './socket-broker.js';
import type { SocketHost } from './socket-host.js';

let shared: SocketBroker | undefined;
let direct: LibcSocketHost | undefined;

/**
 * This thread's socket host. Where the runtime calls the C library directly, one that runs on
 * this thread; otherwise the broker thread, started on first use, and again when the last one has
 * stopped (its connections are gone with it; new ones go through the new broker).
 */
export function socketBroker(): SocketHost {
  checkSocketPathChoice();
  const sockets = libcSockets();
  if (sockets !== undefined) return (direct ??= new LibcSocketHost(sockets));
  if (shared === undefined || shared.checkStopped()) shared = new SocketBroker();
  return shared;
}

/**
 * Which path this thread's sockets take: `broker` (a worker thread, Node) or the C library's
 * interface (`bun:ffi`, `node:ffi`, `deno:ffi`).
 */
export function socketHostKind(): 'broker' | string {
  return libc === undefined ? 'broker' : libc.name;
}
