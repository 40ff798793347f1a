import { ErrorCode, NetError } from '@net/core';
import { describe, expect, it } from 'vitest';
import type { CltHandle, OfferResult } from '../adapter.js';
import { bytesCodec } from '../recipes/core-factories.js';
import type { SuiteContext } from './context.js';
import { codeOf, outcome, reasonCode, within } from './helpers.js';
import { rawConnect } from './raw-peer.js';
import { describeSample, growth, MIB, sampleResources } from './resources.js';

// A client that connects and never reads. The service's sends to it must tell the sender
// (backpressure), hit a hard limit with a coded error, and hold bounded memory, while the other
// clients of the same service go on completing round trips.

/** The limits the scenario sets on the service: small, so that the run is short. */
const LIMITS = {
  highWaterMark: 256 * 1024,
  maxBufferedBytes: 2 * MIB,
  maxBatchBytes: 2 * MIB,
  writeStallTimeout: 300,
} as const;
/** One outbound frame body. */
const FRAME = new Uint8Array(64 * 1024).fill(0x5a);
/** Bytes offered to the stalled client in all (taken or not): many times every buffer on the way. */
const OFFERED_BYTES = 64 * MIB;
/** Offers between two rounds of bystander round trips. */
const OFFERS_PER_ROUND = 16;
/** Clients that go on with round trips meanwhile. */
const BYSTANDERS = 3;
/**
 * How much the memory this thread's JavaScript holds (heap and ArrayBuffers, after a full
 * collection) may grow while all that is offered: buffers, not the bytes offered. Process RSS is
 * only reported: it moves with what the runtime itself keeps, which no library bound reaches (on
 * Deno, RSS once grew 43 MiB here while heap and ArrayBuffers grew by nothing: freed socket buffers
 * its allocator had not given back).
 */
const HELD_BUDGET = LIMITS.maxBufferedBytes + 8 * MIB;

interface Bystander {
  readonly clt: CltHandle<Uint8Array, Uint8Array>;
  readonly peer: CltHandle<Uint8Array, Uint8Array>;
}

/** What happened to the offers. */
interface Tally {
  taken: number;
  overHighWater: number;
  refused: number;
  /** Offers rejected with `NET_ERR_BACKPRESSURE` (async: each one; synchronous: the one that closed it). */
  backpressure: number;
  rounds: number;
  failure: unknown;
}

/** One round trip on every bystander: a numbered message out, its echo back, checked. */
async function roundTrips(bystanders: readonly Bystander[], round: number): Promise<void> {
  await Promise.all(
    bystanders.map(async ({ clt, peer }, i) => {
      const body = Uint8Array.of(i, round & 0xff, (round >> 8) & 0xff);
      await clt.send(body);
      const got = await peer.recv(10_000);
      if (got === undefined) throw new Error(`bystander ${i} ended`);
      await peer.send(got);
      const echo = await clt.recv(10_000);
      if (echo === undefined || Buffer.compare(echo, body) !== 0)
        throw new Error(`bystander ${i} round ${round}: wrong echo`);
    }),
  );
}

/** Offers one frame and counts the outcome; returns false once an error other than backpressure ended it. */
async function offerOnce(stalled: CltHandle<Uint8Array, Uint8Array>, tally: Tally): Promise<boolean> {
  const result = await outcome(within(stalled.offer(FRAME), 10_000, 'an offer to the stalled client'));
  if (result.ok) {
    tally[result.value satisfies OfferResult]++;
    return true;
  }
  if (NetError.hasCode(result.error, ErrorCode.BACKPRESSURE)) {
    tally.backpressure++;
    tally.failure ??= result.error;
    return true;
  }
  tally.failure = result.error;
  return false;
}

/** A client that never reads: backpressure, the hard limit, bounded memory, other clients served. */
export function slowReaderScenarios(ctx: SuiteContext): void {
  const synchronousSvc = ctx.pair.svc.synchronous === true;
  describe('a client that never reads', () => {
    it(
      `reports backpressure, then ${synchronousSvc ? 'closes it with' : 'refuses with'} NET_ERR_BACKPRESSURE; memory stays bounded and other clients keep their round trips`,
      { timeout: 60_000 },
      async () => {
        const codec = () => bytesCodec({ copy: true });
        const svc = await ctx.bind<Uint8Array, Uint8Array>({ codec: codec(), ...LIMITS });
        const bystanders: Bystander[] = [];
        for (let i = 0; i < BYSTANDERS; i++) {
          const [clt, peer] = await Promise.all([
            ctx.connect<Uint8Array, Uint8Array>(svc.port, { codec: codec() }),
            svc.accept(5_000),
          ]);
          bystanders.push({ clt, peer: ctx.track(peer) });
        }
        const accepted = svc.accept(5_000);
        const raw = await rawConnect(ctx, svc.port);
        raw.socket.pause(); // never reads: the kernel's buffers fill, then the service's
        const stalled = ctx.track(await accepted, 'stalled connection');
        ctx.defer('the silent reader', () => raw.destroy()); // first in cleanup: the close need not wait for it
        for (let round = 0; round < 20; round++) await roundTrips(bystanders, round); // warm-up
        const before = sampleResources();

        const tally: Tally = { taken: 0, overHighWater: 0, refused: 0, backpressure: 0, rounds: 0, failure: undefined };
        const maxOffers = OFFERED_BYTES / FRAME.length;
        let offers = 0;
        // Synchronous services close the connection at the limit; an async one refuses each message
        // over it and keeps the connection, so it is offered the whole amount.
        while (offers < maxOffers && (tally.failure === undefined || !synchronousSvc)) {
          for (let k = 0; k < OFFERS_PER_ROUND && offers < maxOffers; k++, offers++) {
            if (!(await offerOnce(stalled, tally)) || (synchronousSvc && tally.failure !== undefined)) break;
          }
          if (tally.failure !== undefined && !NetError.hasCode(tally.failure, ErrorCode.BACKPRESSURE)) break;
          await roundTrips(bystanders, 1_000 + tally.rounds++);
        }
        const after = sampleResources();
        const grew = growth(before, after);
        const report = `offers ${offers}, ${JSON.stringify({ ...tally, failure: codeOf(tally.failure) })}; grew ${describeSample(grew)}`;
        console.log(`[slow reader] ${ctx.pair.clt.name} -> ${ctx.pair.svc.name}: ${report}`);

        expect(codeOf(tally.failure), report).toBe(ErrorCode.BACKPRESSURE);
        expect(tally.taken, report).toBeGreaterThan(0);
        if (synchronousSvc) {
          // Nothing is queued: the kernel's buffers filled, then the peer took nothing for writeStallTimeout.
          expect(reasonCode(await within(stalled.closed, 10_000, 'the stalled connection to close')), report).toBe(
            ErrorCode.BACKPRESSURE,
          );
        } else {
          // The high-water verdict came first, then every offer over the hard limit was refused.
          expect(tally.overHighWater, report).toBeGreaterThan(0);
          expect(tally.backpressure, report).toBeGreaterThan(maxOffers / 2);
          expect(stalled.isConnected(), report).toBe(true);
        }
        expect(tally.rounds, report).toBeGreaterThan(0);
        expect(grew.heap + grew.arrayBuffers, report).toBeLessThan(HELD_BUDGET);
        // Still serving: the bystanders and a new client.
        await roundTrips(bystanders, 9_999);
        const [late, latePeer] = await Promise.all([
          ctx.connect<Uint8Array, Uint8Array>(svc.port, { codec: codec() }),
          svc.accept(5_000),
        ]);
        await roundTrips([{ clt: late, peer: ctx.track(latePeer) }], 0);
      },
    );
  });
}
