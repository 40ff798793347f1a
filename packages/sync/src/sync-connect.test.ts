import { afterEach, describe, expect, it, vi } from 'vitest';
import { bytesCodec, ErrorCode, NetError } from '@net/core';
import { brokerFailure } from './broker-failure.js';
import { socketBroker } from './shared-broker.js';
import { connectSync } from './sync-connect.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('connectSync', () => {
  it('fails at once with NET_ERR_RESOLVE for a host name that does not resolve, without retrying', () => {
    // The broker's connect is replaced, so no name is ever looked up (tests stay on loopback).
    const broker = socketBroker();
    const notFound = new NetError(
      ErrorCode.RESOLVE,
      'connect to nowhere.invalid:1: the host name does not resolve (ENOTFOUND)',
    );
    const connect = vi.spyOn(broker, 'connect').mockImplementation(() => {
      throw notFound;
    });
    const handshake = vi.fn();
    expect(() =>
      connectSync('nowhere.invalid:1', { codec: bytesCodec(), timeout: 60_000, retryAfter: 1 }, handshake),
    ).toThrow(notFound);
    expect(connect).toHaveBeenCalledTimes(1);
    expect(handshake).not.toHaveBeenCalled();
  });

  it('retries other connect failures until the timeout, then says NET_ERR_CONNECT_TIMEOUT with the last one as cause', () => {
    const broker = socketBroker();
    const refused = new NetError(
      ErrorCode.NOT_CONNECTED,
      'connect to 127.0.0.1:1: nothing is listening there (ECONNREFUSED)',
    );
    const connect = vi.spyOn(broker, 'connect').mockImplementation(() => {
      throw refused;
    });
    let thrown: unknown;
    try {
      connectSync('127.0.0.1:1', { codec: bytesCodec(), timeout: 50, retryAfter: 5 }, () => {});
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: ErrorCode.CONNECT_TIMEOUT, cause: refused });
    expect(connect.mock.calls.length).toBeGreaterThan(1);
  });

  it('reports the refusal of earlier attempts, not the timeout of an attempt the deadline cut short', () => {
    // Scripted: the first attempt is refused, every later one runs out of time. Each attempt is
    // bounded by what is left of the timeout, so the last is often cut short by the deadline.
    const broker = socketBroker();
    const refused = new NetError(
      ErrorCode.NOT_CONNECTED,
      'connect to 127.0.0.1:1: nothing is listening there (ECONNREFUSED)',
    );
    const timedOut = new NetError(ErrorCode.TIMEOUT, 'connect to 127.0.0.1:1: timed out (ETIMEDOUT)');
    const connect = vi.spyOn(broker, 'connect').mockImplementation(() => {
      throw connect.mock.calls.length === 1 ? refused : timedOut;
    });
    let thrown: unknown;
    try {
      connectSync('127.0.0.1:1', { codec: bytesCodec(), timeout: 50, retryAfter: 5 }, () => {});
    } catch (error) {
      thrown = error;
    }
    expect(connect.mock.calls.length).toBeGreaterThan(1);
    expect(thrown).toMatchObject({
      code: ErrorCode.CONNECT_TIMEOUT,
      cause: refused,
      details: { timeoutMs: 50, attempts: connect.mock.calls.length },
    });
    expect((thrown as Error).message).toContain('ECONNREFUSED');
  });
});

describe('a broker connect failure from the resolver', () => {
  it('comes back as NET_ERR_RESOLVE', () => {
    const failure = brokerFailure(
      { op: 'failed', id: 1, failure: { code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND nowhere.invalid' } },
      'connect to nowhere.invalid:1',
    );
    expect(failure.code).toBe(ErrorCode.RESOLVE);
  });
});
