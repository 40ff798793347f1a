import { BROKER_LINGER_MS } from '../limits.js';
import type { SocketHost } from '../socket-host.js';

// How long one wait for a closing descriptor's peer lasts before the count is read again.
const SETTLE_STEP_MS = 10;

/**
 * Before a thread on the C-library path ends: waits until the descriptors its host is still
 * closing gracefully (FIN sent, the peer's end awaited) are closed, at most `BROKER_LINGER_MS`
 * (then they are cut off). A thread's host has no one else to finish them once it ended, so each
 * would stay open for the life of the process.
 */
export function settleHost(host: SocketHost): void {
  const deadline = performance.now() + BROKER_LINGER_MS + SETTLE_STEP_MS;
  while (host.stats().sockets > 0 && performance.now() < deadline) {
    host.waitForEvent(host.eventCount, SETTLE_STEP_MS);
  }
}
