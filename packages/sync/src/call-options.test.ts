import { describe, expect, it } from 'vitest';
import { ErrorCode, NetError } from '@net/core';
import { deadlineAfter, deadlineOf, isPast, ONE_ATTEMPT, timedOut } from './call-options.js';

describe('call options', () => {
  it('turn a timeout of 0, given or by default, into one attempt that never reads the clock', () => {
    expect(deadlineOf({ timeout: 0 }, Infinity)).toBe(ONE_ATTEMPT);
    expect(deadlineOf(undefined, 0)).toBe(ONE_ATTEMPT);
    expect(deadlineOf({}, 0)).toBe(ONE_ATTEMPT);
    expect(isPast(ONE_ATTEMPT)).toBe(true);
  });

  it('turn Infinity, given or by default, into no bound', () => {
    expect(deadlineOf(undefined, Infinity)).toBe(Infinity);
    expect(deadlineOf({ timeout: Infinity }, 0)).toBe(Infinity);
    expect(isPast(Infinity)).toBe(false);
  });

  it('put a positive timeout that far from now, and a flavour default never overrides a given timeout', () => {
    const before = performance.now();
    const deadline = deadlineOf({ timeout: 60_000 }, 0);
    expect(deadline).toBeGreaterThanOrEqual(before + 60_000);
    expect(deadline).toBeLessThanOrEqual(performance.now() + 60_000);
    expect(isPast(deadline)).toBe(false);
    expect(isPast(performance.now() - 1)).toBe(true);
  });

  it('refuse a timeout that is negative, not a number, or NaN with NET_ERR_INVALID_ARGUMENT', () => {
    for (const timeout of [-1, -Infinity, Number.NaN, '10', true]) {
      expect(() => deadlineOf({ timeout: timeout as number }, 0), String(timeout)).toThrow(
        expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT }),
      );
    }
  });

  it("give a timeout passed as a number (links' ...BusywaitTimeout names) the same deadline and the same refusals", () => {
    expect(deadlineAfter(0)).toBe(ONE_ATTEMPT);
    expect(deadlineAfter(Infinity)).toBe(Infinity);
    expect(deadlineAfter(60_000)).toBeGreaterThan(performance.now() + 59_000);
    expect(() => deadlineAfter(-5)).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT }));
  });

  it('name a timed-out call NET_ERR_TIMEOUT with the timeout in its details', () => {
    const error = timedOut('recv', { timeout: 25 });
    expect(error).toBeInstanceOf(NetError);
    expect(error).toMatchObject({ code: ErrorCode.TIMEOUT, details: { timeoutMs: 25 } });
    expect(error.message).toContain('recv');
  });
});
