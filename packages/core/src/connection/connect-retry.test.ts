import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../errors/error-codes.js';
import { fromSocketError } from '../errors/system-error.js';
import { NetError } from '../errors/net-error.js';
import { isRetryable } from './connect-retry.js';

describe('isRetryable', () => {
  it('retries what the network may mend: refused, reset, timed out, an unanswered resolver', () => {
    for (const systemCode of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN', 'EHOSTUNREACH']) {
      expect(isRetryable(fromSocketError(Object.assign(new Error(systemCode), { code: systemCode }))), systemCode).toBe(
        true,
      );
    }
    expect(isRetryable(new NetError(ErrorCode.CONNECT_TIMEOUT, 'one attempt ran out'))).toBe(true);
  });

  it('ends the connect at once for what no retry can mend', () => {
    for (const code of [
      ErrorCode.ABORTED,
      ErrorCode.HANDSHAKE,
      ErrorCode.INVALID_ARGUMENT,
      ErrorCode.PROTOCOL,
      ErrorCode.RESOLVE,
      ErrorCode.UNSUPPORTED,
    ]) {
      expect(isRetryable(new NetError(code, code)), code).toBe(false);
    }
    expect(
      isRetryable(fromSocketError(Object.assign(new Error('getaddrinfo ENOTFOUND x.invalid'), { code: 'ENOTFOUND' }))),
    ).toBe(false);
  });

  it('does not retry a value that is not a NetError: that is a bug, not the network', () => {
    expect(isRetryable(new TypeError('bad'))).toBe(false);
    expect(isRetryable(undefined)).toBe(false);
  });
});
