import { describe, expect, it } from 'vitest';
import { Clt, ErrorCode, jsonCodec, type NetError, Svc } from './index.js';

type Msg = { n: number };
const codec = () => jsonCodec<Msg>();

/** Bound on every wait below: generous, the idle timeout itself is 300 ms. */
const GUARD_MS = 20_000;

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return (error as NetError).code;
  }
}

/**
 * The reason a call failed: a send on a connection the library already closed says
 * `NET_ERR_CLOSED`, with the reason it closed as the cause.
 */
function reasonOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    const { code, cause } = error as NetError;
    return code === ErrorCode.CLOSED ? ((cause as NetError | undefined)?.code ?? code) : code;
  }
}

describe('blocking idleTimeout', () => {
  it('wakes a parked receive on a connection whose peer sends nothing with NET_ERR_IDLE_TIMEOUT', () => {
    const disconnects: (string | undefined)[] = [];
    const svc = Svc.bind<Msg, Msg>('127.0.0.1:0', {
      codec: codec(),
      idleTimeout: 300,
      callbacks: { onDisconnected: (_id, reason) => void disconnects.push(reason?.code) },
    });
    const silent = Clt.connect<Msg, Msg>({ port: svc.port }, { codec: codec() });
    try {
      const peer = svc.accept({ timeout: GUARD_MS });
      expect(codeOf(() => peer.recv({ timeout: GUARD_MS }))).toBe(ErrorCode.IDLE_TIMEOUT);
      expect(disconnects).toEqual([ErrorCode.IDLE_TIMEOUT]);
      // The service closed its side: the silent peer sees the end of the stream.
      expect(silent.recv({ timeout: GUARD_MS })).toBeUndefined();
    } finally {
      silent.close();
      svc.close();
    }
  });

  it('drops a pooled connection whose peer sends nothing and frees its slot; another that keeps sending stays', () => {
    const svc = Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: codec(), idleTimeout: 300, maxConnections: 2 });
    const silent = Clt.connect<Msg, Msg>({ port: svc.port }, { codec: codec() });
    const busy = Clt.connect<Msg, Msg>({ port: svc.port }, { codec: codec() });
    try {
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
    } finally {
      silent.close();
      busy.close();
      svc.close();
    }
  });

  it('closes a client whose service goes silent with NET_ERR_IDLE_TIMEOUT, though the client keeps sending', () => {
    const svc = Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: codec() });
    const clt = Clt.connect<Msg, Msg>({ port: svc.port }, { codec: codec(), idleTimeout: 300 });
    try {
      const peer = svc.accept({ timeout: GUARD_MS });
      let code: string | undefined = ErrorCode.TIMEOUT;
      for (let n = 0, end = performance.now() + GUARD_MS; code === ErrorCode.TIMEOUT && performance.now() < end; n++) {
        code = reasonOf(() => {
          clt.send({ n });
          clt.recv({ timeout: 20 });
        });
      }
      expect(code).toBe(ErrorCode.IDLE_TIMEOUT);
      peer.close();
    } finally {
      clt.close();
      svc.close();
    }
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
