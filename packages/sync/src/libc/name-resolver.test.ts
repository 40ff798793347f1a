import { afterEach, describe, expect, it } from 'vitest';
import { Cleanups } from '../../../../test-support/cleanups.mjs';
import { ErrorCode } from '@net/core';
import { thrownBy as failure } from '../test-support/thrown-by.js';
import { NameResolver } from './name-resolver.js';

// The resolver's thread and the parked wait, with a thread that answers from a table: no name is
// looked up beyond this machine. The real thread (dns.lookup) is asked for `localhost` only.
const TABLE = new URL('../test-support/table-lookup-worker.mjs', import.meta.url);
const REAL = new URL('../../dist/libc/name-resolver-worker.js', import.meta.url);
const tcp = (host: string) => ({ kind: 'tcp' as const, host, port: 9 });

const cleanups = new Cleanups();
afterEach(() => cleanups.run());

describe('NameResolver', () => {
  it('replaces a host name by its address, and keeps the rest of the endpoint', () => {
    const names = cleanups.close(new NameResolver(TABLE));
    expect(names.resolve(tcp('db.test'), 5_000)).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 9 });
    expect(names.resolve(tcp('v6.test'), 5_000)).toEqual({ kind: 'tcp', host: '::1', port: 9 });
  });

  it('looks nothing up for an IP address, localhost or a Unix socket (no thread is started)', () => {
    const names = new NameResolver(new URL('./no-such-program.js', import.meta.url));
    for (const endpoint of [
      tcp('127.0.0.1'),
      tcp('::1'),
      tcp('localhost'),
      { kind: 'unix' as const, path: '/tmp/x.sock' },
    ]) {
      expect(names.resolve(endpoint, 1)).toBe(endpoint);
    }
  });

  it('gives the codes the broker path gives: no such name NET_ERR_RESOLVE, no answer from a name server NET_ERR_SOCKET', () => {
    const names = cleanups.close(new NameResolver(TABLE));
    const missing = failure(() => names.resolve(tcp('missing.test'), 5_000));
    expect(missing.code).toBe(ErrorCode.RESOLVE);
    expect(missing.message).toContain('missing.test');
    expect(failure(() => names.resolve(tcp('again.test'), 5_000)).code).toBe(ErrorCode.SOCKET);
  });

  it('parks no longer than the timeout when no answer comes: NET_ERR_TIMEOUT', () => {
    const names = cleanups.close(new NameResolver(TABLE));
    const started = performance.now();
    expect(failure(() => names.resolve(tcp('silent.test'), 100)).code).toBe(ErrorCode.TIMEOUT);
    expect(performance.now() - started).toBeGreaterThanOrEqual(99);
  });

  it("never takes a late answer for the next name's: each answer carries the number of its request", () => {
    const names = cleanups.close(new NameResolver(TABLE));
    expect(failure(() => names.resolve(tcp('late.test'), 20)).code).toBe(ErrorCode.TIMEOUT);
    // late.test's answer (10.9.9.9) lands while this one is pending or before it is asked.
    expect(names.resolve(tcp('db.test'), 5_000)).toMatchObject({ host: '127.0.0.1' });
    expect(names.lookup('db.test', 5_000)).toBe('127.0.0.1');
  });

  it('looks a name up with the runtime itself (dns.lookup on a thread of its own): localhost', () => {
    const names = cleanups.close(new NameResolver(REAL));
    expect(['127.0.0.1', '::1']).toContain(names.lookup('localhost', 10_000));
  });
});
