import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { CltHandle } from '../adapter.js';
import { jsonCodec } from '../recipes/core-factories.js';
import { LOOPBACK, type SuiteContext } from './context.js';
import { type Seq, until, within } from './helpers.js';
import { describeSample, growth, MIB, openDescriptors, sampleResources } from './resources.js';

// Thousands of connection attempts at a service that is full: each is refused at once (the
// service accepts and closes it without a byte), the sessions that hold the slots keep working
// between the batches, and the service's memory and descriptors are where they were.

/** Sessions holding every slot of the service. */
const SESSIONS = 3;
/** Attempts in flight at once. */
const BATCH = 100;
/** Batches before the first sample. */
const WARM_UP_BATCHES = 5;
/**
 * How much the process may grow over all the attempts. Node's own allocator settles over the first
 * few thousand sockets (a bare node:net server and client grow about 10 MiB over 2,000, then stay
 * flat), and V8 may grow a thread's young generation in one step of some tens of MiB under load
 * (the broker thread of a synchronous flavour), so RSS is bounded loosely, and a native leak of
 * a few KiB per attempt could hide under it. The JavaScript heap after a full collection and the
 * descriptors, where state kept per attempt or a socket left open would show, are bounded tightly.
 */
const RSS_BUDGET = 48 * MIB;
/** JavaScript heap growth after a full collection over all the attempts. */
const HEAP_BUDGET = 4 * MIB;

/** How one refused attempt ended. */
interface Refusal {
  /** Bytes the service sent before closing (must be none). */
  readonly bytes: number;
  /** 'end' for a FIN, otherwise the socket error's code (a reset), or 'refused' when it never connected. */
  readonly how: string;
}

/** One raw connection attempt, settled when its socket is closed. */
function attempt(port: number, open: Set<Socket>): Promise<Refusal> {
  return new Promise((resolve) => {
    const socket = connect({ host: LOOPBACK, port });
    open.add(socket);
    let bytes = 0;
    let how = 'closed';
    let connected = false;
    socket.on('connect', () => (connected = true));
    socket.on('data', (chunk: Buffer) => (bytes += chunk.length));
    socket.on('end', () => {
      how = 'end';
      socket.end();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => (how = connected ? (error.code ?? 'error') : 'refused'));
    socket.once('close', () => {
      open.delete(socket);
      resolve({ bytes, how });
    });
  });
}

/** A checked round trip on every session. */
async function sessionsWork(
  sessions: readonly { clt: CltHandle<Seq, Seq>; peer: CltHandle<Seq, Seq> }[],
  seq: number,
): Promise<void> {
  await Promise.all(
    sessions.map(async ({ clt, peer }, from) => {
      await clt.send({ seq, from });
      const got = await peer.recv(10_000);
      if (got?.seq !== seq || got.from !== from)
        throw new Error(`session ${from}: got ${JSON.stringify(got)} for seq ${seq}`);
      await peer.send(got);
      const echo = await clt.recv(10_000);
      if (echo?.seq !== seq || echo.from !== from)
        throw new Error(`session ${from}: echo ${JSON.stringify(echo)} for seq ${seq}`);
    }),
  );
}

/** Connection attempts far over `maxConnections`. */
export function overloadScenarios(ctx: SuiteContext): void {
  const attempts = ctx.options.connectionAttempts;
  describe('over maxConnections', () => {
    it(
      `refuses ${attempts} attempts over maxConnections at once, in batches of ${BATCH}; sessions keep working, memory and descriptors stay flat`,
      { timeout: ctx.options.heavyTimeout },
      async () => {
        const codec = () => jsonCodec<Seq>();
        const svc = await ctx.bind<Seq, Seq>({ codec: codec(), maxConnections: SESSIONS });
        const sessions: { clt: CltHandle<Seq, Seq>; peer: CltHandle<Seq, Seq> }[] = [];
        for (let i = 0; i < SESSIONS; i++) {
          const [clt, peer] = await Promise.all([
            ctx.connect<Seq, Seq>(svc.port, { codec: codec() }),
            svc.accept(5_000),
          ]);
          sessions.push({ clt, peer: ctx.track(peer) });
        }
        const open = new Set<Socket>();
        ctx.defer('refused sockets', () => {
          for (const socket of open) socket.destroy();
        });
        const batch = async (): Promise<Refusal[]> =>
          within(
            Promise.all(Array.from({ length: BATCH }, () => attempt(svc.port, open))),
            20_000,
            `a batch of ${BATCH} refusals`,
          );
        // Warm-up, so that what is measured is steady state, not first use.
        for (let i = 0; i < WARM_UP_BATCHES; i++) await batch();
        await sessionsWork(sessions, 0);
        const rejectedBefore = await svc.rejectedCount();
        const before = sampleResources();
        const hows = new Map<string, number>();
        let bytes = 0;
        let middle = before;
        const rounds = Math.ceil(attempts / BATCH);
        for (let round = 1; round <= rounds; round++) {
          if (round === Math.ceil(rounds / 2)) middle = sampleResources();
          for (const refusal of await batch()) {
            bytes += refusal.bytes;
            hows.set(refusal.how, (hows.get(refusal.how) ?? 0) + 1);
          }
          await sessionsWork(sessions, round);
        }
        const made = rounds * BATCH;
        await until(
          async () => (await svc.rejectedCount()) >= rejectedBefore + made,
          10_000,
          'every attempt to be counted as rejected',
        );
        // The service closes its side of each refusal as it goes; give the last ones their turn.
        await until(() => openDescriptors() <= before.fds, 10_000, `descriptors back to ${before.fds}`).catch(
          () => undefined,
        );
        const after = sampleResources();
        const grew = growth(before, after);
        const secondHalf = growth(middle, after);
        const report = `${made} attempts: ${JSON.stringify(Object.fromEntries(hows))}, ${bytes} bytes received; grew ${describeSample(grew)} (second half: rss ${(secondHalf.rss / MIB).toFixed(1)} MiB)`;
        console.log(`[over maxConnections] ${ctx.pair.clt.name} -> ${ctx.pair.svc.name}: ${report}`);
        expect(await svc.rejectedCount(), report).toBe(rejectedBefore + made);
        expect(await svc.poolSize(), report).toBe(0);
        expect(bytes, report).toBe(0);
        // Refused means the service closed it: a FIN, or a reset; never a connection left open.
        expect(
          [...hows.keys()].filter((how) => how !== 'end' && how !== 'ECONNRESET'),
          report,
        ).toEqual([]);
        expect(grew.fds, report).toBeLessThanOrEqual(0);
        expect(grew.rss, report).toBeLessThan(RSS_BUDGET);
        expect(grew.heap, report).toBeLessThan(HEAP_BUDGET);
        await sessionsWork(sessions, 99_999);
      },
    );
  });
}
