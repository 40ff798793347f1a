import { afterEach, describe, expect, it } from 'vitest';
import { Cleanups } from '../../../test-support/cleanups.mjs';
import { Clt, END_OF_STREAM, ErrorCode, jsonCodec, REJECTED, Svc, WOULD_BLOCK } from './index.js';

type Msg = { n: number };

const cleanups = new Cleanups();
afterEach(() => cleanups.run());

describe('nonblocking Clt and Svc', () => {
  it('runs a whole session in one synchronous function: connect, 100,000 round trips, close', () => {
    // Nothing here awaits: if any step needed the event loop, this function could not finish.
    const session = (): number => {
      const svc = cleanups.close(Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: jsonCodec<Msg>() }));
      const clt = cleanups.close(Clt.connect<Msg, Msg>({ port: svc.port }, { codec: jsonCodec<Msg>() }));
      const peer = svc.acceptBusywaitTimeout(5_000);
      if (peer === WOULD_BLOCK || peer === REJECTED) throw new Error('not accepted');
      cleanups.close(peer);
      let sum = 0;
      for (let n = 0; n < 100_000; n++) {
        clt.sendBusywait({ n });
        const got = peer.recvBusywait();
        if (got === END_OF_STREAM) throw new Error('ended');
        peer.sendBusywait({ n: got.n + 1 });
        const back = clt.recvBusywait();
        if (back === END_OF_STREAM || back.n !== n + 1) throw new Error(`bad reply at ${n}`);
        sum += 1;
      }
      clt.close();
      expect(peer.recvBusywaitTimeout(5_000)).toBe(END_OF_STREAM);
      peer.close();
      svc.close();
      return sum;
    };
    expect(session()).toBe(100_000);
  }, 120_000);

  it('returns WOULD_BLOCK at once when there is nothing to receive or accept', () => {
    const svc = cleanups.close(Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: jsonCodec<Msg>() }));
    expect(svc.accept()).toBe(WOULD_BLOCK);
    const clt = cleanups.close(Clt.connect<Msg, Msg>({ port: svc.port }, { codec: jsonCodec<Msg>() }));
    const peer = svc.acceptBusywaitTimeout(5_000);
    expect(peer).not.toBe(WOULD_BLOCK);
    if (typeof peer === 'object') cleanups.close(peer);
    expect(clt.recv()).toBe(WOULD_BLOCK);
    expect(clt.recvBusywaitTimeout(20)).toBe(WOULD_BLOCK);
    expect(clt.send({ n: 1 })).toBe('completed');
  });

  it('refuses connections over maxConnections and frees the slot when one leaves', () => {
    const svc = cleanups.close(Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: jsonCodec<Msg>(), maxConnections: 1 }));
    const first = cleanups.close(Clt.connect<Msg, Msg>({ port: svc.port }, { codec: jsonCodec<Msg>() }));
    expect(svc.acceptIntoPoolBusywaitTimeout(5_000)).not.toBe(WOULD_BLOCK);
    const second = cleanups.close(Clt.connect<Msg, Msg>({ port: svc.port }, { codec: jsonCodec<Msg>() }));
    expect(svc.acceptBusywaitTimeout(5_000)).toBe(REJECTED);
    expect(svc.rejectedCount).toBe(1);
    expect(second.recvBusywaitTimeout(5_000)).toBe(END_OF_STREAM);
    first.sendBusywait({ n: 5 });
    expect(svc.recvBusywaitTimeout(5_000)).toEqual({ n: 5 });
    first.close();
    // The pool frees the slot when a receive sees the end; under load that can take a few turns.
    const deadline = Date.now() + 10_000;
    while (svc.size > 0 && Date.now() < deadline) expect(svc.recvBusywaitTimeout(50)).toBe(WOULD_BLOCK);
    expect(svc.size).toBe(0);
    cleanups.close(Clt.connect<Msg, Msg>({ port: svc.port }, { codec: jsonCodec<Msg>() }));
    expect(svc.acceptIntoPoolBusywaitTimeout(5_000)).not.toBe(REJECTED);
  });

  it('fails to connect to a closed port with NET_ERR_CONNECT_TIMEOUT', () => {
    const svc = Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: jsonCodec<Msg>() });
    const port = svc.port;
    svc.close();
    expect(() => Clt.connect({ port }, { codec: jsonCodec(), timeout: 300, retryAfter: 50 })).toThrow(
      expect.objectContaining({ code: ErrorCode.CONNECT_TIMEOUT }),
    );
  });
});
