import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fcRuns } from '../../../../test-support/fc-runs.mjs';
import {
  bytesCodec,
  type Codec,
  delimiterFramer,
  ErrorCode,
  fixedSizeFramer,
  jsonCodec,
  lengthFieldFramer,
  MessageReader,
  MessageWriter,
  NetError,
} from '../index.js';
import { byteByByte, everySingleCut } from '../test-support/feed.js';

const RUNS = fcRuns(10_000);

/** Encodes every message into one stream with a MessageWriter, as a connection would. */
function encodeAll<T>(codec: Codec<T, unknown>, messages: readonly T[]): Uint8Array {
  const writer = new MessageWriter(codec, { initialCapacity: 1024 });
  for (const message of messages) writer.write(message);
  const stream = Uint8Array.prototype.slice.call(writer.out.bytes, 0, writer.out.position);
  writer.release();
  return stream;
}

/** Decodes a stream delivered in the given pieces, through both input paths of the reader. */
function decodeAll<T>(codec: Codec<unknown, T>, stream: Uint8Array, cuts: readonly number[], direct: boolean): T[] {
  const reader = new MessageReader(codec, { initialCapacity: 4096, minReadSize: 64 });
  const out: T[] = [];
  let from = 0;
  for (const to of [...cuts, stream.length]) {
    let at = from;
    while (at < to) {
      if (direct) {
        const count = Math.min(reader.accumulator.reserve(), to - at);
        reader.accumulator.buffer.set(stream.subarray(at, at + count), reader.accumulator.end);
        reader.accumulator.commit(count);
        at += count;
      } else {
        reader.accumulator.push(stream.subarray(at, to));
        at = to;
      }
      for (let message = reader.next(); message !== undefined; message = reader.next()) out.push(message);
    }
    from = to;
  }
  return out;
}

const jsonValue = fc.jsonValue({ maxDepth: 3 });

describe('MessageWriter and MessageReader', () => {
  const codecs = {
    'json newline': jsonCodec<unknown>(),
    'json length-prefixed': jsonCodec<unknown>({ framing: 'length' }),
  };
  for (const [name, codec] of Object.entries(codecs)) {
    it(`round-trips random JSON messages (${name}), fed whole and split at random points`, () => {
      fc.assert(
        fc.property(
          fc.array(jsonValue, { maxLength: 8 }),
          fc.array(fc.nat(), { maxLength: 6 }),
          fc.boolean(),
          (messages, rawCuts, direct) => {
            const stream = encodeAll(codec, messages);
            const cuts = [...new Set(rawCuts.map((c) => (stream.length > 1 ? (c % (stream.length - 1)) + 1 : 0)))]
              .filter((c) => c > 0)
              .sort((a, b) => a - b);
            expect(decodeAll(codec, stream, cuts, direct)).toEqual(JSON.parse(JSON.stringify(messages)));
          },
        ),
        { numRuns: RUNS },
      );
    });
  }

  it('round-trips JSON split at every offset and byte by byte', () => {
    const codec = jsonCodec<{ id: number; text: string }>();
    const messages = [
      { id: 1, text: 'ping' },
      { id: 2, text: 'ünïcödé \u2028 line\nbreak' },
      { id: 3, text: '' },
    ];
    const stream = encodeAll(codec, messages);
    for (const direct of [false, true]) {
      for (const cuts of [...everySingleCut(stream.length), byteByByte(stream.length)]) {
        expect(decodeAll(codec, stream, cuts, direct)).toEqual(messages);
      }
    }
  });

  it('round-trips random byte messages with every framer', () => {
    const framers = [
      lengthFieldFramer(),
      lengthFieldFramer({ lengthFieldLength: 2, byteOrder: 'little', lengthFieldOffset: 3, initialBytesToStrip: 5 }),
    ];
    for (const framer of framers) {
      const codec = bytesCodec({ framer, copy: true });
      fc.assert(
        fc.property(
          fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 10 }),
          fc.integer({ min: 1, max: 50 }),
          (messages, step) => {
            const bodies = messages;
            const stream = encodeAll(codec, bodies);
            const cuts = [];
            for (let at = step; at < stream.length; at += step) cuts.push(at);
            expect(decodeAll(codec, stream, cuts, step % 2 === 0).map((m) => Array.from(m))).toEqual(
              bodies.map((m) => Array.from(m)),
            );
          },
        ),
        { numRuns: RUNS / 4 },
      );
    }
  });

  it('random bytes never crash a reader, never hang, and never buffer past the limit', () => {
    const maxFrameLength = 256;
    const codecs: Codec<unknown, unknown>[] = [
      jsonCodec({ maxFrameLength }),
      jsonCodec({ framing: 'length', maxFrameLength }),
      bytesCodec({ framer: delimiterFramer({ delimiter: '\r\n', maxFrameLength }) }),
      bytesCodec({ framer: lengthFieldFramer({ lengthFieldLength: 8, maxFrameLength }) }),
      bytesCodec({ framer: fixedSizeFramer(7) }),
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...codecs),
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 200 }), { maxLength: 12 }),
        (codec, chunks) => {
          const reader = new MessageReader(codec, { initialCapacity: 4096, minReadSize: 64 });
          for (const chunk of chunks) {
            try {
              reader.accumulator.push(chunk);
              // Each call consumes a frame or stops, so this loop is bounded by the bytes fed.
              for (let guard = 0; guard <= chunk.length + 1; guard++) {
                try {
                  if (reader.next() === undefined) break;
                } catch (error) {
                  if (!(error instanceof NetError) || error.code !== ErrorCode.DECODE) throw error;
                }
              }
            } catch (error) {
              expect(error).toBeInstanceOf(NetError);
              expect([ErrorCode.FRAME_TOO_LARGE, ErrorCode.FRAME_CORRUPT, ErrorCode.INVALID_ARGUMENT]).toContain(
                (error as NetError).code,
              );
              return;
            }
            expect(reader.accumulator.buffer.length).toBeLessThanOrEqual(reader.accumulator.maxCapacity);
            expect(reader.accumulator.end - reader.accumulator.start).toBeLessThan(maxFrameLength);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('reports an undecodable frame with its bytes and carries on with the next frame', () => {
    const codec = jsonCodec<unknown>();
    const reader = new MessageReader(codec);
    reader.accumulator.push(new TextEncoder().encode('{"a":1}\n{oops\n[2]\n'));
    expect(reader.next()).toEqual({ a: 1 });
    let caught: unknown;
    try {
      reader.next();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(NetError);
    expect((caught as NetError).code).toBe(ErrorCode.DECODE);
    expect((caught as NetError).message).toContain('7b 6f 6f 70 73');
    expect((caught as NetError).cause).toBeInstanceOf(SyntaxError);
    expect(reader.next()).toEqual([2]);
  });

  it('refuses invalid UTF-8 in JSON instead of patching it', () => {
    const reader = new MessageReader(jsonCodec<unknown>());
    reader.accumulator.push(Uint8Array.from([0x22, 0xff, 0x22, 0x0a]));
    expect(() => reader.next()).toThrow(expect.objectContaining({ code: ErrorCode.DECODE }));
    // The same from a Buffer (the fast path), and a genuine U+FFFD still decodes.
    reader.accumulator.push(Buffer.from([0x22, 0xff, 0x22, 0x0a, ...Buffer.from('"\uFFFD"\n')]));
    expect(() => reader.next()).toThrow(expect.objectContaining({ code: ErrorCode.DECODE }));
    expect(reader.next()).toBe('\uFFFD');
  });

  it('stays failed after a framing error: the stream cannot be realigned', () => {
    const reader = new MessageReader(bytesCodec({ framer: lengthFieldFramer({ maxFrameLength: 64 }) }));
    reader.accumulator.push(Uint8Array.from([0, 0, 1, 0, 1, 2]));
    expect(() => reader.next()).toThrow(expect.objectContaining({ code: ErrorCode.FRAME_TOO_LARGE }));
    expect(reader.failure?.code).toBe(ErrorCode.FRAME_TOO_LARGE);
    expect(() => reader.next()).toThrow(expect.objectContaining({ code: ErrorCode.FRAME_TOO_LARGE }));
  });

  it('rolls the writer back when a message fails to encode', () => {
    const writer = new MessageWriter(jsonCodec<unknown>({ maxFrameLength: 32 }));
    writer.write({ ok: true });
    const before = writer.buffered;
    expect(() => writer.write(undefined)).toThrow(expect.objectContaining({ code: ErrorCode.ENCODE }));
    expect(() => writer.write('x'.repeat(100))).toThrow(expect.objectContaining({ code: ErrorCode.FRAME_TOO_LARGE }));
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => writer.write(cyclic)).toThrow(expect.objectContaining({ code: ErrorCode.ENCODE }));
    expect(writer.buffered).toBe(before);
    writer.write([1]);
    const reader = new MessageReader(jsonCodec<unknown>());
    reader.accumulator.push(writer.out.bytes.subarray(0, writer.buffered));
    expect([reader.next(), reader.next(), reader.next()]).toEqual([{ ok: true }, [1], undefined]);
    writer.release();
  });

  it('gives bytes-codec views by default and copies on request', () => {
    const stream = encodeAll(bytesCodec(), [Uint8Array.of(1, 2, 3)]);
    const view = new MessageReader(bytesCodec());
    view.accumulator.push(stream);
    const viewed = view.next()!;
    expect(viewed.buffer).toBe(stream.buffer);
    const copying = new MessageReader(bytesCodec({ copy: true }));
    copying.accumulator.push(stream);
    const copied = copying.next()!;
    expect(copied.buffer).not.toBe(stream.buffer);
    expect(Array.from(copied)).toEqual([1, 2, 3]);
  });

  it('validates JSON messages with the given validator, as a decode error', () => {
    const isPing = (value: unknown) => {
      if (typeof value !== 'object' || value === null || (value as { type?: unknown }).type !== 'ping')
        throw new TypeError('not a ping');
      return value as { type: 'ping' };
    };
    const reader = new MessageReader(jsonCodec<never, { type: 'ping' }>({ validate: isPing }));
    reader.accumulator.push(new TextEncoder().encode('{"type":"pong"}\n{"type":"ping"}\n'));
    expect(() => reader.next()).toThrow(expect.objectContaining({ code: ErrorCode.DECODE }));
    expect(reader.next()).toEqual({ type: 'ping' });
  });
});

describe('owningCodec', () => {
  it('gives borrowed bodies their own bytes, and leaves owning codecs alone', async () => {
    const { owningCodec } = await import('./owning-codec.js');
    const json = jsonCodec();
    expect(owningCodec(json)).toBe(json);
    const owning = owningCodec(bytesCodec());
    expect(owning.borrowsFrame).toBe(false);
    const stream = encodeAll(bytesCodec(), [Uint8Array.of(7, 8)]);
    const reader = new MessageReader(owning);
    reader.accumulator.push(stream);
    const message = reader.next()!;
    stream.fill(0);
    expect(Array.from(message)).toEqual([7, 8]);
  });
});
