import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConId } from '../connection/con-id.js';
import { ErrorCode } from '../errors/error-codes.js';
import { NetError } from '../errors/net-error.js';
import { CounterCallback } from './counter-callback.js';

const conId = new ConId('initiator', 'clt');

describe('CounterCallback', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('counts 1000 sends and 1000 receives', () => {
    const counter = new CounterCallback<number, number>();
    for (let i = 0; i < 1000; i++) {
      counter.onSent(conId, i);
      counter.onRecv(conId, i);
    }
    expect(counter.sentCount).toBe(1000);
    expect(counter.recvCount).toBe(1000);
    expect(counter.toString()).toBe('CounterCallback<sent: 1000, recv: 1000>');
  });

  it('counts connection events separately', () => {
    const counter = new CounterCallback();
    counter.onConnected(conId);
    counter.onConnected(conId);
    counter.onDisconnected(conId, undefined);
    counter.onRejected(conId, new NetError(ErrorCode.REJECTED, 'full'));
    expect([counter.connectedCount, counter.disconnectedCount, counter.rejectedCount]).toEqual([2, 1, 1]);
    expect([counter.sentCount, counter.recvCount]).toEqual([0, 0]);
  });

  it('resolves waitForRecvCount on the event that reaches the target and clears its timer', async () => {
    vi.useFakeTimers();
    const counter = new CounterCallback();
    const waiting = counter.waitForRecvCount(3, 1000);
    let settled = false;
    void waiting.then(() => (settled = true));
    counter.onRecv(conId, 'a');
    counter.onRecv(conId, 'b');
    await Promise.resolve();
    expect(settled).toBe(false);
    expect(vi.getTimerCount()).toBe(1);
    counter.onRecv(conId, 'c');
    await expect(waiting).resolves.toBe(3);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('resolves at once when the count is already reached', async () => {
    const counter = new CounterCallback();
    counter.onSent(conId, 'a');
    counter.onSent(conId, 'b');
    await expect(counter.waitForSentCount(2, 0)).resolves.toBe(2);
  });

  it('resolves several waiters with different targets as the count passes each', async () => {
    const counter = new CounterCallback();
    const order: number[] = [];
    const two = counter.waitForSentCount(2, 10_000).then((n) => order.push(n));
    const one = counter.waitForSentCount(1, 10_000).then((n) => order.push(n));
    counter.onSent(conId, 'a');
    await one;
    expect(order).toEqual([1]);
    counter.onSent(conId, 'b');
    await two;
    expect(order).toEqual([1, 2]);
  });

  // Needs the runner's async fake-timer advance (vitest has it; Bun's test runner, which runs these suites on Bun, does not).
  it.skipIf(typeof vi.advanceTimersByTimeAsync !== 'function')(
    'rejects with NET_ERR_TIMEOUT when the count is not reached in time',
    async () => {
      vi.useFakeTimers();
      const counter = new CounterCallback();
      const waiting = counter.waitForRecvCount(5, 100);
      const outcome = waiting.catch((error: unknown) => error);
      counter.onRecv(conId, 'only one');
      await vi.advanceTimersByTimeAsync(100);
      const error = await outcome;
      expect(NetError.hasCode(error, ErrorCode.TIMEOUT)).toBe(true);
      expect((error as NetError).details).toEqual({ counter: 'recv', atLeast: 5, reached: 1, timeoutMs: 100 });
      // A late event after the timeout must not disturb anything.
      for (let i = 0; i < 5; i++) counter.onRecv(conId, i);
      expect(counter.recvCount).toBe(6);
    },
  );

  it('refuses bad arguments with NET_ERR_INVALID_ARGUMENT', async () => {
    const counter = new CounterCallback();
    await expect(counter.waitForRecvCount(Number.NaN, 10)).rejects.toMatchObject({ code: ErrorCode.INVALID_ARGUMENT });
    await expect(counter.waitForSentCount(1, -1)).rejects.toMatchObject({ code: ErrorCode.INVALID_ARGUMENT });
  });
});
