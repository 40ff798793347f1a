import { describe, expect, it } from 'vitest';
import { ErrorCode, hexPreview, NetError } from '../index.js';

describe('NetError', () => {
  it('carries a stable code, details and the cause', () => {
    const cause = new Error('ECONNREFUSED');
    const error = new NetError(ErrorCode.CONNECT_TIMEOUT, 'no connection', { cause, details: { port: 1 } });
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('NET_ERR_CONNECT_TIMEOUT');
    expect(error.cause).toBe(cause);
    expect(error.details).toEqual({ port: 1 });
    expect(error.name).toBe('NetError');
    expect(NetError.hasCode(error, ErrorCode.CONNECT_TIMEOUT)).toBe(true);
    expect(NetError.hasCode(error, ErrorCode.CLOSED)).toBe(false);
  });

  it('is recognised across duplicate copies of the package through its Symbol.for brand', () => {
    // A second copy of the class, as a second install of @net/core would define it.
    const brand = Symbol.for('@net/core.NetError');
    class OtherCopy extends Error {
      readonly code = ErrorCode.CLOSED;
    }
    Object.defineProperty(OtherCopy.prototype, brand, { value: true });
    const foreign = new OtherCopy('closed');
    expect(foreign instanceof NetError).toBe(true);
    expect(NetError.isNetError(foreign)).toBe(true);
    expect(new Error('plain') instanceof NetError).toBe(false);
    expect(NetError.isNetError(null)).toBe(false);
  });

  it('has a unique NET_ERR_ code per case', () => {
    const codes = Object.values(ErrorCode);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^NET_ERR_[A-Z_]+$/);
  });
});

describe('hexPreview', () => {
  it('shows short frames whole and truncates long ones with their length', () => {
    expect(hexPreview(Uint8Array.of(0, 15, 16, 255))).toBe('00 0f 10 ff');
    const long = hexPreview(new Uint8Array(100), 4);
    expect(long).toBe('00 00 00 00 ... (100 bytes)');
  });
});

describe('error documentation', () => {
  it('lists every error code in docs/design.md', async () => {
    const { readFile } = await import('node:fs/promises');
    const design = await readFile(new URL('../../../../docs/design.md', import.meta.url), 'utf8');
    const missing = Object.values(ErrorCode).filter((code) => !design.includes(`\`${code}\``));
    expect(missing).toEqual([]);
  });
});

describe('fromSocketError', () => {
  it('maps system errors to stable codes and keeps the original as cause', async () => {
    const { fromSocketError } = await import('./system-error.js');
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    expect(fromSocketError(reset)).toMatchObject({ code: ErrorCode.PEER_RESET, cause: reset });
    expect(fromSocketError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })).code).toBe(ErrorCode.NOT_CONNECTED);
    expect(fromSocketError(Object.assign(new Error('x'), { code: 'EHOSTUNREACH' })).code).toBe(ErrorCode.SOCKET);
    expect(
      fromSocketError(Object.assign(new Error('getaddrinfo ENOTFOUND x.invalid'), { code: 'ENOTFOUND' })).code,
    ).toBe(ErrorCode.RESOLVE);
    expect(fromSocketError(Object.assign(new Error('getaddrinfo EAI_AGAIN x'), { code: 'EAI_AGAIN' })).code).toBe(
      ErrorCode.SOCKET,
    );
    const already = new NetError(ErrorCode.CLOSED, 'closed');
    expect(fromSocketError(already)).toBe(already);
    expect(fromSocketError('weird').code).toBe(ErrorCode.SOCKET);
  });
});
