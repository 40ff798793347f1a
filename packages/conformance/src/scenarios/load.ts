import { bytesCodec, jsonCodec } from '../recipes/core-factories.js';
import { describe, expect, it } from 'vitest';
import type { CltHandle } from '../adapter.js';
import type { SuiteContext } from './context.js';
import { patternBytes, type Seq } from './helpers.js';

const json = () => jsonCodec<Seq>();

/** Sends `count` messages tagged with `from`, then checks they come back echoed in order. */
async function echoedInOrder(clt: CltHandle<Seq, Seq>, from: number, count: number): Promise<string | undefined> {
  for (let seq = 0; seq < count; seq++) await clt.send({ seq, from });
  for (let seq = 0; seq < count; seq++) {
    const echo = await clt.recv(20_000);
    if (echo?.from !== from || echo.seq !== seq)
      return `client ${from} expected seq ${seq}, got ${JSON.stringify(echo)}`;
  }
  return undefined;
}

/** Connects `count` clients to `port` at once. */
function connectMany(ctx: SuiteContext, port: number, count: number): Promise<CltHandle<Seq, Seq>[]> {
  return Promise.all(
    Array.from({ length: count }, () => ctx.connect<Seq, Seq>(port, { codec: json(), timeout: 20_000 })),
  );
}

/** Many clients at once against one service, and large frames on many connections at once. */
export function loadScenarios(ctx: SuiteContext): void {
  const heavy = { timeout: ctx.options.heavyTimeout };
  const clients = ctx.options.concurrentClients;
  const perClient = ctx.options.messagesPerClient;

  describe('load', () => {
    it(
      `echoes ${perClient} messages for each of ${clients} concurrent clients through the pool (recvFrom + sendTo)`,
      heavy,
      async () => {
        const svc = await ctx.bind<Seq, Seq>({ codec: json(), maxConnections: clients + 10 });
        const accepting = (async () => {
          for (let i = 0; i < clients; i++) await svc.acceptIntoPool(20_000);
        })();
        const connected = await connectMany(ctx, svc.port, clients);
        await accepting;
        expect(await svc.poolSize()).toBe(clients);
        const echo = (async () => {
          for (let i = 0; i < clients * perClient; i++) {
            const got = await svc.recvFrom(20_000);
            if (got === undefined) throw new Error(`pool ended after ${i} messages`);
            await svc.sendTo(got.conId, got.message);
          }
        })();
        // Both awaited together: when a client fails first, the echo loop's own failure (a sendTo
        // to a connection the cleanup closed) is handled here rather than left unhandled.
        const [problems] = await Promise.all([
          Promise.all(connected.map((clt, from) => echoedInOrder(clt, from, perClient))),
          echo,
        ]);
        expect(problems.filter((problem) => problem !== undefined)).toEqual([]);
      },
    );

    it(
      `echoes ${perClient} messages for each of ${clients} concurrent clients on accepted connections`,
      heavy,
      async () => {
        const svc = await ctx.bind<Seq, Seq>({ codec: json(), maxConnections: clients + 10 });
        const serving: Promise<void>[] = [];
        const accepting = (async () => {
          for (let i = 0; i < clients; i++) {
            const peer = ctx.track(await svc.accept(20_000));
            serving.push(
              (async () => {
                for (let n = 0; n < perClient; n++) {
                  const message = await peer.recv(20_000);
                  if (message === undefined) throw new Error('end of stream on the service side');
                  await peer.send(message);
                }
              })(),
            );
          }
        })();
        const connected = await connectMany(ctx, svc.port, clients);
        await accepting;
        const [problems] = await Promise.all([
          Promise.all(connected.map((clt, from) => echoedInOrder(clt, from, perClient))),
          Promise.all(serving),
        ]);
        expect(problems.filter((problem) => problem !== undefined)).toEqual([]);
      },
    );

    it('keeps large frames intact on many connections reading at once, both ways', heavy, async () => {
      const connections = 16;
      const frames = 6;
      const sizeOf = (from: number, n: number) => 60_000 + ((from * 7_919 + n * 104_729) % 200_000);
      const codec = () => bytesCodec();
      const svc = await ctx.bind<Uint8Array, Uint8Array>({ codec: codec() });
      const pairs = await Promise.all(
        Array.from({ length: connections }, async () => {
          const [clt, peer] = await Promise.all([
            ctx.connect<Uint8Array, Uint8Array>(svc.port, { codec: codec() }),
            svc.accept(20_000),
          ]);
          return { clt, peer: ctx.track(peer) };
        }),
      );
      const problems: string[] = [];
      const check = async (handle: CltHandle<Uint8Array, Uint8Array>, from: number, salt: number) => {
        for (let n = 0; n < frames; n++) {
          const body = await handle.recv(20_000);
          const expected = patternBytes(sizeOf(from, n), from * 31 + n + salt);
          if (body === undefined || Buffer.compare(body, expected) !== 0)
            problems.push(`connection ${from} frame ${n} (salt ${salt}) differs`);
        }
      };
      const send = async (handle: CltHandle<Uint8Array, Uint8Array>, from: number, salt: number) => {
        for (let n = 0; n < frames; n++) await handle.send(patternBytes(sizeOf(from, n), from * 31 + n + salt));
      };
      await Promise.all(
        pairs.flatMap(({ clt, peer }, from) => [
          send(clt, from, 1),
          send(peer, from, 2),
          check(peer, from, 1),
          check(clt, from, 2),
        ]),
      );
      expect(problems.slice(0, 5)).toEqual([]);
    });
  });
}
