import { type ConId, CounterCallback, ErrorCode } from '@net/core';
import { jsonCodec } from '../recipes/core-factories.js';
import { describe, expect, it } from 'vitest';
import type { CltHandle, SvcHandle } from '../adapter.js';
import type { SuiteContext } from './context.js';
import { codeOf, EventLog, outcome, reasonCode, rejectionCode, type Seq, until, within } from './helpers.js';
import { clientLogin, type CltMsg, serviceLogin, type SvcMsg } from './protocols.js';

const json = () => jsonCodec<Seq>();

interface Pooled {
  readonly svc: SvcHandle<Seq, Seq>;
  readonly clients: CltHandle<Seq, Seq>[];
  /** The service's id for each client, by client index. */
  readonly ids: ConId[];
  readonly log: EventLog<Seq, Seq>;
  readonly counter: CounterCallback<Seq, Seq>;
}

/**
 * Binds a service, connects `count` clients into its pool, and learns which pooled connection is
 * which client: each client says hello with its index and `recvFrom` names the connection.
 */
async function pooledClients(ctx: SuiteContext, count: number): Promise<Pooled> {
  const log = new EventLog<Seq, Seq>();
  const counter = new CounterCallback<Seq, Seq>();
  const svc = await ctx.bind<Seq, Seq>({
    codec: json(),
    callbacks: {
      onRecv: (id, m) => counter.onRecv(id, m),
      onConnected: (id) => log.onConnected(id),
      onDisconnected: (id, r) => log.onDisconnected(id, r),
    },
  });
  const clients: CltHandle<Seq, Seq>[] = [];
  for (let i = 0; i < count; i++) {
    const [clt] = await Promise.all([ctx.connect<Seq, Seq>(svc.port, { codec: json() }), svc.acceptIntoPool(5_000)]);
    clients.push(clt);
  }
  expect(await svc.poolSize()).toBe(count);
  const ids: ConId[] = new Array<ConId>(count);
  await Promise.all(clients.map((clt, from) => clt.send({ seq: -1, from })));
  for (let i = 0; i < count; i++) {
    const got = await svc.recvFrom(5_000);
    expect(got?.message.seq).toBe(-1);
    ids[got!.message.from!] = got!.conId;
  }
  return { svc, clients, ids, log, counter };
}

/** `maxConnections` and the service pool: round robin, `sendTo`, `broadcast`, fair `recvFrom` (links N5, N6, E2). */
export function servicePoolScenarios(ctx: SuiteContext): void {
  describe('service pool', () => {
    it('refuses a client over maxConnections (no handshake: it sees end of stream), then takes a new one once a slot is free (links N5.4)', async () => {
      const svc = await ctx.bind<Seq, Seq>({ codec: json(), maxConnections: 1 });
      const first = await ctx.connect<Seq, Seq>(svc.port, { codec: json() });
      const firstPeer = ctx.track(await svc.accept(5_000));
      // Rule: TCP lets the refused client connect; the service then closes it without a word, so
      // the client (which sent nothing) sees a clean end of stream.
      const refused = await ctx.connect<Seq, Seq>(svc.port, { codec: json() });
      expect(await refused.recv(5_000)).toBeUndefined();
      expect(reasonCode(await within(refused.closed, 5_000, 'the refused client to close'))).toBe('clean');
      expect(await svc.rejectedCount()).toBe(1);
      // The first connection is untouched.
      await first.send({ seq: 1 });
      expect(await firstPeer.recv(5_000)).toEqual({ seq: 1 });
      // Its slot is free once the service side of it has closed.
      await first.close();
      await within(firstPeer.closed, 5_000, 'the first connection to close on the service');
      const [next, nextPeer] = await Promise.all([
        ctx.connect<Seq, Seq>(svc.port, { codec: json() }),
        svc.accept(5_000),
      ]);
      ctx.track(nextPeer);
      await next.send({ seq: 2 });
      expect(await nextPeer.recv(5_000)).toEqual({ seq: 2 });
      expect(await svc.rejectedCount()).toBe(1);
    });

    it('fails the connect of a client over maxConnections with NET_ERR_HANDSHAKE when the service has a handshake (links N5.3)', async () => {
      const svc = await ctx.bind<SvcMsg, CltMsg>({
        codec: jsonCodec<SvcMsg, CltMsg>(),
        protocol: serviceLogin(),
        maxConnections: 1,
      });
      const cltOptions = { codec: jsonCodec<CltMsg, SvcMsg>(), protocol: clientLogin(), timeout: 1_000 };
      const [, firstPeer] = await Promise.all([ctx.connect<CltMsg, SvcMsg>(svc.port, cltOptions), svc.accept(5_000)]);
      ctx.track(firstPeer);
      expect(await rejectionCode(ctx.connect<CltMsg, SvcMsg>(svc.port, cltOptions))).toBe(ErrorCode.HANDSHAKE);
      expect(await svc.rejectedCount()).toBe(1);
      await firstPeer.close();
      const [again, againPeer] = await Promise.all([
        ctx.connect<CltMsg, SvcMsg>(svc.port, cltOptions),
        svc.accept(5_000),
      ]);
      ctx.track(againPeer);
      await again.send({ type: 'data', n: 1 });
      expect(await againPeer.recv(5_000)).toEqual({ type: 'data', n: 1 });
    });

    it('frees the slot of a connection whose handshake failed or timed out (maxConnections 1)', async () => {
      const svc = await ctx.bind<SvcMsg, CltMsg>({
        codec: jsonCodec<SvcMsg, CltMsg>(),
        protocol: serviceLogin(),
        maxConnections: 1,
        handshakeTimeout: 300,
      });
      for (let i = 0; i < 3; i++) {
        const code = await rejectionCode(
          ctx.connect<CltMsg, SvcMsg>(svc.port, {
            codec: jsonCodec<CltMsg, SvcMsg>(),
            protocol: clientLogin({ password: 'wrong' }),
          }),
        );
        expect(code).toBe(ErrorCode.HANDSHAKE);
      }
      const silent = await ctx.connect<CltMsg, SvcMsg>(svc.port, { codec: jsonCodec<CltMsg, SvcMsg>() });
      await within(silent.closed, 5_000, 'the silent client to be dropped');
      const [good, peer] = await Promise.all([
        ctx.connect<CltMsg, SvcMsg>(svc.port, { codec: jsonCodec<CltMsg, SvcMsg>(), protocol: clientLogin() }),
        svc.accept(5_000),
      ]);
      ctx.track(peer);
      await good.send({ type: 'data', n: 1 });
      expect(await peer.recv(5_000)).toEqual({ type: 'data', n: 1 });
      // Handshake failures are not refusals for being full.
      expect(await svc.rejectedCount()).toBe(0);
    });

    it('gives up a bounded accept or recvFrom with NET_ERR_TIMEOUT; closing the service ends pending ones', async () => {
      const svc = await ctx.bind<Seq, Seq>({ codec: json() });
      expect(await rejectionCode(svc.accept(100))).toBe(ErrorCode.TIMEOUT);
      const [clt] = await Promise.all([ctx.connect<Seq, Seq>(svc.port, { codec: json() }), svc.acceptIntoPool(5_000)]);
      expect(await rejectionCode(svc.recvFrom(100))).toBe(ErrorCode.TIMEOUT);
      await clt.send({ seq: 1 });
      expect((await svc.recvFrom(5_000))?.message).toEqual({ seq: 1 });
      const accept = outcome(svc.accept());
      const recv = outcome(svc.recvFrom());
      await svc.close();
      const [accepted, received] = await within(Promise.all([accept, recv]), 5_000, 'pending calls to end');
      expect(accepted.ok ? 'resolved' : codeOf(accepted.error)).toBe(ErrorCode.CLOSED);
      expect(received).toEqual({ ok: true, value: undefined });
    });

    it('sends round robin over the pool: six sends reach each of three clients twice (links E2)', async () => {
      const { svc, clients } = await pooledClients(ctx, 3);
      for (let seq = 0; seq < 6; seq++) await svc.send({ seq });
      const got = await Promise.all(
        clients.map(async (clt) => [(await clt.recv(5_000))!.seq, (await clt.recv(5_000))!.seq]),
      );
      // Consecutive sends go to consecutive connections: each client has seq k and k + 3.
      for (const [a, b] of got) expect(b - a).toBe(3);
      expect(got.map(([a]) => a).sort()).toEqual([0, 1, 2]);
      // And nothing else: the next message each client gets is the broadcast.
      expect(await svc.broadcast({ seq: 100 })).toBe(3);
      for (const clt of clients) expect(await clt.recv(5_000)).toEqual({ seq: 100 });
    });

    it('sendTo reaches only its connection; broadcast reaches all and counts them', async () => {
      const { svc, clients, ids } = await pooledClients(ctx, 3);
      await svc.sendTo(ids[1], { seq: 200 });
      expect(await svc.broadcast({ seq: 300 })).toBe(3);
      expect(await clients[1].recv(5_000)).toEqual({ seq: 200 });
      for (const clt of clients) expect(await clt.recv(5_000)).toEqual({ seq: 300 });
    });

    ctx.readAheadSvcIt(
      'recvFrom takes fairly: while all three clients have messages waiting, every three receives come from three connections',
      async () => {
        const { svc, clients, ids, counter } = await pooledClients(ctx, 3);
        await Promise.all(
          clients.map(async (clt, from) => {
            for (let seq = 0; seq < 5; seq++) await clt.send({ seq, from });
          }),
        );
        await counter.waitForRecvCount(3 + 15, 5_000);
        const order: number[] = [];
        const perClient: number[][] = [[], [], []];
        for (let i = 0; i < 15; i++) {
          const got = (await svc.recvFrom(5_000))!;
          const from = got.message.from!;
          expect(String(got.conId)).toBe(String(ids[from]));
          order.push(from);
          perClient[from].push(got.message.seq);
        }
        for (let i = 0; i + 3 <= order.length; i++)
          expect(new Set(order.slice(i, i + 3)).size, `receives ${i}..${i + 2} of ${order.join(',')}`).toBe(3);
        for (const seqs of perClient) expect(seqs).toEqual([0, 1, 2, 3, 4]);
      },
    );

    it('still delivers through recvFrom what a pooled client sent just before it closed', async () => {
      const { svc, clients, log, ids } = await pooledClients(ctx, 2);
      for (let seq = 0; seq < 5; seq++) await clients[0].send({ seq, from: 0 });
      await clients[0].close();
      await log.waitFor('disconnected', 5_000, (event) => String(event.conId) === String(ids[0]));
      await until(async () => (await svc.poolSize()) === 1, 2_000, 'the pool has 1 connection');
      const got: number[] = [];
      for (let i = 0; i < 5; i++) got.push((await svc.recvFrom(1_000))!.message.seq);
      expect(got).toEqual([0, 1, 2, 3, 4]);
    });

    it('drops a client that closes from the pool; sends then reach the others, and an empty pool refuses with NET_ERR_NOT_CONNECTED', async () => {
      const { svc, clients, ids, log } = await pooledClients(ctx, 3);
      await clients[2].close();
      await log.waitFor('disconnected', 5_000, (event) => String(event.conId) === String(ids[2]));
      await until(async () => (await svc.poolSize()) === 2, 2_000, 'the pool has 2 connections');
      expect(await rejectionCode(svc.sendTo(ids[2], { seq: 1 }))).toBe(ErrorCode.NOT_CONNECTED);
      await svc.send({ seq: 10 });
      await svc.send({ seq: 11 });
      const got = [(await clients[0].recv(5_000))!.seq, (await clients[1].recv(5_000))!.seq].sort();
      expect(got).toEqual([10, 11]);
      expect(await svc.broadcast({ seq: 12 })).toBe(2);
      await Promise.all([clients[0].close(), clients[1].close()]);
      await until(async () => (await svc.poolSize()) === 0, 5_000, 'the pool is empty');
      expect(await rejectionCode(svc.send({ seq: 13 }))).toBe(ErrorCode.NOT_CONNECTED);
      expect(await svc.broadcast({ seq: 14 })).toBe(0);
    });
  });
}
