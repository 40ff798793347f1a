import { afterEach, describe, expect, it, vi } from 'vitest';
import { socketBroker } from '@net/sync/internal';
import { CltConnector } from './clt-connector.js';
import { ErrorCode, jsonCodec, NetError, WOULD_BLOCK } from './index.js';

type Msg = { n: number };

afterEach(() => {
  vi.restoreAllMocks();
});

/** Steps a connector until it connects or throws; bounded in time so a bug cannot hang the test. */
function stepUntilDone(connector: CltConnector<Msg, Msg>): unknown {
  const giveUpAt = performance.now() + 10_000;
  while (performance.now() < giveUpAt) {
    try {
      if (connector.step() !== WOULD_BLOCK) return 'connected';
    } catch (error) {
      return error;
    }
  }
  return 'still stepping';
}

describe('CltConnector retry policy', () => {
  it('fails at once with NET_ERR_RESOLVE for a name that does not resolve, with a single attempt', () => {
    // The broker is replaced, so no name is ever looked up (tests stay on loopback).
    const broker = socketBroker();
    const notFound = new NetError(
      ErrorCode.RESOLVE,
      'connect to nowhere.invalid:1: the host name does not resolve (ENOTFOUND)',
    );
    const begin = vi.spyOn(broker, 'beginConnect').mockImplementation(() => 1);
    vi.spyOn(broker, 'pollConnect').mockImplementation(() => {
      throw notFound;
    });
    const connector = new CltConnector<Msg, Msg>('nowhere.invalid:1', {
      codec: jsonCodec<Msg>(),
      timeout: 60_000,
      retryAfter: 1,
    });
    expect(stepUntilDone(connector)).toBe(notFound);
    expect(begin).toHaveBeenCalledTimes(1);
  });

  it('retries a refused attempt until the timeout, then says NET_ERR_CONNECT_TIMEOUT with the address and the last error', () => {
    const broker = socketBroker();
    const refused = new NetError(
      ErrorCode.NOT_CONNECTED,
      'connect to 127.0.0.1:1: nothing is listening there (ECONNREFUSED)',
    );
    const begin = vi.spyOn(broker, 'beginConnect').mockImplementation(() => 1);
    vi.spyOn(broker, 'pollConnect').mockImplementation(() => {
      throw refused;
    });
    const connector = new CltConnector<Msg, Msg>('127.0.0.1:1', {
      codec: jsonCodec<Msg>(),
      timeout: 30,
      retryAfter: 2,
    });
    const thrown = stepUntilDone(connector);
    expect(thrown).toMatchObject({ code: ErrorCode.CONNECT_TIMEOUT, cause: refused, details: { timeoutMs: 30 } });
    expect((thrown as Error).message).toContain('127.0.0.1:1');
    expect(begin.mock.calls.length).toBeGreaterThan(1);
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
    vi.spyOn(broker, 'beginConnect').mockImplementation(() => 1);
    const poll = vi.spyOn(broker, 'pollConnect').mockImplementation(() => {
      throw poll.mock.calls.length === 1 ? refused : timedOut;
    });
    const connector = new CltConnector<Msg, Msg>('127.0.0.1:1', {
      codec: jsonCodec<Msg>(),
      timeout: 30,
      retryAfter: 2,
    });
    const thrown = stepUntilDone(connector);
    expect(poll.mock.calls.length).toBeGreaterThan(1);
    expect(thrown).toMatchObject({
      code: ErrorCode.CONNECT_TIMEOUT,
      cause: refused,
      details: { attempts: poll.mock.calls.length },
    });
    expect((thrown as Error).message).toContain('ECONNREFUSED');
  });
});
