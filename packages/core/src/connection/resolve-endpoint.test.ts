import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../errors/error-codes.js';
import { parseEndpoint } from './endpoint.js';
import { resolveEndpoint } from './resolve-endpoint.js';

describe('resolveEndpoint', () => {
  it('resolves localhost to a loopback address and leaves literals and paths alone', async () => {
    // localhost is answered from the hosts file; no packet leaves the machine.
    const resolved = await resolveEndpoint(parseEndpoint('localhost:8080'));
    expect(resolved.kind).toBe('tcp');
    expect(resolved.kind === 'tcp' && ['127.0.0.1', '::1'].includes(resolved.host)).toBe(true);
    const literal = parseEndpoint('127.0.0.1:1');
    expect(await resolveEndpoint(literal)).toBe(literal);
    const unix = parseEndpoint('/tmp/x.sock');
    expect(await resolveEndpoint(unix)).toBe(unix);
  });

  it('reports a name that does not resolve with NET_ERR_RESOLVE and the resolver error as cause', async () => {
    // The resolver is replaced so the test never asks a DNS server (tests stay on loopback).
    const notFound = Object.assign(new Error('getaddrinfo ENOTFOUND no-such-host.invalid'), { code: 'ENOTFOUND' });
    const asked: string[] = [];
    const lookup = async (host: string) => {
      asked.push(host);
      throw notFound;
    };
    const failure = resolveEndpoint(parseEndpoint('no-such-host.invalid:80'), lookup);
    await expect(failure).rejects.toMatchObject({
      code: ErrorCode.RESOLVE,
      cause: notFound,
      details: { host: 'no-such-host.invalid' },
    });
    expect(asked).toEqual(['no-such-host.invalid']);
  });

  it('uses the address the resolver gives and keeps the port', async () => {
    const resolved = await resolveEndpoint(parseEndpoint('gateway.internal:9000'), async () => ({
      address: '127.0.0.2',
    }));
    expect(resolved).toEqual({ kind: 'tcp', host: '127.0.0.2', port: 9000 });
  });
});
