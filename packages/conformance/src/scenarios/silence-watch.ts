import { ErrorCode, type Protocol } from '@net/core';
import { describe, expect, it } from 'vitest';
import { jsonCodec } from '../recipes/core-factories.js';
import { remotable } from '../recipes/recipe.js';
import type { SuiteContext } from './context.js';
import { outcome, pace, until } from './helpers.js';
import { rawListen, type RawPeer, u32Frame, utf8 } from './raw-peer.js';

type Slow = { seq: number; pad: string };

/** A client protocol that only watches its peer's silence: no handshake, no beats of its own. */
export const silenceWatch = remotable(
  'silenceWatch',
  (heartbeatInterval: number, peerSilenceIntervals: number): Protocol<Slow, Slow> => ({
    heartbeatInterval,
    peerSilenceIntervals,
  }),
);

/** The silence limit the scenario sets: 3 intervals of 200 ms. */
const INTERVAL_MS = 200;
const INTERVALS = 3;
/** The frame trickles in a piece at a time, each gap far inside the limit, the whole far past it. */
const PIECES = 100;
const PIECE_EVERY_MS = 20;
/** Bound on every wait: generous, for a loaded machine. */
const GUARD_MS = 20_000;

/** The peer-silence check counts bytes, not whole messages. */
export function silenceWatchScenarios(ctx: SuiteContext): void {
  describe('peer silence', () => {
    it('does not call a peer silent while a large frame arrives slowly, though no whole message came for longer than the limit', async () => {
      let service: RawPeer | undefined;
      const { port } = await rawListen(ctx, (peer) => (service = peer));
      const clt = await ctx.connect<Slow, Slow>(port, {
        codec: jsonCodec<Slow>({ framing: 'length' }),
        protocol: silenceWatch(INTERVAL_MS, INTERVALS),
      });
      await until(() => service !== undefined, GUARD_MS, 'the raw service to see the connection');
      const frame = u32Frame(utf8(JSON.stringify({ seq: 1, pad: 'x'.repeat(PIECES * 40) })));
      const received = outcome(clt.recv(GUARD_MS));
      const piece = Math.ceil(frame.length / PIECES);
      const started = performance.now();
      for (let at = 0; at < frame.length; at += piece) {
        await service!.write(frame.subarray(at, at + piece));
        await pace(PIECE_EVERY_MS);
      }
      // The whole frame took longer than the silence limit: a check that counted only whole
      // messages would have dropped the connection before it was complete.
      expect(performance.now() - started).toBeGreaterThan(INTERVAL_MS * INTERVALS);
      const result = await received;
      expect(result.ok ? result.value?.seq : (result.error as Error).message).toBe(1);
      expect(clt.isConnected()).toBe(true);
      // And a peer that really goes quiet is still dropped.
      expect(
        await outcome(clt.recv(GUARD_MS)).then((r) => (r.ok ? 'resolved' : (r.error as { code?: string }).code)),
      ).toBe(ErrorCode.PEER_SILENT);
    });
  });
}
