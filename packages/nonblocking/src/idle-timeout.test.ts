import { afterEach, describe, expect, it } from 'vitest';
import { Cleanups } from '../../../test-support/cleanups.mjs';
import { codeOf, reasonOf } from '../../../test-support/error-codes.mjs';
import { Clt, END_OF_STREAM, ErrorCode, jsonCodec, Poller, REJECTED, Svc, WOULD_BLOCK } from './index.js';

type Msg = { n: number };

/** Bound on every wait below: generous, the idle timeout itself is 300 ms. */
const GUARD_MS = 20_000;

const cleanups = new Cleanups();
afterEach(() => cleanups.run());

describe('nonblocking idleTimeout', () => {
  it('drops a pooled connection whose peer sends nothing with NET_ERR_IDLE_TIMEOUT, freeing its slot; pool passes run the check', () => {
    const disconnects: (string | undefined)[] = [];
    const svc = cleanups.close(
      Svc.bind<Msg, Msg>('127.0.0.1:0', {
        codec: jsonCodec<Msg>(),
        idleTimeout: 300,
        maxConnections: 1,
        callbacks: { onDisconnected: (_id, reason) => void disconnects.push(reason?.code) },
      }),
    );
    const silent = cleanups.close(Clt.connect<Msg, Msg>({ port: svc.port }, { codec: jsonCodec<Msg>() }));
    expect(svc.acceptIntoPoolBusywaitTimeout(GUARD_MS)).not.toBe(WOULD_BLOCK);
    // The pool's receive passes are all that runs here: they run the timer, and so the check.
    for (const end = performance.now() + GUARD_MS; svc.size > 0 && performance.now() < end;) svc.recvFrom();
    expect(svc.size).toBe(0);
    expect(disconnects).toEqual([ErrorCode.IDLE_TIMEOUT]);
    expect(silent.recvBusywaitTimeout(GUARD_MS)).toBe(END_OF_STREAM);
    // The slot is free again.
    const late = cleanups.close(Clt.connect<Msg, Msg>({ port: svc.port }, { codec: jsonCodec<Msg>() }));
    const accepted = svc.acceptIntoPoolBusywaitTimeout(GUARD_MS);
    expect(accepted === WOULD_BLOCK || accepted === REJECTED).toBe(false);
    late.sendBusywait({ n: 1 });
    expect(svc.recvFromBusywaitTimeout(GUARD_MS)).toMatchObject({ message: { n: 1 } });
  });

  it('closes a client whose service goes silent with NET_ERR_IDLE_TIMEOUT, though the client keeps sending', () => {
    const svc = cleanups.close(Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: jsonCodec<Msg>() }));
    const clt = cleanups.close(
      Clt.connect<Msg, Msg>({ port: svc.port }, { codec: jsonCodec<Msg>(), idleTimeout: 300 }),
    );
    const peer = svc.acceptBusywaitTimeout(GUARD_MS);
    if (peer === WOULD_BLOCK || peer === REJECTED) throw new Error('not accepted');
    cleanups.close(peer);
    let code: string | undefined;
    for (let n = 0, end = performance.now() + GUARD_MS; code === undefined && performance.now() < end; n++) {
      code = reasonOf(() => {
        clt.send({ n });
        clt.recvBusywaitTimeout(20);
      });
    }
    expect(code).toBe(ErrorCode.IDLE_TIMEOUT);
    expect(codeOf(() => clt.recv())).toBe(ErrorCode.IDLE_TIMEOUT);
  });

  it("ends a polled receiver's connection with NET_ERR_IDLE_TIMEOUT through onEnd", () => {
    const svc = cleanups.close(Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: jsonCodec<Msg>() }));
    const clt = cleanups.close(
      Clt.connect<Msg, Msg>({ port: svc.port }, { codec: jsonCodec<Msg>(), idleTimeout: 300 }),
    );
    const poller = new Poller();
    cleanups.add(() => poller.shutdown());
    const peer = svc.acceptBusywaitTimeout(GUARD_MS);
    if (peer === WOULD_BLOCK || peer === REJECTED) throw new Error('not accepted');
    cleanups.close(peer);
    const ends: (string | undefined)[] = [];
    poller.addReceiver(clt, { onMessage: () => {}, onEnd: (reason) => void ends.push(reason?.code ?? 'clean') });
    for (const end = performance.now() + GUARD_MS; ends.length === 0 && performance.now() < end;) poller.pollOnce();
    expect(ends).toEqual([ErrorCode.IDLE_TIMEOUT]);
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
