import { afterEach, describe, expect, it } from 'vitest';
import { Cleanups } from '../../../test-support/cleanups.mjs';
import { Clt, ErrorCode, jsonCodec, type NetError, Svc } from './index.js';

// A client that gives up reconnecting ends with what happened: the attempts it made, the time they
// took, and why the last one failed (its error is the cause), not the bound of one attempt.
type Msg = { n: number };

const cleanups = new Cleanups();
afterEach(() => cleanups.run());

describe('reconnect with maxAttempts', () => {
  it('gives up after 3 attempts against a closed port, saying the attempts, the time spent and the last cause', async () => {
    const svc = await Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: jsonCodec<Msg>(), autoPool: true });
    const reconnect = { initialDelay: 40, factor: 2, jitter: 0, maxDelay: 1_000, maxAttempts: 3 };
    const clt = await Clt.connect<Msg, Msg>({ port: svc.port }, { codec: jsonCodec<Msg>(), reconnect });
    cleanups.add(() => clt.close());
    await svc.close(); // closes the client's peer too: the client starts reconnecting to a closed port

    const reason = (await clt.closed) as NetError;
    expect(reason).toMatchObject({ code: ErrorCode.CONNECT_TIMEOUT, details: { attempts: 3 } });
    expect(reason.message).toMatch(/after 3 attempts in \d+ ms: .*ECONNREFUSED/);
    // The waits before the second and third attempts (no jitter) lie between the first and the last.
    const elapsedMs = (reason.details as { elapsedMs: number }).elapsedMs;
    expect(elapsedMs).toBeGreaterThanOrEqual(80 + 160);
    expect(reason.message).toContain(`in ${elapsedMs} ms`);
    expect(reason.cause).toMatchObject({
      code: ErrorCode.NOT_CONNECTED,
      message: expect.stringContaining('ECONNREFUSED'),
    });
    await expect(clt.recv()).rejects.toBe(reason);
  }, 30_000);
});
