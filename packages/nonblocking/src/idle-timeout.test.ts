import { describe, expect, it } from 'vitest';
import {
  Clt,
  END_OF_STREAM,
  ErrorCode,
  jsonCodec,
  type NetError,
  Poller,
  REJECTED,
  Svc,
  WOULD_BLOCK,
} from './index.js';

type Msg = { n: number };

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

describe('nonblocking idleTimeout', () => {
  it('drops a pooled connection whose peer sends nothing with NET_ERR_IDLE_TIMEOUT, freeing its slot; pool passes run the check', () => {
    const disconnects: (string | undefined)[] = [];
    const svc = Svc.bind<Msg, Msg>('127.0.0.1:0', {
      codec: jsonCodec<Msg>(),
      idleTimeout: 300,
      maxConnections: 1,
      callbacks: { onDisconnected: (_id, reason) => void disconnects.push(reason?.code) },
    });
    const silent = Clt.connect<Msg, Msg>({ port: svc.port }, { codec: jsonCodec<Msg>() });
    const late: Clt<Msg, Msg>[] = [];
    try {
      expect(svc.acceptIntoPoolBusywaitTimeout(GUARD_MS)).not.toBe(WOULD_BLOCK);
      // The pool's receive passes are all that runs here: they run the timer, and so the check.
      for (const end = performance.now() + GUARD_MS; svc.size > 0 && performance.now() < end;) svc.recvFrom();
      expect(svc.size).toBe(0);
      expect(disconnects).toEqual([ErrorCode.IDLE_TIMEOUT]);
      expect(silent.recvBusywaitTimeout(GUARD_MS)).toBe(END_OF_STREAM);
      // The slot is free again.
      late.push(Clt.connect<Msg, Msg>({ port: svc.port }, { codec: jsonCodec<Msg>() }));
      const accepted = svc.acceptIntoPoolBusywaitTimeout(GUARD_MS);
      expect(accepted === WOULD_BLOCK || accepted === REJECTED).toBe(false);
      late[0].sendBusywait({ n: 1 });
      expect(svc.recvFromBusywaitTimeout(GUARD_MS)).toMatchObject({ message: { n: 1 } });
    } finally {
      for (const clt of [silent, ...late]) clt.close();
      svc.close();
    }
  });

  it('closes a client whose service goes silent with NET_ERR_IDLE_TIMEOUT, though the client keeps sending', () => {
    const svc = Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: jsonCodec<Msg>() });
    const clt = Clt.connect<Msg, Msg>({ port: svc.port }, { codec: jsonCodec<Msg>(), idleTimeout: 300 });
    try {
      const peer = svc.acceptBusywaitTimeout(GUARD_MS);
      if (peer === WOULD_BLOCK || peer === REJECTED) throw new Error('not accepted');
      let code: string | undefined;
      for (let n = 0, end = performance.now() + GUARD_MS; code === undefined && performance.now() < end; n++) {
        code = reasonOf(() => {
          clt.send({ n });
          clt.recvBusywaitTimeout(20);
        });
      }
      expect(code).toBe(ErrorCode.IDLE_TIMEOUT);
      expect(codeOf(() => clt.recv())).toBe(ErrorCode.IDLE_TIMEOUT);
      peer.close();
    } finally {
      clt.close();
      svc.close();
    }
  });

  it("ends a polled receiver's connection with NET_ERR_IDLE_TIMEOUT through onEnd", () => {
    const svc = Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: jsonCodec<Msg>() });
    const clt = Clt.connect<Msg, Msg>({ port: svc.port }, { codec: jsonCodec<Msg>(), idleTimeout: 300 });
    const poller = new Poller();
    try {
      const peer = svc.acceptBusywaitTimeout(GUARD_MS);
      if (peer === WOULD_BLOCK || peer === REJECTED) throw new Error('not accepted');
      const ends: (string | undefined)[] = [];
      poller.addReceiver(clt, { onMessage: () => {}, onEnd: (reason) => void ends.push(reason?.code ?? 'clean') });
      for (const end = performance.now() + GUARD_MS; ends.length === 0 && performance.now() < end;) poller.pollOnce();
      expect(ends).toEqual([ErrorCode.IDLE_TIMEOUT]);
      peer.close();
    } finally {
      poller.shutdown();
      clt.close();
      svc.close();
    }
  });

  it('validates idleTimeout at connect and bind', () => {
    for (const idleTimeout of [-1, 0.5, 2 ** 31]) {
      expect(codeOf(() => Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: jsonCodec<Msg>(), idleTimeout }))).toBe(
        ErrorCode.INVALID_ARGUMENT,
      );
      expect(codeOf(() => Clt.connect<Msg, Msg>({ port: 1 }, { codec: jsonCodec<Msg>(), idleTimeout }))).toBe(
        ErrorCode.INVALID_ARGUMENT,
      );
    }
  });
});
