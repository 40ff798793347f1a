import { END_OF_STREAM, WOULD_BLOCK } from '@net/core';

export { END_OF_STREAM, WOULD_BLOCK };
// A registered symbol, named for this package: both synchronous flavours re-export it, and
// duplicate installs of this package still share one value.
/** An accept found a connection but refused it (over `maxConnections`, or its handshake failed). */
export const REJECTED: unique symbol = Symbol.for('@net/sync.REJECTED');

/** The outcome of a send: the whole frame was written, or none of it could be (links' WouldBlock). */
export type SendStatus = 'completed' | 'wouldBlock';

/** The outcome of a receive: a message, {@link WOULD_BLOCK}, or {@link END_OF_STREAM} (`undefined`) once the peer closed cleanly. */
export type RecvResult<Recv> = Recv | typeof WOULD_BLOCK | typeof END_OF_STREAM;

export type { Received } from '@net/core';

/** The outcome of an accept: the connection, {@link REJECTED} or {@link WOULD_BLOCK}. */
export type AcceptResult<C> = C | typeof REJECTED | typeof WOULD_BLOCK;

/**
 * How a busy-wait waits between attempts. `'spin'` never gives up the core (lowest latency, one
 * core at 100 %); `'spin-yield'` spins a while, then lets the kernel run something else between
 * attempts; `'spin-park'` spins a while, then parks for growing moments up to 1 ms (least CPU,
 * adds up to a millisecond of latency once idle).
 */
export type IdleStrategy = 'spin' | 'spin-yield' | 'spin-park';

const SPINS_BEFORE_BACKING_OFF = 1_000;
const parkCell = new Int32Array(new SharedArrayBuffer(4));

/** One waiting step of an idle strategy; `attempt` counts the failed attempts so far. */
export function idleStep(strategy: IdleStrategy, attempt: number): void {
  if (strategy === 'spin' || attempt < SPINS_BEFORE_BACKING_OFF) return;
  if (strategy === 'spin-yield') {
    Atomics.wait(parkCell, 0, 0, 0);
    return;
  }
  const over = attempt - SPINS_BEFORE_BACKING_OFF;
  Atomics.wait(parkCell, 0, 0, Math.min(1, 0.01 * (1 + over)));
}

/** Parks the calling thread for `ms` (a pause between connect attempts, say); wakes for nothing else. */
export function parkFor(ms: number): void {
  if (ms > 0) Atomics.wait(parkCell, 0, 0, ms);
}
