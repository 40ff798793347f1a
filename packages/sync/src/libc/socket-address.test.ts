import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@net/core';
import { AF_INET, AF_INET6, AF_UNIX } from './libc-calls.js';
import { decodeAddress, encodeAddress } from './socket-address.js';

// The C socket addresses the direct path passes to bind and connect: pure byte layout, checked on
// every runtime (the calls themselves are tested where the runtime has them).
describe('socket addresses in the C layout', () => {
  it('lays out an IPv4 address: family, port in network order, the four bytes', () => {
    const address = encodeAddress({ kind: 'tcp', host: '127.0.0.1', port: 0x1f90 });
    expect(address).toMatchObject({ family: AF_INET, length: 16 });
    expect(Array.from(address.bytes.subarray(0, 8))).toEqual([AF_INET, 0, 0x1f, 0x90, 127, 0, 0, 1]);
    expect(decodeAddress(address.bytes)).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 8080 });
  });

  it('takes localhost as 127.0.0.1', () => {
    expect(decodeAddress(encodeAddress({ kind: 'tcp', host: 'localhost', port: 1 }).bytes)).toEqual({
      kind: 'tcp',
      host: '127.0.0.1',
      port: 1,
    });
  });

  it.each([
    ['::1', '::1'],
    ['::', '::'],
    ['fe80::1:2', 'fe80::1:2'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['::ffff:127.0.0.1', '::ffff:7f00:1'],
  ])('lays out the IPv6 address %s and reads it back as %s', (text, printed) => {
    const address = encodeAddress({ kind: 'tcp', host: text, port: 443 });
    expect(address).toMatchObject({ family: AF_INET6, length: 28 });
    expect(decodeAddress(address.bytes)).toEqual({ kind: 'tcp', host: printed, port: 443 });
  });

  it('lays out a Unix socket path with its terminating zero', () => {
    const address = encodeAddress({ kind: 'unix', path: '/tmp/x.sock' });
    expect(address).toMatchObject({ family: AF_UNIX, length: 2 + 11 + 1 });
    expect(decodeAddress(address.bytes)).toEqual({ kind: 'unix', path: '/tmp/x.sock' });
  });

  it('refuses a path too long for sockaddr_un, and and a host name (looked up before), with their codes', () => {
    expect(() => encodeAddress({ kind: 'unix', path: `/${'x'.repeat(200)}` })).toThrow(
      expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT }),
    );
    expect(() => encodeAddress({ kind: 'tcp', host: 'example.invalid', port: 1 })).toThrow(
      expect.objectContaining({ code: ErrorCode.RESOLVE }),
    );
  });
});
