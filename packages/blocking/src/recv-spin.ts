import { type RecvResult, WOULD_BLOCK } from '@net/sync';
import type { ResolvedSyncOptions, SyncConnection } from '@net/sync/internal';

/**
 * The times a spin works with, in `performance.now()` milliseconds: {@link SPIN_NOW} and
 * {@link SPIN_WAKE_AT} written by the receive that starts a spin, {@link SPIN_END} by the spin.
 *
 * Why a typed array: V8 keeps a double unboxed only inside one optimized frame. Handed to a call
 * that is not inlined, or returned from one, it becomes a new 16-byte heap number, one or two per
 * receive that spins (a young collection every million round trips or so). Written to and read
 * from a `Float64Array`, it stays a raw double. One array serves every connection of the thread:
 * the values are written just before the spin that reads them, and nothing runs in between.
 */
export const SPIN_TIMES = new Float64Array(3);
/** Index in {@link SPIN_TIMES}: the time the receive read this turn, or NaN when it read none. */
export const SPIN_NOW = 0;
/** Index in {@link SPIN_TIMES}: when the receive must wake (a deadline or a timer task), or Infinity. */
export const SPIN_WAKE_AT = 1;
/** Index in {@link SPIN_TIMES}: when the last spin was to end, the earlier of its end and the wake-up. */
export const SPIN_END = 2;

/**
 * Polls a non-blocking descriptor for up to `recvSpinMs` from {@link SPIN_NOW} (read here when
 * NaN), and never past {@link SPIN_WAKE_AT}: a message, the end of the stream, or `WOULD_BLOCK`.
 * Its end goes to {@link SPIN_END}; at or past the wake-up, the caller's deadline or timer task is due.
 */
export function spinRecv<Send, Recv>(
  connection: SyncConnection<Send, Recv>,
  resolved: ResolvedSyncOptions,
): RecvResult<Recv> {
  const times = SPIN_TIMES;
  const read = times[SPIN_NOW];
  const start = read === read ? read : performance.now();
  const until = Math.min(times[SPIN_WAKE_AT], start + resolved.recvSpinMs);
  times[SPIN_END] = until;
  for (;;) {
    const result = connection.recvOnce();
    if (result !== WOULD_BLOCK || performance.now() >= until) return result;
  }
}
