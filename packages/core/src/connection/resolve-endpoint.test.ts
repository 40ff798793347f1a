import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../errors/error-codes.js';
import { parseEndpoint } from './endpoint.js';
import { resolveEndpoint } from './resolve-endpoint.js';

describe('resolveEndpoint', () => {
  it('resolves localhost to a loopback address and leaves literals and paths alone', async () => {
    const resolved = await resolveEndpoint(parseEndpoint('localhost:8080'));
    expect(resolved.kind).toBe('tcp');
    expect(resolved.kind === 'tcp' && ['127.0.0.1', '::1'].includes(resolved.host)).toBe(true);
    const literal = parseEndpoint('127.0.0.1:1');
    expect(await resolveEndpoint(literal)).toBe(literal);
    const unix = parseEndpoint('/tmp/x.sock');
    expect(await resolveEndpoint(unix)).toBe(unix);
  });

  it('reports a name that does not resolve with NET_ERR_RESOLVE, not a crash', async () => {
    // The .invalid top-level domain is reserved never to resolve (RFC 2606).
    await expect(resolveEndpoint(parseEndpoint('no-such-host.invalid:80'))).rejects.toMatchObject({ code: ErrorCode.RESOLVE });
  });
});
