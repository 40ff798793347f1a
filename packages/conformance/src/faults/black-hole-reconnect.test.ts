import { afterEach, expect, it, vi } from 'vitest';
import { Clt, CounterCallback, HandshakeStep, jsonCodec, type Protocol, Svc } from '@net/async';
import { FaultProxy } from './fault-proxy.js';

// A black hole between an async client with reconnect on and an async service: heartbeats find it,
// the client then retries with backoff and jitter (each attempt into the hole fails its handshake
// at the deadline), and once the path returns it reconnects and the login runs again.
type Msg = { n: number; kind?: 'login' | 'welcome' | 'hb' };

const HEARTBEAT_MS = 50;
const HANDSHAKE_MS = 250;
const MAX_DELAY_MS = 200;
const heartbeats = {
  heartbeatInterval: HEARTBEAT_MS,
  peerSilenceIntervals: 4,
  sendHeartbeat: (sender: { send(m: Msg): void }) => sender.send({ n: -1, kind: 'hb' }),
};

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

it('async client: a black hole is found by heartbeats, reconnects back off with jitter, and the login runs again when the path returns', async () => {
  let logins = 0;
  const serverProtocol: Protocol<Msg, Msg> = {
    ...heartbeats,
    onHandshakeRecv(message, connection) {
      if (message.kind !== 'login') return HandshakeStep.Continue;
      logins++;
      connection.send({ n: 0, kind: 'welcome' });
      return HandshakeStep.Done;
    },
  };
  const clientProtocol: Protocol<Msg, Msg> = {
    ...heartbeats,
    onConnect: (connection) => connection.send({ n: 0, kind: 'login' }),
    onHandshakeRecv: (message) => (message.kind === 'welcome' ? HandshakeStep.Done : HandshakeStep.Continue),
  };
  const svc = await Svc.bind<Msg, Msg>('127.0.0.1:0', {
    codec: jsonCodec<Msg>(),
    protocol: serverProtocol,
    autoPool: true,
    handshakeTimeout: HANDSHAKE_MS,
  });
  cleanups.push(() => svc.close());
  const proxy = await FaultProxy.start(svc.port);
  cleanups.push(() => proxy.close());
  const counter = new CounterCallback<Msg, Msg>();
  const clt = await Clt.connect<Msg, Msg>(
    { port: proxy.port },
    {
      codec: jsonCodec<Msg>(),
      protocol: clientProtocol,
      callbacks: counter,
      handshakeTimeout: HANDSHAKE_MS,
      reconnect: { initialDelay: 20, maxDelay: MAX_DELAY_MS, jitter: 0.5 },
    },
  );
  cleanups.push(() => clt.close());
  const userMessage = async (n: number) => {
    clt.send({ n });
    for (;;) {
      const got = await svc.recv({ timeout: 5_000 });
      if (got?.kind !== 'hb') return got;
    }
  };
  expect(logins).toBe(1);
  expect(await userMessage(1)).toEqual({ n: 1 });

  proxy.blackHole = true;
  await vi.waitFor(() => expect(counter.disconnectedCount).toBeGreaterThanOrEqual(1), {
    timeout: 10_000,
    interval: 20,
  });
  // Attempts into the hole: each connects to the proxy, then fails its login at the deadline.
  const before = proxy.acceptedAt.length;
  await vi.waitFor(() => expect(proxy.acceptedAt.length - before).toBeGreaterThanOrEqual(4), {
    timeout: 20_000,
    interval: 20,
  });
  expect(logins).toBe(1);
  const attempts = proxy.acceptedAt.slice(before);
  const waits = attempts.slice(1).map((at, i) => at - attempts[i] - HANDSHAKE_MS);
  // Backoff: waits stay under the cap (plus scheduling slack) and are not all the same (jitter).
  for (const wait of waits) expect(wait).toBeLessThan(MAX_DELAY_MS + 1_000);
  expect(new Set(waits.map((wait) => Math.round(wait))).size).toBeGreaterThan(1);

  proxy.blackHole = false;
  await vi.waitFor(() => expect(logins).toBeGreaterThanOrEqual(2), { timeout: 20_000, interval: 20 });
  await vi.waitFor(() => expect(counter.connectedCount).toBeGreaterThanOrEqual(2), { timeout: 10_000, interval: 20 });
  expect(await userMessage(2)).toEqual({ n: 2 });
  svc.broadcast({ n: 3 });
  for (;;) {
    const got = await clt.recv({ timeout: 5_000 });
    if (got?.kind === 'hb') continue;
    expect(got).toEqual({ n: 3 });
    break;
  }
}, 60_000);
