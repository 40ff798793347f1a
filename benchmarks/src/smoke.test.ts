// Smoke tests of the demo and the codec benchmark: they run, they check what they claim to check,
// and they produce numbers. No timing is asserted: these machines are shared and noisy.
import { describe, expect, it } from 'vitest';
import {
  type CodecBenchResult,
  formatReport,
  goalVerdict,
  jsonLines,
  runCodecBench,
  type SubjectResult,
} from './codecs/codec-bench.js';
import { subjectSpecs } from './codecs/subjects.js';
import { closeSocket, connectClient, runPingPong, startPongServer } from './demo/pong.js';
import { type CodecName, type DemoProtocol, protocolFor } from './demo/protocols.js';
import { type Codec, MessageWriter } from '@net/core';
import { HandOrderCodec } from './messages/hand-order-codec.js';
import { ORDER_BODY_BYTES, type Order, sampleOrder } from './messages/order.js';
import { structOrderCodec } from './messages/struct-order.js';

const codecs: CodecName[] = ['struct', 'json', 'bytes'];

async function pingPong(serverProtocol: DemoProtocol<unknown>, clientProtocol: DemoProtocol<unknown>, count: number) {
  const server = await startPongServer(serverProtocol);
  const socket = await connectClient('127.0.0.1', server.port);
  try {
    return await runPingPong(socket, clientProtocol, { count, warmup: 10 });
  } finally {
    await closeSocket(socket);
    await server.close();
  }
}

describe('ping-pong demo loop', () => {
  for (const name of codecs) {
    it(`${name}: 200 round trips against a port-0 server, every reply matching its request`, async () => {
      const protocol = protocolFor(name);
      const result = await pingPong(protocol, protocol, 200);
      expect(result.replies).toBe(210);
      expect(result.mismatches).toBe(0);
      expect(result.count).toBe(200);
      expect(result.histogram.count).toBe(200);
      expect(result.histogram.min).toBeGreaterThan(0);
      expect(result.requestFrameBytes).toBeGreaterThan(0);
    });
  }

  it('counts a reply that is not the answer to its request as a mismatch', async () => {
    const protocol = protocolFor('json') as DemoProtocol<{ orderId: number }>;
    const lying: DemoProtocol<{ orderId: number }> = {
      ...protocol,
      reply(request) {
        const reply = protocol.reply(request);
        reply.orderId += 1;
        return reply;
      },
    };
    const result = await pingPong(lying, protocol, 20);
    expect(result.replies).toBe(30);
    expect(result.mismatches).toBe(30);
  });

  it('names the struct protocol for --codec struct', () => {
    expect(protocolFor('struct').name).toBe('struct');
  });
});

describe('order message', () => {
  it('the struct codec lays an order out byte for byte like the hand-written reference', () => {
    const body = (codec: Codec<Order, Order>): Buffer => {
      const writer = new MessageWriter(codec);
      writer.write(sampleOrder(7));
      const bytes = Buffer.from(writer.out.bytes.subarray(codec.framer.headLength, writer.out.position));
      writer.release();
      return bytes;
    };
    const struct = body(structOrderCodec());
    expect(struct).toHaveLength(ORDER_BODY_BYTES);
    expect(struct.equals(body(new HandOrderCodec()))).toBe(true);
  });
});

describe('codec benchmark', () => {
  it('quick mode measures a positive ns/op both ways for every available subject', async () => {
    const bench = await runCodecBench({ quick: true, inProcess: true });
    const available = subjectSpecs().filter((spec) => spec.unavailable === undefined);
    expect(bench.results.map((r) => r.id)).toEqual(available.map((spec) => spec.id));
    for (const result of bench.results) {
      expect(result.encode.median, `${result.id} encode`).toBeGreaterThan(0);
      expect(result.decode.median, `${result.id} decode`).toBeGreaterThan(0);
      expect(result.encode.min).toBeLessThanOrEqual(result.encode.median);
      expect(result.encode.rounds).toHaveLength(bench.rounds);
      expect(result.bytesPerMessage).toBeGreaterThan(0);
    }
    const report = formatReport(bench);
    expect(report).toContain('goal: struct codec ≥ 3x msgpackr both ways');
    for (const line of jsonLines(bench).trim().split('\n')) {
      expect(Object.keys(JSON.parse(line) as object)).toEqual(['suite', 'subject', 'case', 'metric', 'value', 'unit']);
    }
  });

  it('judges the goal against the fastest msgpackr variant in each direction', () => {
    const subject = (id: string, kind: SubjectResult['kind'], encode: number, decode: number): SubjectResult => ({
      id,
      label: id,
      kind,
      bytesPerMessage: 1,
      bytesNote: '',
      encode: { median: encode, min: encode, rounds: [encode] },
      decode: { median: decode, min: decode, rounds: [decode] },
    });
    const bench = (struct: SubjectResult): CodecBenchResult => ({
      results: [
        struct,
        subject('msgpackr-maps', 'msgpackr', 900, 2000),
        subject('msgpackr-shared', 'msgpackr', 600, 300),
      ],
      skipped: [],
      rounds: 1,
      ops: 1,
      warmupOps: 0,
      isolated: false,
    });
    expect(goalVerdict(bench(subject('struct', 'net', 200, 100))).met).toBe(true);
    expect(goalVerdict(bench(subject('struct', 'net', 200, 101))).met).toBe(false);
    const missing: CodecBenchResult = {
      ...bench(subject('x', 'net', 1, 1)),
      skipped: [{ id: 'struct', reason: 'not there' }],
    };
    expect(goalVerdict(missing)).toEqual({ met: undefined, line: expect.stringContaining('NOT MEASURED') });
  });
});
