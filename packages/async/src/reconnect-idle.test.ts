import { afterEach, describe, expect, it } from 'vitest';
import { Cleanups } from '../../../test-support/cleanups.mjs';
import { Clt, ErrorCode, jsonCodec, Svc } from './index.js';

// A reconnecting client treats its own idle timeout as a lost connection (the peer is gone or
// stuck: a new connection is what it needs), as it treats a reset or the peer's close. Only the
// user's close() ends it for good.
type Msg = { n: number };

/** Bound on every wait: generous, the idle timeout itself is 200 ms. */
const GUARD_MS = 20_000;

const cleanups = new Cleanups();
afterEach(() => cleanups.run());

describe('reconnect after an idle timeout', () => {
  it('reconnects a client whose service went silent past idleTimeout, and the new connection serves', async () => {
    const disconnects: (string | undefined)[] = [];
    const svc = await Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: jsonCodec<Msg>() });
    cleanups.add(() => svc.close());
    const clt = await Clt.connect<Msg, Msg>(
      { port: svc.port },
      {
        codec: jsonCodec<Msg>(),
        idleTimeout: 200,
        reconnect: { initialDelay: 20, maxDelay: 1_000, jitter: 0 },
        callbacks: { onDisconnected: (_id, reason) => void disconnects.push(reason?.code) },
      },
    );
    cleanups.add(() => clt.close());
    const first = await svc.accept({ timeout: GUARD_MS });
    cleanups.add(() => first.close());
    // The service says nothing on the first connection: the client drops it and comes back.
    const second = await svc.accept({ timeout: GUARD_MS });
    cleanups.add(() => second.close());
    expect(disconnects[0]).toBe(ErrorCode.IDLE_TIMEOUT);
    for (const end = performance.now() + GUARD_MS; !clt.isConnected() && performance.now() < end;)
      await new Promise((resolve) => setTimeout(resolve, 10));
    clt.send({ n: 1 });
    expect(await second.recv({ timeout: GUARD_MS })).toEqual({ n: 1 });
    second.send({ n: 2 });
    expect(await clt.recv({ timeout: GUARD_MS })).toEqual({ n: 2 });
  }, 30_000);

  it('does not reconnect after the user closes the client', async () => {
    const svc = await Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: jsonCodec<Msg>() });
    cleanups.add(() => svc.close());
    const clt = await Clt.connect<Msg, Msg>(
      { port: svc.port },
      { codec: jsonCodec<Msg>(), idleTimeout: 200, reconnect: { initialDelay: 20, jitter: 0 } },
    );
    const peer = await svc.accept({ timeout: GUARD_MS });
    cleanups.add(() => peer.close());
    await clt.close();
    expect(await clt.closed).toBeUndefined();
    // Longer than the idle timeout and many reconnect pauses: nobody comes back.
    await expect(svc.accept({ timeout: 600 })).rejects.toMatchObject({ code: ErrorCode.TIMEOUT });
  }, 30_000);
});
