import { LibcSocketHost } from '../libc/libc-socket-host.js';
import type { SocketHost } from '../socket-host.js';

/**
 * Before a thread on the C-library path ends: closes the descriptors its host is still closing
 * gracefully (FIN sent, the peer's end awaited), without waiting for the peers. A thread's host has
 * no one else to finish them once it ended, so each would stay open for the life of the process;
 * and a peer that keeps its side open (idle, or a thread parked in the very `close()` waiting for
 * this one) would hold the thread's end until the linger ran out. What the peer sent is read and
 * dropped first, so nothing already written is lost to a reset (see `ClosingSockets.finishAll`).
 */
export function settleHost(host: SocketHost): void {
  if (host instanceof LibcSocketHost) host.finishClosing();
}
