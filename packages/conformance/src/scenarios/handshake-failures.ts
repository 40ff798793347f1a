import { ErrorCode } from '@net/core';
import { describe, expect, it } from 'vitest';
import { jsonCodec } from '../recipes/core-factories.js';
import type { SuiteContext } from './context.js';
import { EventLog, outcome, within } from './helpers.js';
import { clientLogin, type CltMsg, serviceLogin, type SvcMsg } from './protocols.js';
import { rawConnect, rawListen, utf8 } from './raw-peer.js';
import { clientLoginThrowingIn, HOOK_SAID, type ThrowingHook } from './throwing-protocols.js';

const cltCodec = () => jsonCodec<CltMsg, SvcMsg>();
const svcCodec = () => jsonCodec<SvcMsg, CltMsg>();
/** Bound on every wait: generous, for a loaded machine. */
const GUARD_MS = 20_000;

/** The codes along `error`'s cause chain, itself first (a plain `Error` shows as its message). */
export function causeCodes(error: unknown): string[] {
  const codes: string[] = [];
  for (let at = error, depth = 0; at !== undefined && depth < 8; depth++) {
    const code = (at as { code?: unknown }).code;
    codes.push(typeof code === 'string' ? code : `Error: ${(at as Error).message}`);
    at = at instanceof Error ? at.cause : undefined;
  }
  return codes;
}

/** How a handshake that went wrong is reported, the same in every flavour. */
export function handshakeFailureScenarios(ctx: SuiteContext): void {
  describe('handshake failures', () => {
    it("fails the client's connect with NET_ERR_HANDSHAKE, the NET_ERR_DECODE as cause, when the service's handshake answer does not decode, and closes the connection", async () => {
      let service: Promise<{ hadError: boolean }> | undefined;
      const { port } = await rawListen(ctx, (peer) => {
        service = peer.closed;
        // The login arrives; the answer is a frame that is not JSON.
        peer.socket.once('data', () => void peer.write(utf8('not json\n')).catch(() => {}));
      });
      const result = await outcome(ctx.connect<CltMsg, SvcMsg>(port, { codec: cltCodec(), protocol: clientLogin() }));
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(causeCodes(result.error).slice(0, 2)).toEqual([ErrorCode.HANDSHAKE, ErrorCode.DECODE]);
      expect(service).toBeDefined();
      await within(service!, GUARD_MS, 'the client to close the connection');
    });

    it('rejects a client whose handshake message does not decode with NET_ERR_HANDSHAKE, the NET_ERR_DECODE as cause, closes it and serves the next client', async () => {
      const log = new EventLog<SvcMsg, CltMsg>();
      const svc = await ctx.bind<SvcMsg, CltMsg>({ codec: svcCodec(), protocol: serviceLogin(), callbacks: log });
      const raw = await rawConnect(ctx, svc.port);
      await raw.write(utf8('not json\n'));
      const rejected = await log.waitFor('rejected', GUARD_MS);
      expect(causeCodes(rejected.reason).slice(0, 2)).toEqual([ErrorCode.HANDSHAKE, ErrorCode.DECODE]);
      await within(raw.closed, GUARD_MS, 'the service to close the connection');
      const [good, peer] = await Promise.all([
        ctx.connect<CltMsg, SvcMsg>(svc.port, { codec: cltCodec(), protocol: clientLogin() }),
        svc.accept(GUARD_MS),
      ]);
      ctx.track(peer);
      // accept() handed out the good client, not the one that sent the bad frame.
      await good.send({ type: 'data', n: 1 });
      expect(await peer.recv(GUARD_MS)).toEqual({ type: 'data', n: 1 });
      expect(log.count('connected')).toBe(1);
    });

    // A hook that is not one of the handshake's steps is named by NET_ERR_PROTOCOL whenever it
    // throws, handshake or not; NET_ERR_HANDSHAKE is for the handshake's own steps and deadline.
    for (const hook of ['onRecv', 'onSend', 'onSent'] as const satisfies readonly ThrowingHook[]) {
      it(`ends the connection with NET_ERR_PROTOCOL, naming ${hook} and keeping its error as cause, when ${hook} throws on the handshake's first message`, async () => {
        const svc = await ctx.bind<SvcMsg, CltMsg>({ codec: svcCodec(), protocol: serviceLogin() });
        const result = await outcome(
          ctx.connect<CltMsg, SvcMsg>(svc.port, { codec: cltCodec(), protocol: clientLoginThrowingIn(hook) }),
        );
        // In @net/async the login's onSent runs once the socket took it, which may be after the
        // service's answer completed the handshake: then the connection ends just after.
        const error = result.ok ? await within(result.value.closed, GUARD_MS, 'the client to close') : result.error;
        expect(causeCodes(error)).toEqual([ErrorCode.PROTOCOL, `Error: ${HOOK_SAID}`]);
        expect((error as Error).message).toContain(`hook ${hook} threw: ${HOOK_SAID}`);
      });
    }
  });
}
