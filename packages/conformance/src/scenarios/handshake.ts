import { ErrorCode } from '@net/core';
import { jsonCodec } from '../recipes/core-factories.js';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from './context.js';
import { codeOf, EventLog, outcome, rejectionCode, within } from './helpers.js';
import { clientLogin, type CltMsg, serviceLogin, type SvcMsg } from './protocols.js';
import { rawConnect, rawListen, utf8 } from './raw-peer.js';
import { clientLoginThenBurst, type RawFrames, rawFramesCodec, serviceLoginThenBurst } from './burst-protocols.js';

const cltCodec = () => jsonCodec<CltMsg, SvcMsg>();
const svcCodec = () => jsonCodec<SvcMsg, CltMsg>();

// What a peer writes right behind its last handshake message, in the same write: a bad frame, a
// message, another bad frame, another message. Received, it is exactly what the same bytes in a
// later read give: each bad frame one NET_ERR_DECODE, and the stream read on past it.
const BURST = `not json\n${JSON.stringify({ type: 'data', n: 1 })}\n[1,\n${JSON.stringify({ type: 'data', n: 2 })}\n`;
const AFTER_BURST = [ErrorCode.DECODE, { type: 'data', n: 1 }, ErrorCode.DECODE, { type: 'data', n: 2 }];

/** What the next `count` receives give: each message, or the code of the error it rejected with. */
async function receives(recv: () => Promise<unknown>, count: number): Promise<unknown[]> {
  const seen: unknown[] = [];
  for (let i = 0; i < count; i++) {
    const result = await outcome(recv());
    seen.push(result.ok ? result.value : codeOf(result.error));
  }
  return seen;
}

/** The login handshake over real sockets: success, rejection, deadlines on both sides (links N5.2, N5.3). */
export function handshakeScenarios(ctx: SuiteContext): void {
  describe('handshake', () => {
    it('runs a login handshake before connect resolves; handshake messages are not delivered to the user', async () => {
      const { clt, peer } = await ctx.connectPair<CltMsg, SvcMsg>(
        { codec: svcCodec(), protocol: serviceLogin() },
        { codec: cltCodec(), protocol: clientLogin() },
      );
      expect(clt.isConnected()).toBe(true);
      await clt.send({ type: 'data', n: 1 });
      expect(await peer.recv(5_000)).toEqual({ type: 'data', n: 1 });
      await peer.send({ type: 'data', n: 2 });
      expect(await clt.recv(5_000)).toEqual({ type: 'data', n: 2 });
    });

    it('fails the connect of a rejected login with NET_ERR_HANDSHAKE; the service reports it and serves the next client', async () => {
      const log = new EventLog<SvcMsg, CltMsg>();
      const svc = await ctx.bind<SvcMsg, CltMsg>({ codec: svcCodec(), protocol: serviceLogin(), callbacks: log });
      expect(
        await rejectionCode(
          ctx.connect<CltMsg, SvcMsg>(svc.port, { codec: cltCodec(), protocol: clientLogin({ password: 'wrong' }) }),
        ),
      ).toBe(ErrorCode.HANDSHAKE);
      expect((await log.waitFor('rejected', 5_000)).reason?.code).toBe(ErrorCode.HANDSHAKE);
      const [good, peer] = await Promise.all([
        ctx.connect<CltMsg, SvcMsg>(svc.port, { codec: cltCodec(), protocol: clientLogin() }),
        svc.accept(5_000),
      ]);
      ctx.track(peer);
      // accept() handed out the good client, not the rejected one.
      await good.send({ type: 'data', n: 3 });
      expect(await peer.recv(5_000)).toEqual({ type: 'data', n: 3 });
      expect(log.count('connected')).toBe(1);
    });

    it('tells a rejected client why: what the service sent before failing the handshake arrives', async () => {
      const svc = await ctx.bind<SvcMsg, CltMsg>({ codec: svcCodec(), protocol: serviceLogin() });
      const result = await outcome(
        ctx.connect<CltMsg, SvcMsg>(svc.port, { codec: cltCodec(), protocol: clientLogin({ password: 'wrong' }) }),
      );
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(codeOf(result.error)).toBe(ErrorCode.HANDSHAKE);
        expect((result.error as Error).message).toContain('bad password');
      }
    });

    /**
     * Binds a login service with a 300 ms handshake deadline, lets `stall` connect a client that
     * never completes its login (resolving when that client's connection closed), and checks that
     * the service dropped it at the deadline with `NET_ERR_HANDSHAKE` and then serves a good client.
     */
    const droppedAtDeadline = async (stall: (port: number) => Promise<unknown>) => {
      const log = new EventLog<SvcMsg, CltMsg>();
      const svc = await ctx.bind<SvcMsg, CltMsg>({
        codec: svcCodec(),
        protocol: serviceLogin(),
        callbacks: log,
        handshakeTimeout: 300,
      });
      const started = performance.now();
      await within(stall(svc.port), 5_000, 'the stalled client to be dropped');
      const elapsed = performance.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(250);
      expect(elapsed).toBeLessThan(3_000);
      expect((await log.waitFor('rejected', 5_000)).reason?.code).toBe(ErrorCode.HANDSHAKE);
      const [good, peer] = await Promise.all([
        ctx.connect<CltMsg, SvcMsg>(svc.port, { codec: cltCodec(), protocol: clientLogin() }),
        svc.accept(5_000),
      ]);
      ctx.track(peer);
      await good.send({ type: 'data', n: 1 });
      expect(await peer.recv(5_000)).toEqual({ type: 'data', n: 1 });
    };

    it('drops a client that never logs in at the handshake timeout; the service never hangs (links N5.2)', async () => {
      await droppedAtDeadline(async (port) => (await ctx.connect<CltMsg, SvcMsg>(port, { codec: cltCodec() })).closed);
    });

    it('drops a client that sends half a login frame and stops, at the handshake timeout', async () => {
      await droppedAtDeadline(async (port) => {
        const half = await rawConnect(ctx, port);
        // Newline-framed JSON: a login with no end of frame never decodes, however long it waits.
        await half.write(utf8('{"type":"login","user":"u1","pass'));
        return half.closed;
      });
    });

    it("fails the client's connect at its handshake timeout when the service never answers", async () => {
      // A service without the protocol: the login is just a message to it, and nobody answers.
      const svc = await ctx.bind<SvcMsg, CltMsg>({ codec: svcCodec() });
      const started = performance.now();
      const code = await rejectionCode(
        ctx.connect<CltMsg, SvcMsg>(svc.port, { codec: cltCodec(), protocol: clientLogin(), handshakeTimeout: 300 }),
      );
      expect(code).toBe(ErrorCode.HANDSHAKE);
      expect(performance.now() - started).toBeLessThan(3_000);
    });

    it("reports a bad frame in the same write as the service's last handshake message at the client's first receive, then reads on", async () => {
      const svc = await ctx.bind<SvcMsg | RawFrames, CltMsg>({
        codec: rawFramesCodec<SvcMsg, CltMsg>(),
        protocol: serviceLoginThenBurst(BURST),
      });
      const [clt, peer] = await Promise.all([
        ctx.connect<CltMsg, SvcMsg>(svc.port, { codec: cltCodec(), protocol: clientLogin() }),
        svc.accept(5_000),
      ]);
      ctx.track(peer);
      expect(await receives(() => clt.recv(5_000), AFTER_BURST.length)).toEqual(AFTER_BURST);
      await peer.send({ type: 'data', n: 3 });
      expect(await clt.recv(5_000)).toEqual({ type: 'data', n: 3 });
    });

    it("reports a bad frame in the same write as the client's last handshake message at the accepted connection's first receive, then reads on", async () => {
      const svc = await ctx.bind<SvcMsg, CltMsg>({ codec: svcCodec(), protocol: serviceLogin() });
      const [clt, peer] = await Promise.all([
        ctx.connect<CltMsg | RawFrames, SvcMsg>(svc.port, {
          codec: rawFramesCodec<CltMsg, SvcMsg>(),
          protocol: clientLoginThenBurst(BURST),
        }),
        svc.accept(5_000),
      ]);
      ctx.track(peer);
      expect(await receives(() => peer.recv(5_000), AFTER_BURST.length)).toEqual(AFTER_BURST);
      await clt.send({ type: 'data', n: 3 });
      expect(await peer.recv(5_000)).toEqual({ type: 'data', n: 3 });
    });

    it("reports a bad frame in the same write as the client's last handshake message through the service pool's recvFrom, then reads on", async () => {
      const svc = await ctx.bind<SvcMsg, CltMsg>({ codec: svcCodec(), protocol: serviceLogin() });
      const [clt] = await Promise.all([
        ctx.connect<CltMsg | RawFrames, SvcMsg>(svc.port, {
          codec: rawFramesCodec<CltMsg, SvcMsg>(),
          protocol: clientLoginThenBurst(BURST),
        }),
        svc.acceptIntoPool(5_000),
      ]);
      const fromPool = async () => (await svc.recvFrom(5_000))?.message;
      expect(await receives(fromPool, AFTER_BURST.length)).toEqual(AFTER_BURST);
      await clt.send({ type: 'data', n: 3 });
      expect(await fromPool()).toEqual({ type: 'data', n: 3 });
    });

    it('does not retry a handshake whose connection was reset: one attempt, connect fails', async () => {
      let attempts = 0;
      const { port } = await rawListen(ctx, (peer) => {
        attempts++;
        peer.socket.once('data', () => peer.socket.resetAndDestroy());
      });
      const code = await rejectionCode(
        ctx.connect<CltMsg, SvcMsg>(port, {
          codec: cltCodec(),
          protocol: clientLogin(),
          timeout: 1_000,
          retryAfter: 50,
        }),
      );
      expect([ErrorCode.HANDSHAKE, ErrorCode.PEER_RESET]).toContain(code);
      expect(attempts).toBe(1);
    });
  });
}
