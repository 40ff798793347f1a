import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../errors/error-codes.js';
import { ConId } from './con-id.js';
import { formatEndpoint, parseEndpoint } from './endpoint.js';

describe('ConId (links C3)', () => {
  it('reads like a log line, with pending for unknown addresses', () => {
    const clt = ConId.initiator(undefined, parseEndpoint('127.0.0.1:8080'));
    expect(String(clt)).toBe('clt@pending->127.0.0.1:8080');
    clt.local = parseEndpoint('127.0.0.1:5000');
    expect(String(clt)).toBe('clt@127.0.0.1:5000->127.0.0.1:8080');
    const svc = ConId.acceptor('gateway', parseEndpoint('127.0.0.1:8080'));
    expect(String(svc)).toBe('gateway@127.0.0.1:8080<-pending');
    svc.peer = parseEndpoint('[::1]:5000');
    expect(String(svc)).toBe('gateway@127.0.0.1:8080<-[::1]:5000');
    expect(clt.role).toBe('initiator');
    expect(svc.role).toBe('acceptor');
  });

  it('gives every connection a distinct serial and knows which share a listener', () => {
    const local = parseEndpoint('127.0.0.1:9000');
    const a = ConId.acceptor('svc', local, parseEndpoint('127.0.0.1:1'));
    const b = ConId.acceptor('svc', local, parseEndpoint('127.0.0.1:2'));
    const other = ConId.acceptor('svc', parseEndpoint('127.0.0.1:9001'));
    expect(a.serial).not.toBe(b.serial);
    expect(a.sameLineage(b)).toBe(true);
    expect(a.sameLineage(other)).toBe(false);
    expect(ConId.initiator('svc', local).sameLineage(a)).toBe(false);
  });
});

describe('parseEndpoint', () => {
  it('accepts host:port, bracketed IPv6, host names, objects and socket paths', () => {
    expect(parseEndpoint('127.0.0.1:80')).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 80 });
    expect(parseEndpoint('localhost:8080')).toEqual({ kind: 'tcp', host: 'localhost', port: 8080 });
    expect(parseEndpoint('[::1]:0')).toEqual({ kind: 'tcp', host: '::1', port: 0 });
    expect(parseEndpoint({ port: 5 })).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 5 });
    expect(parseEndpoint({ host: 'example.test', port: 5 })).toEqual({ kind: 'tcp', host: 'example.test', port: 5 });
    expect(parseEndpoint('/tmp/net.sock')).toEqual({ kind: 'unix', path: '/tmp/net.sock' });
    expect(parseEndpoint({ path: 'relative.sock' })).toEqual({ kind: 'unix', path: 'relative.sock' });
    expect(formatEndpoint(parseEndpoint('[::1]:7'))).toBe('[::1]:7');
  });

  it('refuses malformed addresses with a coded error instead of crashing', () => {
    const bad: unknown[] = [
      '',
      'localhost',
      ':80',
      'host:',
      'host:80x',
      'host:70000',
      '::1:80',
      'a b:1',
      { port: -1 },
      { port: 1.5 },
      { path: '' },
      42,
      null,
    ];
    for (const input of bad) {
      expect(() => parseEndpoint(input as string)).toThrow(
        expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT }),
      );
    }
  });
});
