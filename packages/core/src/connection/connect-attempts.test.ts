import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../errors/error-codes.js';
import { fromSocketError } from '../errors/system-error.js';
import { parseEndpoint } from './endpoint.js';
import { ConnectAttempts, resolveConnectTiming } from './connect-attempts.js';

const endpoint = parseEndpoint('127.0.0.1:1');
const socketError = (code: string) =>
  fromSocketError(Object.assign(new Error(code), { code }), 'connect to 127.0.0.1:1');

describe('ConnectAttempts', () => {
  it('reports the last refusal, not the timeout of a last attempt the deadline cut short', () => {
    const attempts = new ConnectAttempts(endpoint, 1_000, 0);
    const refused = socketError('ECONNREFUSED');
    attempts.failed(socketError('ECONNREFUSED'));
    attempts.failed(refused);
    attempts.failed(socketError('ETIMEDOUT'));
    const error = attempts.timedOut(1_000.4);
    expect(error).toMatchObject({
      code: ErrorCode.CONNECT_TIMEOUT,
      cause: refused,
      details: { timeoutMs: 1_000, attempts: 3, elapsedMs: 1_000 },
    });
    expect(error.message).toBe(
      `could not connect to 127.0.0.1:1 within 1000 ms (3 attempts in 1000 ms): ${refused.message}`,
    );
  });

  it('reports a timeout only when every attempt ran out of time', () => {
    const attempts = new ConnectAttempts(endpoint, 500, 10);
    const last = socketError('ETIMEDOUT');
    attempts.failed(socketError('ETIMEDOUT'));
    attempts.failed(last);
    expect(attempts.timedOut(510).cause).toBe(last);
  });

  it('bounds each attempt by what is left, at least 1 ms, and within a native timer for no deadline', () => {
    const attempts = new ConnectAttempts(endpoint, 1_000, 100);
    expect(attempts.attemptTimeout(400)).toBe(700);
    expect(attempts.attemptTimeout(2_000)).toBe(1);
    expect(new ConnectAttempts(endpoint, Infinity, 0).attemptTimeout(5)).toBe(2 ** 31 - 1);
  });

  it('pauses retryAfter between attempts, no later than the deadline, and times out once it has passed', () => {
    const attempts = new ConnectAttempts(endpoint, 1_000, 100);
    attempts.failed(socketError('ECONNREFUSED'));
    expect(attempts.retryPause(300, 200)).toBe(200);
    expect(attempts.retryPause(1_050, 200)).toBe(50);
    expect(() => attempts.retryPause(1_100, 200)).toThrow(
      expect.objectContaining({
        code: ErrorCode.CONNECT_TIMEOUT,
        details: { timeoutMs: 1_000, attempts: 1, elapsedMs: 1_000 },
      }),
    );
    expect(new ConnectAttempts(endpoint, Infinity, 0).retryPause(1e12, 200)).toBe(200);
  });
});

describe('resolveConnectTiming', () => {
  it('applies the defaults and refuses what is out of range with NET_ERR_INVALID_ARGUMENT', () => {
    expect(resolveConnectTiming({})).toEqual({ timeout: 1_000, retryAfter: 200 });
    expect(resolveConnectTiming({ timeout: Infinity, retryAfter: 5 })).toEqual({ timeout: Infinity, retryAfter: 5 });
    expect(() => resolveConnectTiming({ retryAfter: 0 })).toThrow(
      expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT }),
    );
    expect(() => resolveConnectTiming({ timeout: -1 })).toThrow(
      expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT }),
    );
  });
});
