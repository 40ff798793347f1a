import { afterEach, describe, expect, it } from 'vitest';
import { checkSyncSocketSupport } from '@net/sync/internal';
import { Cleanups } from '../../../test-support/cleanups.mjs';
import {
  Clt,
  CounterCallback,
  END_OF_STREAM,
  ErrorCode,
  jsonCodec,
  Poller,
  type Protocol,
  REJECTED,
  Svc,
  WOULD_BLOCK,
} from './index.js';

type Msg = { n: number; kind?: 'hb' | 'data' };
const codec = () => jsonCodec<Msg>();

const cleanups = new Cleanups();
afterEach(() => cleanups.run());

/** Connects a client to `svc` and accepts it; both closed after the test. */
function connectedPair(svc: Svc<Msg, Msg>, options: Partial<Parameters<typeof Clt.connect<Msg, Msg>>[1]> = {}) {
  const clt = cleanups.close(Clt.connect<Msg, Msg>({ port: svc.port }, { codec: codec(), ...options }));
  const peer = svc.acceptBusywaitTimeout(5_000);
  if (peer === WOULD_BLOCK || peer === REJECTED) throw new Error('not accepted');
  return { clt, peer: cleanups.close(peer) };
}

describe('nonblocking modes', () => {
  it('coalesces a batch into one write with sendMany; every frame arrives in order, callbacks once each', () => {
    const svc = cleanups.close(Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: codec() }));
    const counter = new CounterCallback<Msg, Msg>();
    const { clt, peer } = connectedPair(svc, { callbacks: counter });
    for (let batch = 0; batch < 100; batch++) {
      expect(clt.sendManyBusywait(Array.from({ length: 100 }, (_, i) => ({ n: batch * 100 + i })))).toBe('completed');
    }
    for (let n = 0; n < 10_000; n++) expect(peer.recvBusywaitTimeout(5_000)).toEqual({ n });
    expect(counter.sentCount).toBe(10_000);
    expect(clt.sendMany([])).toBe('completed');
  });

  it('takes from the pool fairly: with messages waiting on three connections, every three receives come from all three', () => {
    const svc = cleanups.close(Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: codec() }));
    const clients = [0, 1, 2].map(() => {
      const clt = cleanups.close(Clt.connect<Msg, Msg>({ port: svc.port }, { codec: codec() }));
      if (typeof svc.acceptIntoPoolBusywaitTimeout(5_000) === 'symbol') throw new Error('not accepted');
      return clt;
    });
    // Loopback writes land in the peer's receive buffer before they return: all 15 are waiting.
    clients.forEach((clt, from) => {
      for (let n = 0; n < 5; n++) clt.sendBusywait({ n: from * 10 + n });
    });
    const order: number[] = [];
    for (let i = 0; i < 15; i++) {
      const got = svc.recvFromBusywaitTimeout(5_000);
      if (got === WOULD_BLOCK) throw new Error(`receive ${i} timed out`);
      order.push(Math.floor(got.message.n / 10));
    }
    for (let i = 0; i + 3 <= order.length; i++) expect(new Set(order.slice(i, i + 3)).size, order.join(',')).toBe(3);
  });

  it('splits into halves that stay open until the last holder closes', () => {
    const svc = cleanups.close(Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: codec() }));
    const { clt, peer } = connectedPair(svc);
    const { sender, receiver } = clt.split();
    const otherSender = sender.share();
    sender.close();
    expect(otherSender.sendBusywait({ n: 1 })).toBe('completed');
    expect(peer.recvBusywaitTimeout(5_000)).toEqual({ n: 1 });
    peer.sendBusywait({ n: 2 });
    expect(receiver.recvBusywaitTimeout(5_000)).toEqual({ n: 2 });
    otherSender.close();
    expect(clt.isConnected()).toBe(true);
    receiver.close();
    expect(clt.isConnected()).toBe(false);
    expect(peer.recvBusywaitTimeout(5_000)).toBe(END_OF_STREAM);
  });

  it('refuses a half whose holder closed it, while the other holders go on', () => {
    const svc = cleanups.close(Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: codec() }));
    const { clt, peer } = connectedPair(svc);
    const { sender, receiver } = clt.split();
    const shared = receiver.share();
    receiver.close();
    expect(() => receiver.recv()).toThrow(expect.objectContaining({ code: ErrorCode.CLOSED }));
    expect(sender.sendBusywait({ n: 7 })).toBe('completed');
    expect(peer.recvBusywaitTimeout(5_000)).toEqual({ n: 7 });
    peer.sendBusywait({ n: 8 });
    expect(shared.recvBusywaitTimeout(5_000)).toEqual({ n: 8 });
    sender.close();
    shared.close();
    expect(peer.recvBusywaitTimeout(5_000)).toBe(END_OF_STREAM);
  });

  it('busy-waits on the service side too: accept into the pool, send round robin, receive from any', () => {
    const svc = cleanups.close(Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: codec() }));
    expect(() => svc.recvBusywait()).toThrow(expect.objectContaining({ code: ErrorCode.NOT_CONNECTED }));
    const clients = [0, 1].map(() => {
      const clt = cleanups.close(Clt.connect<Msg, Msg>({ port: svc.port }, { codec: codec() }));
      expect(typeof svc.acceptIntoPoolBusywait()).not.toBe('symbol');
      return clt;
    });
    expect(svc.sendBusywait({ n: 1 })).toBe('completed');
    expect(svc.sendBusywait({ n: 2 })).toBe('completed');
    const got = clients.map((clt) => clt.recvBusywaitTimeout(5_000));
    expect(got.sort((a, b) => (a as Msg).n - (b as Msg).n)).toEqual([{ n: 1 }, { n: 2 }]);
    clients[1].sendBusywait({ n: 3 });
    expect(svc.recvFromBusywait()).toMatchObject({ message: { n: 3 } });
    clients[0].sendBusywait({ n: 4 });
    expect(svc.recvBusywait()).toEqual({ n: 4 });
    for (const clt of clients) clt.close();
    // Both peers gone: once the pool has let them go, an unbounded receive fails instead of hanging.
    expect(() => {
      for (;;) svc.recvBusywait();
    }).toThrow(expect.objectContaining({ code: ErrorCode.NOT_CONNECTED }));
  });

  it('moves receiving to a spawned poller while the sender stays synchronous', async () => {
    const svc = cleanups.close(Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: codec() }));
    const poller = new Poller();
    cleanups.add(() => poller.shutdown());
    const accepted: Clt<Msg, Msg>[] = [];
    const atService: number[] = [];
    poller.addAcceptor(svc, (clt) => {
      accepted.push(cleanups.close(clt));
      poller.addReceiver(clt, { onMessage: (message) => atService.push(message.n) });
    });
    const atClient: number[] = [];
    let resolveDone!: () => void;
    const done = new Promise<void>((resolve) => (resolveDone = resolve));
    const clt = cleanups.close(Clt.connect<Msg, Msg>({ port: svc.port }, { codec: codec() }));
    const sender = cleanups.close(
      clt.intoSenderWithSpawnedReceiver(poller, {
        onMessage: (message) => {
          atClient.push(message.n);
          if (atClient.length === 10) resolveDone();
        },
      }),
    );
    poller.spawn();
    for (let n = 0; n < 10; n++) sender.sendBusywait({ n });
    await new Promise<void>((resolve) => {
      const check = () => (atService.length === 10 ? resolve() : setTimeout(check, 5));
      check();
    });
    for (let n = 0; n < 10; n++) accepted[0].sendBusywait({ n: 100 + n });
    await done;
    expect(atService).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(atClient).toEqual([100, 101, 102, 103, 104, 105, 106, 107, 108, 109]);
  });

  it('hands idle pooled connections to the broker to watch, and still delivers what they send later', () => {
    const svc = cleanups.close(Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: codec(), idlePollsBeforeWatch: 4 }));
    const clients: Clt<Msg, Msg>[] = [];
    for (let i = 0; i < 20; i++) {
      clients.push(cleanups.close(Clt.connect<Msg, Msg>({ port: svc.port }, { codec: codec() })));
      expect(svc.acceptIntoPoolBusywaitTimeout(5_000)).not.toBe(WOULD_BLOCK);
    }
    for (let pass = 0; pass < 10; pass++) expect(svc.recv()).toBe(WOULD_BLOCK);
    const watched = (svc as unknown as { service: { pool: { watchedCount: number } } }).service.pool.watchedCount;
    expect(watched).toBe(20);
    clients[7].sendBusywait({ n: 7 });
    clients[13].sendBusywait({ n: 13 });
    const take = () => {
      const message = svc.recvBusywaitTimeout(5_000);
      return message === WOULD_BLOCK ? -1 : message.n;
    };
    const got = [take(), take()].sort((a, b) => a - b);
    expect(got).toEqual([7, 13]);
  });

  it('sends heartbeats while the thread never yields to the event loop, never more often than their interval', () => {
    const interval = 50;
    const protocol: Protocol<Msg, Msg> = {
      heartbeatInterval: interval,
      peerSilenceIntervals: 0,
      sendHeartbeat: (sender) => sender.send({ n: -1, kind: 'hb' }),
    };
    // Taken before the connect, so that every heartbeat is due after it: load can only delay one.
    const started = performance.now();
    const svc = cleanups.close(Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: codec() }));
    const counter = new CounterCallback();
    const { clt, peer } = connectedPair(svc, { protocol, callbacks: counter });
    // The client spins in its own receive for six intervals at a time: the timer runs inside
    // that loop, so three spins send three heartbeats or more however loaded the machine.
    for (let i = 0; i < 50 && counter.sentCount < 3; i++) expect(clt.recvBusywaitTimeout(300)).toBe(WOULD_BLOCK);
    const elapsed = performance.now() - started;
    expect(counter.sentCount).toBeGreaterThanOrEqual(3);
    // One heartbeat an interval at most: a slow machine sends fewer, never more.
    expect(counter.sentCount).toBeLessThanOrEqual(Math.floor(elapsed / interval) + 1);
    // Every message the peer gets is a heartbeat the callbacks counted first. The client's timer
    // runs in any call on this thread, so one more may go out while the peer reads (a pause of an
    // interval on a loaded machine): read until the counts meet, never past the count.
    let received = 0;
    for (let i = 0; i < 50 && received < counter.sentCount; i++) {
      expect(peer.recvBusywaitTimeout(5_000)).toEqual({ n: -1, kind: 'hb' });
      received++;
      expect(received).toBeLessThanOrEqual(counter.sentCount);
    }
    expect(received).toBe(counter.sentCount);
    // Nothing sent that the callbacks did not count: anything still there is a later, counted beat.
    if (peer.recv() !== WOULD_BLOCK) expect(counter.sentCount).toBeGreaterThan(received);
  });

  it('checks for the Node internals it uses, and they are there on this Node', () => {
    expect(() => checkSyncSocketSupport()).not.toThrow();
  });
});
