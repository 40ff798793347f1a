import { ErrorCode } from '@net/core';
import { describe, expect, it } from 'vitest';
import type { CltHandle, SvcHandle } from '../adapter.js';
import { FaultProxy } from '../faults/fault-proxy.js';
import { jsonCodec } from '../recipes/core-factories.js';
import type { SuiteContext } from './context.js';
import { codeOf, outcome, reasonCode, type Seq, within } from './helpers.js';
import { clientLogin, type CltMsg, serviceLogin, type SvcMsg } from './protocols.js';

interface Proxied<C, S> {
  readonly proxy: FaultProxy;
  readonly svc: SvcHandle<S, C>;
  readonly clt: CltHandle<C, S>;
  readonly peer: CltHandle<S, C>;
}

/** A service, a fault proxy in front of it, and a client connected through the proxy. */
async function throughProxy<C, S>(
  ctx: SuiteContext,
  svcOptions: Parameters<SuiteContext['bind']>[0],
  cltOptions: Parameters<SuiteContext['connect']>[1],
): Promise<Proxied<C, S>> {
  const svc = (await ctx.bind(svcOptions)) as SvcHandle<S, C>;
  const proxy = await FaultProxy.start(svc.port);
  ctx.defer('fault proxy', () => proxy.close());
  const [clt, peer] = await Promise.all([
    ctx.connect(proxy.port, cltOptions) as Promise<CltHandle<C, S>>,
    svc.accept(5_000),
  ]);
  ctx.track(peer, 'accepted connection');
  return { proxy, svc, clt, peer };
}

/** The service still takes a new client through a clean proxy and answers it. */
async function stillServing(ctx: SuiteContext, svc: SvcHandle<Seq, Seq>): Promise<void> {
  const proxy = await FaultProxy.start(svc.port);
  ctx.defer('fault proxy', () => proxy.close());
  const [clt, peer] = await Promise.all([
    ctx.connect<Seq, Seq>(proxy.port, { codec: jsonCodec<Seq>({ framing: 'length' }) }),
    svc.accept(5_000),
  ]);
  ctx.track(peer, 'accepted connection');
  await clt.send({ seq: 7 });
  expect(await peer.recv(5_000)).toEqual({ seq: 7 });
}

const body = (seq: number) => ({ seq, text: `m${seq}-${'r'.repeat(seq % 97)}` });

/** Faults injected between client and service by a proxy: fragmentation, delay, black holes, cuts, corruption (#8). */
export function reliabilityScenarios(ctx: SuiteContext): void {
  const json = () => jsonCodec<Seq>({ framing: 'length' });
  describe('faults through a proxy', () => {
    it('delivers every message once, in order and intact through 1-byte and random-size segments with delays', async () => {
      const { proxy, clt, peer } = await throughProxy<Seq, Seq>(ctx, { codec: json() }, { codec: json() });
      proxy.segment({ kind: 'bytes' });
      for (let seq = 0; seq < 20; seq++) await clt.send(body(seq));
      for (let seq = 0; seq < 20; seq++) expect(await peer.recv(5_000)).toEqual(body(seq));
      proxy.segment({ kind: 'random', max: 50, seed: 8 });
      proxy.delayMs = 1;
      const sent = Promise.all(Array.from({ length: 200 }, (_, i) => peer.send(body(1_000 + i))));
      for (let i = 0; i < 200; i++) expect(await clt.recv(10_000)).toEqual(body(1_000 + i));
      await sent;
    });

    it('finds a black hole through heartbeats: both sides end with NET_ERR_PEER_SILENT', async () => {
      const silence = { heartbeatInterval: 50, peerSilenceIntervals: 4 };
      const { proxy, clt, peer } = await throughProxy<CltMsg, SvcMsg>(
        ctx,
        { codec: jsonCodec<SvcMsg, CltMsg>(), protocol: serviceLogin({ ...silence, goodbye: false }) },
        { codec: jsonCodec<CltMsg, SvcMsg>(), protocol: clientLogin({ ...silence, goodbye: false }) },
      );
      await clt.send({ type: 'data', n: 1 });
      expect(await peer.recv(5_000)).toEqual({ type: 'data', n: 1 });
      proxy.blackHole = true;
      expect(reasonCode(await within(clt.closed, 5_000, 'the client to give up on the black hole'))).toBe(
        ErrorCode.PEER_SILENT,
      );
      expect(reasonCode(await within(peer.closed, 5_000, 'the service side to give up on the black hole'))).toBe(
        ErrorCode.PEER_SILENT,
      );
    });

    it('reports a frame cut by a FIN as NET_ERR_TRUNCATED, delivers none of it, and keeps serving', async () => {
      const { proxy, svc, clt, peer } = await throughProxy<Seq, Seq>(ctx, { codec: json() }, { codec: json() });
      await clt.send({ seq: 1 });
      expect(await peer.recv(5_000)).toEqual({ seq: 1 });
      proxy.cutNext('toService', 10, 'fin');
      await outcome(clt.send(body(90)));
      const next = await outcome(peer.recv(5_000));
      expect(next.ok ? next.value : codeOf(next.error)).toBe(ErrorCode.TRUNCATED);
      expect(reasonCode(await within(peer.closed, 5_000, 'the service side to close'))).toBe(ErrorCode.TRUNCATED);
      await within(clt.closed, 5_000, 'the client to see its connection end');
      await stillServing(ctx, svc);
    });

    it('reports a reset in the middle of a frame as a coded error on both sides, delivers none of it, and keeps serving', async () => {
      const { proxy, svc, clt, peer } = await throughProxy<Seq, Seq>(ctx, { codec: json() }, { codec: json() });
      await peer.send({ seq: 1 });
      expect(await clt.recv(5_000)).toEqual({ seq: 1 });
      proxy.cutNext('toClient', 10, 'rst');
      await outcome(peer.send(body(90)));
      const next = await outcome(clt.recv(5_000));
      expect(next.ok).toBe(false);
      expect([ErrorCode.PEER_RESET, ErrorCode.TRUNCATED]).toContain(
        reasonCode(await within(clt.closed, 5_000, 'the client to close')),
      );
      expect(reasonCode(await within(peer.closed, 5_000, 'the service side to close'))).toBe(ErrorCode.PEER_RESET);
      await stillServing(ctx, svc);
    });

    it('reports a corrupted byte as one NET_ERR_DECODE and reads on from the next frame', async () => {
      const lines = () => jsonCodec<Seq>();
      const { proxy, clt, peer } = await throughProxy<Seq, Seq>(ctx, { codec: lines() }, { codec: lines() });
      await clt.send({ seq: 1 });
      expect(await peer.recv(5_000)).toEqual({ seq: 1 });
      proxy.corruptNext('toService', 3);
      await clt.send({ seq: 2 });
      const corrupted = await outcome(peer.recv(5_000));
      expect(corrupted.ok ? corrupted.value : codeOf(corrupted.error)).toBe(ErrorCode.DECODE);
      await clt.send({ seq: 3 });
      expect(await peer.recv(5_000)).toEqual({ seq: 3 });
    });
  });
}
