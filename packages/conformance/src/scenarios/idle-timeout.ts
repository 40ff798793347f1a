import { ErrorCode } from '@net/core';
import { describe, expect, it } from 'vitest';
import { jsonCodec } from '../recipes/core-factories.js';
import type { SuiteContext } from './context.js';
import { EventLog, reasonCode, rejectionCode, type Seq, until, within } from './helpers.js';
import { rawConnect, rawListen, type RawPeer } from './raw-peer.js';

/** The idle timeout the scenarios set, in ms. */
const IDLE_MS = 300;
/** How often the busy client speaks: well inside the idle timeout, even on a loaded machine. */
const BUSY_EVERY_MS = 50;
/** Bound on every wait: the drop is due within 1.5 idle timeouts; this is for a starved machine. */
const GUARD_MS = 20_000;

const codec = () => jsonCodec<Seq>({ framing: 'length' });
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `idleTimeout`: a peer that sends nothing is dropped, whoever it is; one that speaks is not. */
export function idleTimeoutScenarios(ctx: SuiteContext): void {
  describe('idle timeout', () => {
    it('drops a raw peer that connects and sends nothing with NET_ERR_IDLE_TIMEOUT, freeing its slot; a client that keeps sending is served on', async () => {
      const log = new EventLog<Seq, Seq>();
      const svc = await ctx.bind<Seq, Seq>({ codec: codec(), callbacks: log, idleTimeout: IDLE_MS, maxConnections: 2 });
      const busy = await ctx.connect<Seq, Seq>(svc.port, { codec: codec() });
      await svc.acceptIntoPool(GUARD_MS);
      const accepted = svc.acceptIntoPool(GUARD_MS);
      const raw: RawPeer = await rawConnect(ctx, svc.port);
      const rawId = await accepted;
      let dropped = false;
      void raw.closed.then(() => (dropped = true));
      // Round trips through the pool, paced well inside the idle timeout, until the silent peer is
      // gone and a few more after: the busy connection never goes idle.
      let after = 0;
      for (let seq = 0; after < 5; seq++) {
        if (seq * BUSY_EVERY_MS > GUARD_MS)
          throw new Error(`the silent peer was not dropped within ${seq} round trips`);
        if (dropped) after++;
        await busy.send({ seq });
        const got = await svc.recvFrom(GUARD_MS);
        expect(got?.message).toEqual({ seq });
        await svc.sendTo(got!.conId, { seq });
        expect(await busy.recv(GUARD_MS)).toEqual({ seq });
        await pause(BUSY_EVERY_MS);
      }
      await within(raw.closed, GUARD_MS, 'the silent peer to be dropped');
      const event = await log.waitFor('disconnected', GUARD_MS, (e) => String(e.conId) === String(rawId));
      expect(event.reason?.code).toBe(ErrorCode.IDLE_TIMEOUT);
      expect(log.count('disconnected')).toBe(1);
      // Its slot is free: a third connection is served within maxConnections 2.
      await until(async () => (await svc.poolSize()) === 1, GUARD_MS, 'the pool to let the silent peer go');
      const late = await ctx.connect<Seq, Seq>(svc.port, { codec: codec() });
      await svc.acceptIntoPool(GUARD_MS);
      await late.send({ seq: -1 });
      expect((await svc.recvFrom(GUARD_MS))?.message).toEqual({ seq: -1 });
      expect(await svc.rejectedCount()).toBe(0);
    });

    it('closes a client whose service sends nothing with NET_ERR_IDLE_TIMEOUT, though the client itself sends', async () => {
      let service: RawPeer | undefined;
      const { port } = await rawListen(ctx, (peer) => (service = peer));
      const clt = await ctx.connect<Seq, Seq>(port, { codec: codec(), idleTimeout: IDLE_MS });
      await clt.send({ seq: 1 });
      expect(await rejectionCode(clt.recv(GUARD_MS))).toBe(ErrorCode.IDLE_TIMEOUT);
      expect(reasonCode(await within(clt.closed, GUARD_MS, 'the client to close'))).toBe(ErrorCode.IDLE_TIMEOUT);
      await until(() => service !== undefined, GUARD_MS, 'the raw service to see the connection');
      await within(service!.ended, GUARD_MS, 'the raw service to see the client go');
    });
  });
}
