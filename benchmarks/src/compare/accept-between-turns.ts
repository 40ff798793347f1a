import { setImmediate as nextTurn } from 'node:timers/promises';
import { ErrorCode, NetError } from '@net/core';

/**
 * How long one synchronous accept of a comparison server waits before the event loop gets a turn.
 * A synchronous accept never returns to the event loop by itself, so a SIGTERM handler (which
 * peer.ts installs) would never run while a server waits for a client that never comes.
 */
export const ACCEPT_SLICE_MS = 100;

/**
 * Calls `attempt` (an accept bounded by {@link ACCEPT_SLICE_MS}, `undefined` when nothing came)
 * until it gives a connection or `limitMs` passes (then `undefined`), letting the event loop run
 * between attempts so that signals are handled while the server waits.
 */
export async function acceptBetweenTurns<T>(attempt: () => T | undefined, limitMs = Infinity): Promise<T | undefined> {
  const deadline = performance.now() + limitMs;
  for (;;) {
    const accepted = attempt();
    if (accepted !== undefined) return accepted;
    if (performance.now() >= deadline) return undefined;
    await nextTurn();
  }
}

/** `undefined` for a blocking accept's time-out, so that {@link acceptBetweenTurns} tries again. */
export function unlessTimedOut<T>(accept: () => T): T | undefined {
  try {
    return accept();
  } catch (error) {
    if (error instanceof NetError && error.code === ErrorCode.TIMEOUT) return undefined;
    throw error;
  }
}
