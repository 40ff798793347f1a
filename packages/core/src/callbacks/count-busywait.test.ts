import { describe, expect, it } from 'vitest';
import { ConId } from '../connection/con-id.js';
import { ErrorCode } from '../errors/error-codes.js';
import { countBusywaitTimeout } from './count-busywait.js';
import { CounterCallback } from './counter-callback.js';

const conId = new ConId('initiator', 'clt');

describe('countBusywaitTimeout', () => {
  it('refuses a NaN or negative timeout with NET_ERR_INVALID_ARGUMENT', () => {
    const counter = new CounterCallback();
    expect(() => countBusywaitTimeout(() => counter.recvCount, 1, Number.NaN)).toThrow(
      expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT }),
    );
    expect(() => countBusywaitTimeout(() => counter.recvCount, 1, -1)).toThrow(
      expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT }),
    );
  });

  it('busy-waits, calling poll on each turn, until the count is reached', () => {
    const counter = new CounterCallback();
    let polls = 0;
    const reached = countBusywaitTimeout(
      () => counter.recvCount,
      10,
      60_000,
      () => {
        polls++;
        counter.onRecv(conId, polls);
      },
    );
    expect(reached).toBe(10);
    expect(polls).toBe(10);
  });

  it('busy-waits until the timeout and returns the count reached when short', () => {
    const counter = new CounterCallback();
    counter.onSent(conId, 'a');
    let polls = 0;
    const started = performance.now();
    const reached = countBusywaitTimeout(
      () => counter.sentCount,
      2,
      5,
      () => polls++,
    );
    expect(reached).toBe(1);
    expect(polls).toBeGreaterThan(0);
    expect(performance.now() - started).toBeGreaterThanOrEqual(5);
  });
});
