import { afterEach, describe, expect, it } from 'vitest';
import { Cleanups } from '../../../test-support/cleanups.mjs';
import { codeOf, reasonOf } from '../../../test-support/error-codes.mjs';
import { Clt, ErrorCode, jsonCodec, Svc } from './index.js';

type Msg = { n: number };
const codec = () => jsonCodec<Msg>();

/** Bound on every wait below: generous, the idle timeout itself is 300 ms. */
const GUARD_MS = 20_000;

const cleanups = new Cleanups();
afterEach(() => cleanups.run());

describe('blocking idleTimeout', () => {
  it('wakes a parked receive on a connection whose peer sends nothing with NET_ERR_IDLE_TIMEOUT', () => {
    const disconnects: (string | undefined)[] = [];
    const svc = cleanups.close(
      Svc.bind<Msg, Msg>('127.0.0.1:0', {
        codec: codec(),
        idleTimeout: 300,
        callbacks: { onDisconnected: (_id, reason) => void disconnects.push(reason?.code) },
      }),
    );
    const silent = cleanups.close(Clt.connect<Msg, Msg>({ port: svc.port }, { codec: codec() }));
    const peer = svc.accept({ timeout: GUARD_MS });
    expect(codeOf(() => peer.recv({ timeout: GUARD_MS }))).toBe(ErrorCode.IDLE_TIMEOUT);
    expect(disconnects).toEqual([ErrorCode.IDLE_TIMEOUT]);
    // The service closed its side: the silent peer sees the end of the stream.
    expect(silent.recv({ timeout: GUARD_MS })).toBeUndefined();
  });

  it('drops a pooled connection whose peer sends nothing and frees its slot; another that keeps sending stays', () => {
    const svc = cleanups.close(
      Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: codec(), idleTimeout: 300, maxConnections: 2 }),
    );
    const silent = cleanups.close(Clt.connect<Msg, Msg>({ port: svc.port }, { codec: codec() }));
    const busy = cleanups.close(Clt.connect<Msg, Msg>({ port: svc.port }, { codec: codec() }));
    svc.acceptIntoPool({ timeout: GUARD_MS });
    svc.acceptIntoPool({ timeout: GUARD_MS });
    let n = 0;
    for (const end = performance.now() + GUARD_MS; svc.size > 1 && performance.now() < end; n++) {
      busy.send({ n });
      const got = svc.recvFrom({ timeout: GUARD_MS });
      expect(got.message).toEqual({ n });
      svc.sendTo(got.conId, { n: n + 1 });
      expect(busy.recv({ timeout: GUARD_MS })).toEqual({ n: n + 1 });
    }
    expect(svc.size).toBe(1);
    expect(silent.recv({ timeout: GUARD_MS })).toBeUndefined();
    busy.send({ n: -1 });
    expect(svc.recv({ timeout: GUARD_MS })).toEqual({ n: -1 });
  });

  it('closes a client whose service goes silent with NET_ERR_IDLE_TIMEOUT, though the client keeps sending', () => {
    const svc = cleanups.close(Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: codec() }));
    const clt = cleanups.close(Clt.connect<Msg, Msg>({ port: svc.port }, { codec: codec(), idleTimeout: 300 }));
    cleanups.close(svc.accept({ timeout: GUARD_MS }));
    let code: string | undefined = ErrorCode.TIMEOUT;
    for (let n = 0, end = performance.now() + GUARD_MS; code === ErrorCode.TIMEOUT && performance.now() < end; n++) {
      code = reasonOf(() => {
        clt.send({ n });
        clt.recv({ timeout: 20 });
      });
    }
    expect(code).toBe(ErrorCode.IDLE_TIMEOUT);
  });

  it('validates idleTimeout at connect and bind', () => {
    for (const idleTimeout of [-1, 0.5, 2 ** 31]) {
      expect(codeOf(() => Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: codec(), idleTimeout }))).toBe(
        ErrorCode.INVALID_ARGUMENT,
      );
      expect(codeOf(() => Clt.connect<Msg, Msg>({ port: 1 }, { codec: codec(), idleTimeout }))).toBe(
        ErrorCode.INVALID_ARGUMENT,
      );
    }
  });
});
