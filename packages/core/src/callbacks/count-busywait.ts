import { ErrorCode } from '../errors/error-codes.js';
import { NetError } from '../errors/net-error.js';

/**
 * For tests and benchmarks of the synchronous flavours: spins until `count()` is at least
 * `atLeast` or `timeoutMs` has passed, and returns the count reached (check it against
 * `atLeast`). Nothing else runs while it spins, so pass `poll` to drive the connections' I/O on
 * each turn. Read a `CounterCallback`'s `recvCount` or `sentCount`, for instance; the async
 * counterparts are `CounterCallback.waitForRecvCount` and `waitForSentCount`.
 * @param count reads the counter
 * @param atLeast the count to reach
 * @param timeoutMs how long to spin, in ms
 * @param poll called on each turn
 * @returns the count reached
 * @throws NetError `NET_ERR_INVALID_ARGUMENT` for a negative or NaN timeout, which would spin forever
 */
export function countBusywaitTimeout(
  count: () => number,
  atLeast: number,
  timeoutMs: number,
  poll?: () => void,
): number {
  if (typeof timeoutMs !== 'number' || Number.isNaN(timeoutMs) || timeoutMs < 0) {
    throw new NetError(ErrorCode.INVALID_ARGUMENT, `timeoutMs must be a number >= 0, got ${String(timeoutMs)}`);
  }
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const reached = count();
    if (reached >= atLeast || performance.now() >= deadline) return reached;
    poll?.();
  }
}
