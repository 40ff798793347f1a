import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../errors/error-codes.js';
import { checkTimeout } from './check-timeout.js';

describe('checkTimeout', () => {
  it('takes 0, any finite number above it and Infinity, as they are', () => {
    for (const value of [0, 0.5, 1, 1_000, 2 ** 40, Infinity]) expect(checkTimeout('timeout', value)).toBe(value);
  });

  it('refuses negative numbers, NaN and non-numbers, naming the option the user wrote', () => {
    const cases: [unknown, string][] = [
      [-1, 'got -1'],
      [-Infinity, 'got -Infinity'],
      [Number.NaN, 'got NaN'],
      ['5', 'got "5"'],
      [null, 'got null'],
      [{}, 'got [object Object]'],
    ];
    for (const [value, got] of cases) {
      expect(() => checkTimeout('timeout', value), String(value)).toThrow(
        expect.objectContaining({
          code: ErrorCode.INVALID_ARGUMENT,
          message: `timeout must be 0 or more ms (Infinity for no bound), got ${got.slice(4)}`,
        }),
      );
    }
    expect(() => checkTimeout('timeoutMs', -5)).toThrow(
      'timeoutMs must be 0 or more ms (Infinity for no bound), got -5',
    );
  });
});
