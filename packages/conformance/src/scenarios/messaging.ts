import { ErrorCode } from '@net/core';
import { jsonCodec } from '../recipes/core-factories.js';
import { describe, expect, it } from 'vitest';
import type { CltHandle } from '../adapter.js';
import type { SuiteContext } from './context.js';
import { outcome, rejectionCode, type Seq, reasonCode, within } from './helpers.js';
import { rawListen } from './raw-peer.js';

const PAYLOAD = 'x'.repeat(100);

/**
 * Sends `count` numbered messages in windows of `window`: each window is handed over at once, and
 * the next starts only when the flavour has taken all of it (written or queued), so a fast sender
 * cannot run away from a slow receiver.
 */
export async function sendWindowed(
  handle: CltHandle<Seq, unknown>,
  count: number,
  window = 1_000,
  text = PAYLOAD,
): Promise<void> {
  for (let seq = 0; seq < count;) {
    const end = Math.min(count, seq + window);
    const batch: Promise<void>[] = [];
    for (; seq < end; seq++) batch.push(handle.send({ seq, text }));
    await Promise.all(batch);
  }
}

/**
 * Receives `count` messages and returns the first sequence problem, or undefined when all came in
 * order. A receive that fails is rethrown with how far the stream got (`cause` keeps the error),
 * so a stall says which side stopped and where.
 */
export async function recvInOrder(
  handle: Pick<CltHandle<unknown, Seq>, 'recv'>,
  count: number,
  timeoutMs = 10_000,
  who = 'the receiver',
): Promise<string | undefined> {
  for (let expected = 0; expected < count; expected++) {
    let message: Seq | undefined;
    try {
      message = await handle.recv(timeoutMs);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`${who} had ${expected} of ${count} messages when a receive failed: ${reason}`, {
        cause: error,
      });
    }
    if (message === undefined) return `end of stream after ${expected} of ${count} messages`;
    if (message.seq !== expected) return `expected seq ${expected}, got ${message.seq}`;
  }
  return undefined;
}

/** How long a graceful close may take to write what is queued, in the scenario that waits for it. */
const FLUSH_PATIENCE_MS = 45_000;

/** Round trips, bulk streams, connect failures, restarts and peer drops (links N1, N2, N4, E1). */
export function messagingScenarios(ctx: SuiteContext): void {
  const json = () => jsonCodec<Seq>();
  const heavy = { timeout: ctx.options.heavyTimeout };

  describe('messaging', () => {
    it(`ping-pongs ${ctx.options.roundTrips} strict round trips (links N2, E1)`, heavy, async () => {
      const { clt, peer } = await ctx.connectPair<Seq, Seq>({ codec: json() }, { codec: json() });
      const count = ctx.options.roundTrips;
      const echo = (async () => {
        for (let i = 0; i < count; i++) {
          const message = await peer.recv(10_000);
          if (message === undefined) throw new Error(`service saw end of stream after ${i} round trips`);
          await peer.send({ seq: message.seq, text: 'pong' });
        }
      })();
      let problem: string | undefined;
      for (let seq = 0; seq < count && problem === undefined; seq++) {
        await clt.send({ seq, text: 'ping' });
        const reply = await clt.recv(10_000);
        if (reply?.seq !== seq || reply.text !== 'pong') problem = `round trip ${seq} got ${JSON.stringify(reply)}`;
      }
      expect(problem).toBeUndefined();
      await echo;
    });

    it(
      `streams ${ctx.options.messageCount} messages each way at once, none lost, duplicated or reordered (links N1)`,
      heavy,
      async () => {
        const { clt, peer } = await ctx.connectPair<Seq, Seq>({ codec: json() }, { codec: json() });
        const count = ctx.options.messageCount;
        // No window keeps what is in flight below the kernel's buffers: a synchronous peer whose
        // send waits for room takes in what the other sent meanwhile, so two that stream at once
        // on one thread each never wait on each other's next receive.
        const [toService, toClient] = await Promise.all([
          recvInOrder(peer, count, 10_000, 'the service'),
          recvInOrder(clt, count, 10_000, 'the client'),
          sendWindowed(clt, count),
          sendWindowed(peer, count),
        ]);
        expect(toService).toBeUndefined();
        expect(toClient).toBeUndefined();
      },
    );

    // A graceful close writes everything queued before it, even behind a write still in flight.
    for (const side of ['client', 'service'] as const) {
      it(`delivers everything a ${side} queued before its graceful close, then end of stream`, heavy, async () => {
        // Patience for the flush: the default closeTimeout (2 s) gives up on unsent bytes, and a
        // loaded machine or a slower runtime (Deno, in CI) took longer than that for these 100,000
        // frames. Giving up is right then, and reported (the test after this one); this one is
        // about what a close that waits delivers.
        const flushing = { codec: json(), closeTimeout: FLUSH_PATIENCE_MS };
        const { clt, peer } = await ctx.connectPair<Seq, Seq>(flushing, flushing);
        const [sender, receiver] = side === 'client' ? [clt, peer] : [peer, clt];
        const count = Math.min(ctx.options.messageCount, 100_000);
        // Everything is handed over at once (the sends' promises settle as the buffer drains), so
        // the close finds frames both in the socket and still in the flavour's own buffer.
        const taken = Array.from({ length: count }, (_, seq) => outcome(sender.send({ seq, text: PAYLOAD })));
        const received = outcome(recvInOrder(receiver, count));
        await sender.close();
        await Promise.all(taken);
        expect(await received).toEqual({ ok: true, value: undefined });
        expect(await receiver.recv(5_000)).toBeUndefined();
        expect(reasonCode(await sender.closed)).toBe('clean');
      });
    }

    ctx.queueingCltIt('reports a graceful close that had to drop unsent data as not clean', heavy, async () => {
      const { port } = await rawListen(ctx, (raw) => raw.socket.pause());
      const clt = await ctx.connect<Seq, Seq>(port, { codec: json() });
      const big = 'b'.repeat(10_000);
      // 30 MB: more than the kernel buffers take; the flavour may refuse part of it (its hard limit).
      const taken = Array.from({ length: 3_000 }, (_, seq) => outcome(clt.send({ seq, text: big })));
      await clt.close();
      expect(reasonCode(await within(clt.closed, 10_000, 'the client to close'))).not.toBe('clean');
      await Promise.all(taken);
    });

    for (const side of ['client', 'service'] as const) {
      it(
        `gets everything through a ${side} that starts reading late (flow control pauses and resumes)`,
        heavy,
        async () => {
          const { clt, peer } = await ctx.connectPair<Seq, Seq>({ codec: json() }, { codec: json() });
          const [sender, receiver] = side === 'client' ? [peer, clt] : [clt, peer];
          // Far more than a receiver queues before it stops reading, and within the send buffer limit.
          const count = Math.min(ctx.options.messageCount, 50_000);
          const taken = Array.from({ length: count }, (_, seq) => outcome(sender.send({ seq, text: PAYLOAD })));
          expect(await recvInOrder(receiver, count)).toBeUndefined();
          expect((await Promise.all(taken)).filter((result) => !result.ok)).toEqual([]);
        },
      );
    }

    it('fails to connect to a closed port with NET_ERR_CONNECT_TIMEOUT after the timeout (links N4)', async () => {
      const svc = await ctx.pair.svc.bind<Seq, Seq>('127.0.0.1:0', { codec: json() });
      const port = svc.port;
      await svc.close();
      const started = performance.now();
      const code = await rejectionCode(
        ctx.pair.clt.connect<Seq, Seq>({ host: '127.0.0.1', port }, { codec: json(), timeout: 300, retryAfter: 50 }),
      );
      const elapsed = performance.now() - started;
      expect(code).toBe(ErrorCode.CONNECT_TIMEOUT);
      expect(elapsed).toBeGreaterThanOrEqual(250);
      expect(elapsed).toBeLessThan(3_000);
    });

    it('binds the same port again at once after a close (either side closing first), five times over', async () => {
      let port = 0;
      for (let round = 0; round < 5; round++) {
        const svc = await ctx.pair.svc.bind<Seq, Seq>(`127.0.0.1:${port}`, { codec: json() });
        try {
          if (round > 0) expect(svc.port).toBe(port);
          port = svc.port;
          const [clt, peer] = await Promise.all([
            ctx.pair.clt.connect<Seq, Seq>({ host: '127.0.0.1', port }, { codec: json(), timeout: 5_000 }),
            svc.accept(5_000),
          ]);
          try {
            await clt.send({ seq: round });
            expect(await peer.recv(5_000)).toEqual({ seq: round });
            await peer.send({ seq: round + 100 });
            expect(await clt.recv(5_000)).toEqual({ seq: round + 100 });
            if (round % 2 === 1) {
              // Odd rounds: the service closes first (its side keeps the TIME_WAIT), then rebinds.
              await svc.close();
              expect(await clt.recv(5_000)).toBeUndefined();
            }
          } finally {
            await clt.close();
            await peer.close();
          }
        } finally {
          await svc.close();
        }
      }
    });

    it('delivers what was sent before a client closes, then end of stream on the service side', async () => {
      const { clt, peer } = await ctx.connectPair<Seq, Seq>({ codec: json() }, { codec: json() });
      expect(clt.isConnected()).toBe(true);
      expect(peer.isConnected()).toBe(true);
      for (let seq = 0; seq < 3; seq++) await clt.send({ seq });
      await clt.close();
      expect(clt.isConnected()).toBe(false);
      for (let seq = 0; seq < 3; seq++) expect(await peer.recv(5_000)).toEqual({ seq });
      expect(await peer.recv(5_000)).toBeUndefined();
      expect(reasonCode(await within(peer.closed, 5_000, 'the service side to close'))).toBe('clean');
      expect(peer.isConnected()).toBe(false);
    });

    it('detects a service-side close on the client: end of stream and a clean `closed`', async () => {
      const { clt, peer } = await ctx.connectPair<Seq, Seq>({ codec: json() }, { codec: json() });
      await peer.send({ seq: 7 });
      await peer.close();
      expect(await clt.recv(5_000)).toEqual({ seq: 7 });
      expect(await clt.recv(5_000)).toBeUndefined();
      expect(reasonCode(await within(clt.closed, 5_000, 'the client to close'))).toBe('clean');
      expect(clt.isConnected()).toBe(false);
    });

    it('ends every client when the service closes', async () => {
      const { svc, clt } = await ctx.connectPair<Seq, Seq>({ codec: json() }, { codec: json() });
      const second = await ctx.connect<Seq, Seq>(svc.port, { codec: json() });
      await svc.accept(5_000);
      await svc.close();
      expect(await clt.recv(5_000)).toBeUndefined();
      expect(await second.recv(5_000)).toBeUndefined();
      await within(Promise.all([clt.closed, second.closed]), 5_000, 'both clients to close');
    });

    it('gives up a bounded recv with NET_ERR_TIMEOUT and keeps the connection usable', async () => {
      const { clt, peer } = await ctx.connectPair<Seq, Seq>({ codec: json() }, { codec: json() });
      const started = performance.now();
      expect(await rejectionCode(clt.recv(100))).toBe(ErrorCode.TIMEOUT);
      expect(performance.now() - started).toBeGreaterThanOrEqual(80);
      expect(await rejectionCode(peer.recv(50))).toBe(ErrorCode.TIMEOUT);
      await peer.send({ seq: 1 });
      expect(await clt.recv(5_000)).toEqual({ seq: 1 });
      await clt.send({ seq: 2 });
      expect(await peer.recv(5_000)).toEqual({ seq: 2 });
    });

    it('serves concurrent recv calls in the order they were made', async () => {
      const { clt, peer } = await ctx.connectPair<Seq, Seq>({ codec: json() }, { codec: json() });
      const pending = [clt.recv(5_000), clt.recv(5_000), clt.recv(5_000)];
      for (let seq = 0; seq < 3; seq++) await peer.send({ seq });
      expect(await Promise.all(pending)).toEqual([{ seq: 0 }, { seq: 1 }, { seq: 2 }]);
    });

    it('refuses to send on a closed connection with NET_ERR_CLOSED; recv gives end of stream', async () => {
      const { clt, peer } = await ctx.connectPair<Seq, Seq>({ codec: json() }, { codec: json() });
      await clt.close();
      expect(await rejectionCode(clt.send({ seq: 1 }))).toBe(ErrorCode.CLOSED);
      expect(await clt.recv(1_000)).toBeUndefined();
      await within(peer.closed, 5_000, 'the service side to close');
      expect(await rejectionCode(peer.send({ seq: 1 }))).toBe(ErrorCode.CLOSED);
    });
  });
}
