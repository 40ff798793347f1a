// Smoke tests of the @net/async vs node:net benchmark: the quick mode runs end to end with every
// program in a process of its own, every figure comes out as a positive number, and the ping-pong
// checks really catch a wrong reply. No timing is asserted: these machines are shared and noisy.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type AsyncVsNetResult,
  checkProblems,
  formatReport,
  IDLE_FIGURES,
  jsonLines,
  latencyVerdict,
  PINGPONG_FIGURES,
  runAsyncVsNet,
  THROUGHPUT_FIGURES,
  throughputVerdict,
} from './async-vs-net.js';
import { idleBudget, openFileLimit } from './limits.js';
import { LengthPrefixParser, MAX_BODY_BYTES } from './raw/length-prefix.js';
import { type Figure, medianOf, type SubjectRounds } from './report.js';
import { ensureCompiled } from '../util/compiled.js';
import { type FlavourSubject, pingPongSubjects } from './subjects.js';
import { runPingPongSuite } from './suites.js';
import { acceptInPlace, FRAME_BYTES, isReplyTo, requestBodies, writeFrame } from './workload.js';

beforeAll(ensureCompiled, 120_000);

function expectPositive<R>(results: readonly SubjectRounds<R>[], figures: readonly Figure<R>[]): void {
  for (const result of results) {
    expect(result.rounds.length, result.subject.id).toBeGreaterThan(0);
    for (const figure of figures) {
      const value = medianOf(result, figure);
      expect(Number.isFinite(value) && value > 0, `${result.subject.id} ${figure.metric} = ${value}`).toBe(true);
    }
  }
}

describe('async-vs-net quick mode', () => {
  let result: AsyncVsNetResult;

  beforeAll(async () => {
    result = await runAsyncVsNet({ quick: true });
  }, 180_000);

  it('runs every subject of every suite', () => {
    expect(result.pingpong.map((r) => r.subject.id)).toEqual(['async', 'async-onmessage', 'async-struct', 'raw']);
    expect(result.throughput.map((r) => r.subject.id)).toEqual(['async', 'async-onmessage', 'raw-batched', 'raw-each']);
    expect(result.idle.map((r) => r.subject.id)).toEqual(['async', 'async-pool', 'raw']);
    expect(result.skipped).toEqual([]);
  });

  it('checks every ping-pong echo: all replies came back and every one matched its request', () => {
    const { settings } = result;
    for (const r of result.pingpong) {
      expect(r.replies, r.subject.id).toBe(settings.warmupRoundTrips + settings.pingPongRounds * settings.roundTrips);
      expect(r.mismatches, r.subject.id).toBe(0);
      for (const round of r.rounds) expect(round.latency.count, r.subject.id).toBe(settings.roundTrips);
    }
    for (const r of result.throughput) {
      expect(r.received, r.subject.id).toBe(r.sent);
      expect(r.corrupt, r.subject.id).toBe(0);
    }
    expect(checkProblems(result)).toEqual([]);
  });

  it('produces every figure as a positive number, and a finite ratio for every comparison', () => {
    expectPositive(result.pingpong, PINGPONG_FIGURES);
    expectPositive(result.throughput, THROUGHPUT_FIGURES);
    expectPositive(result.idle, IDLE_FIGURES);
    // 3 @net subjects x 6 ping-pong figures, 2 x 2 baselines x 4 throughput figures, 2 x 2 idle figures.
    expect(result.comparisons).toHaveLength(18 + 16 + 4);
    for (const c of result.comparisons) expect(Number.isFinite(c.ratio) && c.ratio > 0, `${c.subject.id} ${c.metric} vs ${c.baseline.id}`).toBe(true);
    expect(result.idleBudget?.count).toBe(1_000);
  });

  it('prints the table, the machine and both goal lines; writes one JSON object per line', () => {
    const report = formatReport(result);
    expect(report).toContain('node v');
    expect(report).toContain('round trip p50 (µs)');
    expect(report).toContain('service heap per idle connection (B)');
    expect(report).toMatch(/goal: async p50 within 1\.05x of raw node:net: (MET|NOT MET) in this run \(ratio \d/);
    expect(report).toMatch(/goal: async throughput ≥ raw node:net hand-batched: (MET|NOT MET) in this run \(ratio \d/);
    expect(latencyVerdict(result).met).toBeTypeOf('boolean');
    expect(throughputVerdict(result).met).toBeTypeOf('boolean');
    const lines = jsonLines(result).trim().split('\n');
    expect(lines.length).toBeGreaterThan(30);
    for (const line of lines) {
      const object = JSON.parse(line) as Record<string, unknown>;
      expect(Object.keys(object)).toEqual(['suite', 'subject', 'case', 'metric', 'value', 'unit']);
      expect(object['value']).toBeTypeOf('number');
    }
    expect(lines.some((l) => l.includes('"metric":"p50_ratio_vs_raw"'))).toBe(true);
  });
});

describe('ping-pong checks', () => {
  it('a client counts the replies that are not the answer to their request, across implementations', async () => {
    // The raw server corrupts every 10th reply; the @net/async client and the raw client both speak
    // its u32 frames, so both must see exactly those replies as mismatches.
    const byId = new Map(pingPongSubjects().map((s) => [s.id, s]));
    const lying = (id: string): FlavourSubject => {
      const subject = byId.get(id)!;
      return { ...subject, id: `${id}-vs-lying-raw`, server: { name: 'raw-server-lying', path: 'flavours/raw/raw-server.js', args: ['--corrupt-every', '10'] } };
    };
    const results = await runPingPongSuite({ transport: 'tcp', log: () => {} }, [lying('async'), lying('async-onmessage'), lying('raw')], {
      rounds: 1,
      roundTrips: 200,
      warmup: 100,
    });
    for (const r of results) {
      expect(r.replies, r.subject.id).toBe(300);
      expect(r.mismatches, r.subject.id).toBe(30);
    }
  }, 60_000);

  it('a @net/async server and a raw client agree on the wire format', async () => {
    const subject = pingPongSubjects().find((s) => s.id === 'raw')!;
    const async = pingPongSubjects().find((s) => s.id === 'async')!;
    const [result] = await runPingPongSuite({ transport: 'unix', log: () => {} }, [{ ...subject, id: 'raw-client-async-server', server: async.server }], {
      rounds: 1,
      roundTrips: 100,
      warmup: 10,
    });
    expect(result!.replies).toBe(110);
    expect(result!.mismatches).toBe(0);
  }, 60_000);

  it('isReplyTo accepts the echo and refuses a changed byte, the request itself and a short reply', () => {
    const [request] = requestBodies();
    const reply = Buffer.from(request!);
    acceptInPlace(reply);
    expect(isReplyTo(request!, reply)).toBe(true);
    expect(isReplyTo(request!, request!)).toBe(false);
    const changed = Buffer.from(reply);
    changed[100] ^= 1;
    expect(isReplyTo(request!, changed)).toBe(false);
    expect(isReplyTo(request!, reply.subarray(0, 127))).toBe(false);
  });
});

describe('hand-written length-prefix framing (the node:net baseline)', () => {
  const bodies = requestBodies().map((body, i) => body.subarray(0, (i * 37) % 129));

  function stream(): Buffer {
    const out = Buffer.alloc(bodies.reduce((n, b) => n + 4 + b.length, 0));
    let at = 0;
    for (const body of bodies) at += writeFrame(body, out, at);
    return out;
  }

  it('cuts the same bodies however the stream is split into chunks', () => {
    const bytes = stream();
    let seed = 12345;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (const maxChunk of [1, 2, 3, 5, 7, 64, 131, 132, 133, 1000, bytes.length]) {
      const got: Buffer[] = [];
      const parser = new LengthPrefixParser((body) => got.push(Buffer.from(body)));
      for (let at = 0; at < bytes.length; ) {
        const size = 1 + Math.floor(random() * maxChunk);
        parser.push(bytes.subarray(at, at + size));
        at += size;
      }
      expect(got.map((b) => b.toString('hex')), `chunks up to ${maxChunk}`).toEqual(bodies.map((b) => Buffer.from(b).toString('hex')));
      expect(parser.pending).toBe(0);
    }
  });

  it('hands out frames inside a chunk as views of it, and refuses an absurd length', () => {
    const frame = Buffer.alloc(FRAME_BYTES);
    writeFrame(requestBodies()[0]!, frame, 0);
    let body: Buffer | undefined;
    new LengthPrefixParser((b) => (body = b)).push(frame);
    expect(body!.buffer).toBe(frame.buffer);
    const huge = Buffer.alloc(4);
    huge.writeUInt32BE(MAX_BODY_BYTES + 1);
    expect(() => new LengthPrefixParser(() => {}).push(huge)).toThrow(/over/);
  });
});

describe('idle-connection budget', () => {
  it('keeps the count asked for when it fits', () => {
    const small = idleBudget(10, 'tcp');
    expect(small.count).toBe(10);
    expect(small.note).toContain('as asked');
  });

  it.skipIf(openFileLimit() === undefined)('lowers the count, with the reason, when the open-file limit is too low', () => {
    const huge = idleBudget(100_000_000, 'unix');
    expect(huge.count).toBeLessThan(100_000_000);
    expect(huge.note).toMatch(/instead of 100000000: /);
  });
});
