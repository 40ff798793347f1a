import { chainCallbacks, CounterCallback, ErrorCode, MessageStore, StoreCallback } from '@net/core';
import { jsonCodec } from '../recipes/core-factories.js';
import { describe, expect, it } from 'vitest';
import type { CltHandle } from '../adapter.js';
import type { SuiteContext } from './context.js';
import { pace, reasonCode, within } from './helpers.js';
import { clientLogin, type CltMsg, serviceLogin, type SvcMsg } from './protocols.js';

/** The next message that is not of type `skip` (heartbeats interleave with data), or end of stream. */
async function recvExcept<M extends { type: string }>(
  handle: CltHandle<unknown, M>,
  skip: string,
): Promise<M | undefined> {
  for (;;) {
    const message = await handle.recv(5_000);
    if (message?.type !== skip) return message;
  }
}

const cltCodec = () => jsonCodec<CltMsg, SvcMsg>();
const svcCodec = () => jsonCodec<SvcMsg, CltMsg>();

/** Heartbeats, auto-reply, goodbye messages, message hooks and callbacks over real sockets (links E3, E4, N5.10). */
export function protocolScenarios(ctx: SuiteContext): void {
  describe('protocol hooks', () => {
    it('sends heartbeats at the configured rate while idle, and none while the send side is busy (links E4)', async () => {
      const interval = 100;
      const svcStore = new MessageStore<CltMsg>();
      const svcCount = new CounterCallback<SvcMsg, CltMsg>();
      const cltStore = new MessageStore<SvcMsg>();
      const cltCount = new CounterCallback<CltMsg, SvcMsg>();
      const svcStoreCallback = new StoreCallback<CltMsg, SvcMsg, CltMsg>(svcStore, { into: (m) => m as CltMsg });
      const cltStoreCallback = new StoreCallback<SvcMsg, CltMsg, SvcMsg>(cltStore, { into: (m) => m as SvcMsg });
      // Before the connection exists: every heartbeat is sent after this.
      const startedAt = performance.now();
      const { clt, peer } = await ctx.connectPair<CltMsg, SvcMsg>(
        {
          codec: svcCodec(),
          protocol: serviceLogin({ heartbeatInterval: interval }),
          callbacks: chainCallbacks<SvcMsg, CltMsg>(svcStoreCallback, svcCount),
        },
        {
          codec: cltCodec(),
          protocol: clientLogin({ heartbeatInterval: interval }),
          callbacks: chainCallbacks<CltMsg, SvcMsg>(cltStoreCallback, cltCount),
        },
      );
      // Idle: five heartbeats each way (after the one handshake message each side received).
      await Promise.all([svcCount.waitForRecvCount(1 + 5, 5_000), cltCount.waitForRecvCount(1 + 5, 5_000)]);
      for (const store of [svcStore, cltStore] as MessageStore<{ type: string }>[]) {
        const beats = store.entries().filter((entry) => entry.direction === 'recv' && entry.message.type === 'hb');
        expect(beats.length).toBeGreaterThanOrEqual(5);
        // The k-th heartbeat cannot arrive before k intervals have passed, since a side beats only
        // after a whole interval without sending: a bound that a loaded machine, which only delays
        // arrivals, cannot break (gaps between arrivals can shrink under load, so they are not
        // checked; that a late timer sends no catch-up burst is a unit test of the driver).
        // The 0.9 allows for timers that run on a millisecond clock.
        beats
          .slice(0, 5)
          .forEach((entry, k) => expect(entry.monotonic - startedAt).toBeGreaterThanOrEqual((k + 1) * interval * 0.9));
      }
      // Busy: the client sends every 20 ms for 600 ms, so its send side is never idle for an
      // interval, unless the machine stalls it. A send happens between its call and the moment its
      // promise settles, so the gap between two sends is at most the time from the first call to
      // the second settling: the beats a stall can excuse are counted from that bound, which load
      // can only widen.
      let calledAt = 0;
      let excused = 0;
      for (let n = 0; n < 30; n++) {
        const call = performance.now();
        await clt.send({ type: 'data', n });
        if (n > 0) excused += Math.floor((performance.now() - calledAt) / interval);
        calledAt = call;
        await pace(20);
      }
      // Heartbeats are messages too: the user sees them, between the data.
      for (let n = 0; n < 30; n++) expect(await recvExcept(peer, 'hb')).toEqual({ type: 'data', n });
      // Count the client's heartbeats between its first and last data message, in arrival order.
      const fromClient = svcStore.entries().filter((entry) => entry.direction === 'recv');
      const first = fromClient.findIndex((entry) => entry.message.type === 'data');
      const last = fromClient.findIndex((entry) => entry.message.type === 'data' && entry.message.n === 29);
      const beatsDuring = fromClient.slice(first, last + 1).filter((entry) => entry.message.type === 'hb').length;
      expect(beatsDuring).toBeLessThanOrEqual(excused);
      // Meanwhile the idle service kept beating towards the client.
      expect(
        cltStore.entries().filter((entry) => entry.direction === 'recv' && entry.message.type === 'hb').length,
      ).toBeGreaterThanOrEqual(5 + 4);
    });

    it('closes a connection whose peer stays silent past peerSilenceIntervals with NET_ERR_PEER_SILENT', async () => {
      const { clt, peer } = await ctx.connectPair<CltMsg, SvcMsg>(
        { codec: svcCodec(), protocol: serviceLogin() },
        { codec: cltCodec(), protocol: clientLogin({ heartbeatInterval: 100, peerSilenceIntervals: 3 }) },
      );
      const started = performance.now();
      expect(reasonCode(await within(clt.closed, 5_000, 'the client to give up on its silent peer'))).toBe(
        ErrorCode.PEER_SILENT,
      );
      expect(performance.now() - started).toBeGreaterThanOrEqual(250);
      expect(await recvExcept(peer, 'hb')).toBeUndefined();
    });

    it('calls callbacks once per message and event on both sides (links N5.10)', async () => {
      const cltCount = new CounterCallback<CltMsg, SvcMsg>();
      const svcCount = new CounterCallback<SvcMsg, CltMsg>();
      const { clt, peer } = await ctx.connectPair<CltMsg, SvcMsg>(
        { codec: svcCodec(), protocol: serviceLogin({ goodbye: false }), callbacks: svcCount },
        { codec: cltCodec(), protocol: clientLogin({ goodbye: false }), callbacks: cltCount },
      );
      // The handshake: one login each way through the callbacks, one connection each side.
      expect(cltCount.connectedCount).toBe(1);
      await svcCount.waitForSentCount(1, 5_000);
      for (let n = 0; n < 10; n++) await clt.send({ type: 'data', n });
      for (let n = 0; n < 10; n++) await peer.send({ type: 'data', n });
      await Promise.all([
        svcCount.waitForRecvCount(11, 5_000),
        cltCount.waitForRecvCount(11, 5_000),
        cltCount.waitForSentCount(11, 5_000),
        svcCount.waitForSentCount(11, 5_000),
      ]);
      await clt.close();
      await within(peer.closed, 5_000, 'the service side to close');
      expect([cltCount.sentCount, cltCount.recvCount, svcCount.sentCount, svcCount.recvCount]).toEqual([
        11, 11, 11, 11,
      ]);
      expect([
        cltCount.connectedCount,
        cltCount.disconnectedCount,
        svcCount.connectedCount,
        svcCount.disconnectedCount,
      ]).toEqual([1, 1, 1, 1]);
      expect(svcCount.rejectedCount + cltCount.rejectedCount).toBe(0);
    });

    it('records both sides into one MessageStore, found by connection name and predicate (links E3)', async () => {
      const store = new MessageStore<CltMsg | SvcMsg>();
      const { clt, peer } = await ctx.connectPair<CltMsg, SvcMsg>(
        {
          codec: svcCodec(),
          name: 'svc-e3',
          protocol: serviceLogin({ goodbye: false }),
          callbacks: new StoreCallback<CltMsg | SvcMsg, SvcMsg, CltMsg>(store),
        },
        {
          codec: cltCodec(),
          name: 'clt-e3',
          protocol: clientLogin({ goodbye: false }),
          callbacks: new StoreCallback<CltMsg | SvcMsg, CltMsg, SvcMsg>(store),
        },
      );
      await clt.send({ type: 'data', n: 1 });
      await peer.send({ type: 'data', n: 2 });
      expect(await peer.recv(5_000)).toEqual({ type: 'data', n: 1 });
      expect(await clt.recv(5_000)).toEqual({ type: 'data', n: 2 });
      const isData = (n: number) => (message: CltMsg | SvcMsg) => message.type === 'data' && message.n === n;
      expect((await store.findRecv('svc-e3', isData(1), { timeout: 5_000 }))?.message).toEqual({ type: 'data', n: 1 });
      expect((await store.findSent('clt-e3', isData(1), { timeout: 5_000 }))?.message).toEqual({ type: 'data', n: 1 });
      expect((await store.findRecv('clt-e3', isData(2), { timeout: 5_000 }))?.message).toEqual({ type: 'data', n: 2 });
      expect((await store.findSent('svc-e3', isData(2), { timeout: 5_000 }))?.message).toEqual({ type: 'data', n: 2 });
      // The handshake is in the store too: the login both ways, the acceptance both ways.
      expect(store.findRecvNow('svc-e3', (message) => message.type === 'login')).toBeDefined();
      expect(store.findRecvNow('clt-e3', (message) => message.type === 'accepted')).toBeDefined();
      expect(store.findRecvNow('clt-e3', (message) => message.type === 'login')).toBeUndefined();
      expect(store.size).toBe(2 + 2 + 2 + 2);
    });

    it('closes the connection with NET_ERR_PROTOCOL when a protocol hook throws; the service keeps serving', async () => {
      const fragile = serviceLogin({ failOnNegativeData: true });
      const { svc, clt, peer } = await ctx.connectPair<CltMsg, SvcMsg>(
        { codec: svcCodec(), protocol: fragile },
        { codec: cltCodec(), protocol: clientLogin() },
      );
      await clt.send({ type: 'data', n: 1 });
      await clt.send({ type: 'data', n: -1 });
      expect(await peer.recv(5_000)).toEqual({ type: 'data', n: 1 });
      expect(reasonCode(await within(peer.closed, 5_000, 'the service side to close'))).toBe(ErrorCode.PROTOCOL);
      await within(clt.closed, 5_000, 'the client to see the close');
      const [next, nextPeer] = await Promise.all([
        ctx.connect<CltMsg, SvcMsg>(svc.port, { codec: cltCodec(), protocol: clientLogin() }),
        svc.accept(5_000),
      ]);
      ctx.track(nextPeer);
      await next.send({ type: 'data', n: 2 });
      expect(await nextPeer.recv(5_000)).toEqual({ type: 'data', n: 2 });
    });

    it('lets onSend replace each message (a sequence stamp): the peer and onSent see the replacement, onRecv runs before delivery', async () => {
      const stamped: number[] = [];
      const seen: number[] = [];
      const stamping = clientLogin({ goodbye: false, stampDataFrom: 100 });
      const recording = serviceLogin({ goodbye: false, onDataRecv: (n) => void seen.push(n) });
      const sent = new CounterCallback<CltMsg, SvcMsg>();
      const { clt, peer } = await ctx.connectPair<CltMsg, SvcMsg>(
        { codec: svcCodec(), protocol: recording },
        {
          codec: cltCodec(),
          protocol: stamping,
          callbacks: {
            onSent: (id, message) => {
              sent.onSent(id, message);
              if (message.type === 'data') stamped.push(message.n);
            },
          },
        },
      );
      for (let n = 0; n < 3; n++) await clt.send({ type: 'data', n });
      for (let n = 0; n < 3; n++) {
        expect(await peer.recv(5_000)).toEqual({ type: 'data', n: 100 + n });
        expect(seen.length).toBeGreaterThanOrEqual(n + 1);
      }
      await sent.waitForSentCount(1 + 3, 5_000);
      expect(stamped).toEqual([100, 101, 102]);
      expect(seen).toEqual([100, 101, 102]);
    });

    it('answers pings through the reply hook without user code; the ping is still delivered (links E4)', async () => {
      const { clt, peer } = await ctx.connectPair<CltMsg, SvcMsg>(
        { codec: svcCodec(), protocol: serviceLogin() },
        { codec: cltCodec(), protocol: clientLogin() },
      );
      for (let n = 0; n < 10; n++) await clt.send({ type: 'ping', n });
      for (let n = 0; n < 10; n++) expect(await clt.recv(5_000)).toEqual({ type: 'pong', n });
      for (let n = 0; n < 10; n++) expect(await peer.recv(5_000)).toEqual({ type: 'ping', n });
    });

    it("says goodbye on a graceful close: the peer gets the protocol's last message before end of stream (links N5.5, N5.7)", async () => {
      const { svc, clt, peer } = await ctx.connectPair<CltMsg, SvcMsg>(
        { codec: svcCodec(), protocol: serviceLogin() },
        { codec: cltCodec(), protocol: clientLogin() },
      );
      await clt.send({ type: 'data', n: 1 });
      await clt.close();
      expect(await peer.recv(5_000)).toEqual({ type: 'data', n: 1 });
      expect(await peer.recv(5_000)).toEqual({ type: 'bye' });
      expect(await peer.recv(5_000)).toBeUndefined();
      // The service's goodbye, from a connection it accepted and from the service closing.
      const [second, secondPeer] = await Promise.all([
        ctx.connect<CltMsg, SvcMsg>(svc.port, { codec: cltCodec(), protocol: clientLogin() }),
        svc.accept(5_000),
      ]);
      await secondPeer.close();
      expect(await second.recv(5_000)).toEqual({ type: 'eos' });
      expect(await second.recv(5_000)).toBeUndefined();
      const [third] = await Promise.all([
        ctx.connect<CltMsg, SvcMsg>(svc.port, { codec: cltCodec(), protocol: clientLogin() }),
        svc.acceptIntoPool(5_000),
      ]);
      await svc.close();
      expect(await third.recv(5_000)).toEqual({ type: 'eos' });
      expect(await third.recv(5_000)).toBeUndefined();
    });
  });
}
