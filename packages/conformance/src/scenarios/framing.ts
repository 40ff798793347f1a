import { ErrorCode } from '@net/core';
import { bytesCodec, jsonCodec, lengthFieldFramer } from '../recipes/core-factories.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fcRuns } from '../../../../test-support/fc-runs.mjs';
import { CODEC_CASES } from './codec-cases.js';
import type { SuiteContext } from './context.js';
import { describeMessages, patternBytes, recvMany, rejectionCode } from './helpers.js';
import { joinBytes, rawConnect, u32Frame, utf8 } from './raw-peer.js';

/** Frame sizes to the limit, every framer and codec, and frames fed one byte or a random piece at a time. */
export function framingScenarios(ctx: SuiteContext): void {
  const heavy = { timeout: ctx.options.heavyTimeout };

  describe('framing and codecs', () => {
    for (const copy of [true, false]) {
      it(
        `carries bodies of every size from 0 to the 4,092-byte maximum both ways (bytes codec, ${copy ? 'copied' : 'borrowed'} bodies)`,
        heavy,
        async () => {
          const codec = () => bytesCodec({ copy, framer: lengthFieldFramer({ maxFrameLength: 4096 }) });
          const { clt, peer } = await ctx.connectPair<Uint8Array, Uint8Array>({ codec: codec() }, { codec: codec() });
          const max = 4096 - 4;
          const problems: string[] = [];
          const echo = (async () => {
            for (let size = 0; size <= max; size++) {
              const body = await peer.recv(10_000);
              if (body === undefined) throw new Error(`end of stream at size ${size}`);
              if (Buffer.compare(body, patternBytes(size)) !== 0)
                problems.push(`service got a wrong body of size ${size} (length ${body.length})`);
              await peer.send(body);
            }
          })();
          const check = (async () => {
            for (let size = 0; size <= max; size++) {
              const body = await clt.recv(10_000);
              if (body === undefined) throw new Error(`end of stream at size ${size}`);
              if (Buffer.compare(body, patternBytes(size)) !== 0)
                problems.push(`client got a wrong echo of size ${size} (length ${body.length})`);
            }
          })();
          for (let size = 0; size <= max; size++) await clt.send(patternBytes(size));
          await Promise.all([echo, check]);
          expect(problems.slice(0, 5)).toEqual([]);
          // One byte over: refused on the sending side, nothing sent, the connection goes on.
          expect(await rejectionCode(clt.send(patternBytes(max + 1)))).toBe(ErrorCode.FRAME_TOO_LARGE);
          await clt.send(patternBytes(3));
          expect(describeMessages([await peer.recv(5_000)])).toEqual(describeMessages([patternBytes(3)]));
        },
      );
    }

    it(
      'carries bodies around every power of two up to the default 1 MiB limit, and refuses one byte more',
      heavy,
      async () => {
        const { clt, peer } = await ctx.connectPair<Uint8Array, Uint8Array>(
          { codec: bytesCodec() },
          { codec: bytesCodec() },
        );
        const max = (1 << 20) - 4;
        const sizes = [max];
        for (let k = 1; k <= 20; k++)
          for (const size of [2 ** k - 1, 2 ** k, 2 ** k + 1]) if (size <= max) sizes.push(size);
        const echo = (async () => {
          for (const size of sizes) {
            const body = await peer.recv(10_000);
            if (body === undefined || Buffer.compare(body, patternBytes(size, 5)) !== 0)
              throw new Error(`service got a wrong body of size ${size}`);
            await peer.send(body);
          }
        })();
        for (const size of sizes) await clt.send(patternBytes(size, 5));
        for (const size of sizes) {
          const body = await clt.recv(10_000);
          expect(body !== undefined && Buffer.compare(body, patternBytes(size, 5)) === 0, `echo of size ${size}`).toBe(
            true,
          );
        }
        await echo;
        expect(await rejectionCode(clt.send(new Uint8Array(max + 1)))).toBe(ErrorCode.FRAME_TOO_LARGE);
        expect(await rejectionCode(peer.send(new Uint8Array(max + 1)))).toBe(ErrorCode.FRAME_TOO_LARGE);
      },
    );

    it('carries a line of exactly maxFrameLength bytes (delimiter included) and refuses one byte more', async () => {
      const codec = () => jsonCodec<string>({ maxFrameLength: 1024 });
      const { clt, peer } = await ctx.connectPair<string, string>({ codec: codec() }, { codec: codec() });
      // JSON of a string is the string plus two quotes; the newline makes the frame.
      const longest = 'l'.repeat(1024 - 3);
      await clt.send(longest);
      await peer.send(longest);
      expect(await peer.recv(5_000)).toBe(longest);
      expect(await clt.recv(5_000)).toBe(longest);
      expect(await rejectionCode(clt.send(`${longest}+`))).toBe(ErrorCode.FRAME_TOO_LARGE);
      await clt.send('after');
      expect(await peer.recv(5_000)).toBe('after');
    });

    it(
      'hands over 120,000 newline-delimited JSON messages queued in one go, every one intact and in order',
      heavy,
      async () => {
        // Deep in a large output buffer: the delimiter check of each message must look at that
        // message only (its cost is measured in the benchmarks, not here).
        const { clt, peer } = await ctx.connectPair<{ seq: number; text: string }, { seq: number; text: string }>(
          { codec: jsonCodec() },
          { codec: jsonCodec() },
        );
        const text = 'x'.repeat(100);
        const count = 120_000;
        const taken = Array.from({ length: count }, (_, seq) => clt.send({ seq, text }));
        for (let seq = 0; seq < count; seq++) expect((await peer.recv(10_000))?.seq).toBe(seq);
        await Promise.all(taken);
      },
    );

    for (const testCase of CODEC_CASES) {
      it(`exchanges messages both ways with ${testCase.name}`, async () => {
        const { clt, peer } = await ctx.connectPair<unknown, unknown>(
          { codec: testCase.codec() },
          { codec: testCase.codec() },
        );
        for (const message of testCase.messages) await clt.send(message);
        for (const message of testCase.messages) await peer.send(message);
        const expected = describeMessages(testCase.messages);
        expect(describeMessages(await recvMany(peer, testCase.messages.length))).toEqual(expected);
        expect(describeMessages(await recvMany(clt, testCase.messages.length))).toEqual(expected);
      });
    }

    for (const framing of ['newline', 'length'] as const) {
      const wire = (messages: readonly unknown[]) =>
        joinBytes(
          messages.map((message) =>
            framing === 'newline' ? utf8(`${JSON.stringify(message)}\n`) : u32Frame(utf8(JSON.stringify(message))),
          ),
        );

      it(`reassembles ${framing}-framed JSON written one byte at a time by a raw peer`, heavy, async () => {
        const svc = await ctx.bind<unknown, unknown>({ codec: jsonCodec({ framing }) });
        const accepted = svc.accept(5_000);
        const raw = await rawConnect(ctx, svc.port);
        const peer = ctx.track(await accepted);
        const messages = Array.from({ length: 40 }, (_, seq) => ({
          seq,
          text: seq % 3 === 0 ? 'ü✓' : 'x'.repeat(seq),
        }));
        const [received] = await Promise.all([recvMany(peer, messages.length), raw.writeInPieces(wire(messages), [1])]);
        expect(received).toEqual(messages);
      });

      it(`reassembles ${framing}-framed JSON written in random pieces by a raw peer (property)`, heavy, async () => {
        const svc = await ctx.bind<unknown, unknown>({ codec: jsonCodec({ framing }) });
        const message = fc.record({ seq: fc.nat(), text: fc.string({ unit: 'grapheme', maxLength: 40 }) });
        await fc.assert(
          fc.asyncProperty(
            fc.array(message, { minLength: 1, maxLength: 30 }),
            fc.array(fc.integer({ min: 1, max: 97 }), { minLength: 1, maxLength: 12 }),
            async (messages, pieces) => {
              const accepted = svc.accept(5_000);
              const raw = await rawConnect(ctx, svc.port);
              const peer = await accepted;
              try {
                const [received] = await Promise.all([
                  recvMany(peer, messages.length),
                  raw.writeInPieces(wire(messages), pieces),
                ]);
                expect(received).toEqual(messages);
              } finally {
                raw.destroy();
                await peer.close();
              }
            },
          ),
          { numRuns: fcRuns(25) },
        );
      });
    }
  });
}
