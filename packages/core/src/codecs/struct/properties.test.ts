import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fcRuns } from '../../../../../test-support/fc-runs.mjs';
import { ErrorCode } from '../../errors/error-codes.js';
import { NetError } from '../../errors/net-error.js';
import { byteByByte, everySingleCut } from '../../test-support/feed.js';
import { MessageReader } from '../message-reader.js';
import {
  ascii,
  bool,
  bytes,
  bytesRest,
  f32,
  f64,
  i16,
  i32,
  i53,
  i64,
  i8,
  type InferMessage,
  struct,
  structCodec,
  u16,
  u32,
  u53,
  u64,
  u8,
  type MessageLayout,
  union,
  utf8,
} from './index.js';
import { layoutArbitrary, messageArbitrary } from './test-support/arbitraries.js';
import { referenceEncode } from './test-support/reference-encoder.js';
import { decodeBody, decodeStream, encodeBody, encodeStream } from './test-support/round-trip.js';

// 10,000 cases per property in CI; NET_FC_RUNS scales them (NET_TEST_LONG=1 runs 1,000,000).
const runs = fcRuns(10_000);

/** A random layout, compiled once for each byte order, with the arbitrary of its messages. */
interface PooledLayout {
  readonly layout: MessageLayout;
  readonly big: ReturnType<typeof structCodec>;
  readonly little: ReturnType<typeof structCodec>;
  readonly message: fc.Arbitrary<unknown>;
}

// Compiling a layout generates code (about a millisecond each), more than a case costs otherwise,
// so the layout properties draw their layouts from a pool of random layouts compiled once: 300
// in CI (scaled by NET_FC_RUNS, at most 5,000), a new pool on every run. The seed is in the failure message, and
// NET_TEST_LAYOUT_SEED replays it.
const poolSeed = Number(process.env.NET_TEST_LAYOUT_SEED ?? Date.now() % 2 ** 31);
const pool: PooledLayout[] = fc
  .sample(layoutArbitrary, { numRuns: Math.min(5_000, fcRuns(300)), seed: poolSeed })
  .map((layout) => ({
    layout,
    big: structCodec(layout),
    little: structCodec(layout, { byteOrder: 'little' }),
    message: messageArbitrary(layout),
  }));
const pooledLayout = fc.nat(pool.length - 1).map((i) => pool[i]);

/** `fc.assert` with the layout pool's seed in a failure, so that the pool can be rebuilt. */
function assertWithPool<T>(property: fc.IProperty<T>, parameters: fc.Parameters<T>): void {
  try {
    fc.assert(property, parameters);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(`layout pool seed ${poolSeed} (replay with NET_TEST_LAYOUT_SEED=${poolSeed})\n${detail}`, {
      cause: error,
    });
  }
}

const Everything = union('type', ascii(1), {
  N: struct({
    a: u8,
    b: u16,
    c: u32,
    d: u64,
    e: i8,
    f: i16,
    g: i32,
    h: i64,
    i: u53,
    j: i53,
    k: f32,
    l: f64,
    m: bool,
    text: struct({ left: ascii(12), right: ascii(12, { align: 'right', pad: 'nul' }), wide: utf8(12) }),
    raw: bytes(5),
    pick: union('kind', u8, { 1: struct({ x: u16 }), 2: struct({ y: i16 }) }),
  }),
  D: struct({ seq: u53, payload: bytesRest() }),
  H: struct({}),
});
const everything = structCodec(Everything);
const messages = fc.array(messageArbitrary(Everything) as fc.Arbitrary<InferMessage<typeof Everything>>, {
  minLength: 1,
  maxLength: 3,
});

/** Decoding may only fail with a NetError of one of `codes`. */
function expectNetError(error: unknown, codes: readonly string[]): void {
  if (!NetError.isNetError(error)) throw error;
  expect(codes).toContain(error.code);
}

describe('struct codec properties', () => {
  it('round-trips random messages fed whole, split at random offsets and byte by byte', () => {
    const cases = fc.tuple(messages, fc.uniqueArray(fc.nat(400), { maxLength: 6 }), fc.nat(400));
    fc.assert(
      fc.property(cases, ([batch, cutPoints, single]) => {
        const stream = encodeStream(everything, batch);
        const inside = (c: number) => c > 0 && c < stream.length;
        const cuts = cutPoints.filter(inside).sort((x, y) => x - y);
        const one = single % Math.max(1, stream.length);
        for (const feed of [[], cuts, inside(one) ? [one] : [], byteByByte(stream.length)]) {
          expect(decodeStream(everything, stream, feed)).toEqual(batch);
        }
      }),
      { numRuns: runs },
    );
  });

  it('round-trips random messages split at every single offset', () => {
    fc.assert(
      fc.property(messages, (batch) => {
        const stream = encodeStream(everything, batch);
        for (const cuts of everySingleCut(stream.length)) expect(decodeStream(everything, stream, cuts)).toEqual(batch);
      }),
      // Each case feeds its stream ~300 ways (every cut point): 200 cases are ~60,000 feeds.
      { numRuns: fcRuns(200) },
    );
  });

  it('round-trips random messages of random layouts, through the reader and directly', () => {
    const cases = pooledLayout.chain((entry) =>
      fc.tuple(
        fc.constant(entry),
        fc.array(entry.message, { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        fc.uniqueArray(fc.nat(600), { maxLength: 4 }),
      ),
    );
    assertWithPool(
      fc.property(cases, ([entry, batch, little, cutPoints]) => {
        const codec = little ? entry.little : entry.big;
        for (const message of batch) expect(decodeBody(codec, encodeBody(codec, message))).toEqual(message);
        const stream = encodeStream(codec, batch);
        const cuts = cutPoints.filter((c) => c > 0 && c < stream.length).sort((x, y) => x - y);
        expect(decodeStream(codec, stream, cuts)).toEqual(batch);
      }),
      { numRuns: runs },
    );
  });

  it('writes the bytes a naive reference encoder writes, and takes no body one byte longer or shorter', () => {
    const cases = pooledLayout.chain((entry) => fc.tuple(fc.constant(entry), entry.message, fc.boolean()));
    assertWithPool(
      fc.property(cases, ([entry, message, little]) => {
        const codec = little ? entry.little : entry.big;
        const reference = referenceEncode(entry.layout, message, little);
        const body = encodeBody(codec, message);
        expect(body).toEqual(reference.bytes);
        const longer = () => decodeBody(codec, [...body, 0]);
        const shorter = () => decodeBody(codec, body.slice(0, -1));
        if (reference.endsWithRest) {
          expect(longer).not.toThrow();
        } else {
          expect(longer).toThrow(expect.objectContaining({ code: ErrorCode.DECODE }));
          if (body.length > 0) expect(shorter).toThrow(expect.objectContaining({ code: ErrorCode.DECODE }));
        }
      }),
      { numRuns: runs },
    );
  });

  it('decodes random bytes to a message or a NET_ERR_DECODE, and what it decodes re-encodes to the same message', () => {
    const cases = fc.tuple(pooledLayout, fc.uint8Array({ maxLength: 80 }));
    assertWithPool(
      fc.property(cases, ([entry, body]) => {
        const codec = entry.big;
        let message: unknown;
        try {
          message = decodeBody(codec, body);
        } catch (error) {
          expectNetError(error, [ErrorCode.DECODE]);
          return;
        }
        expect(decodeBody(codec, encodeBody(codec, message))).toEqual(message);
      }),
      { numRuns: runs },
    );
  });

  it('decodes mutated valid frames (truncated, extended, bytes changed) without anything but NET_ERR_DECODE', () => {
    const cases = pooledLayout.chain((entry) =>
      fc.tuple(
        fc.constant(entry),
        entry.message,
        fc.integer({ min: -8, max: 4 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(255)), { maxLength: 3 }),
      ),
    );
    assertWithPool(
      fc.property(cases, ([entry, message, resize, changes]) => {
        const codec = entry.big;
        const body = encodeBody(codec, message);
        const mutated =
          resize < 0
            ? body.slice(0, Math.max(0, body.length + resize))
            : [...body, ...new Array<number>(resize).fill(0x41)];
        for (const [at, value] of changes) if (mutated.length > 0) mutated[at % mutated.length] = value;
        try {
          const decoded = decodeBody(codec, mutated);
          expect(decodeBody(codec, encodeBody(codec, decoded))).toEqual(decoded);
        } catch (error) {
          expectNetError(error, [ErrorCode.DECODE]);
        }
      }),
      { numRuns: runs },
    );
  });

  it('survives random byte streams in the reader: messages, decode errors, then at most one framing error', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.uniqueArray(fc.nat(300), { maxLength: 5 }),
        (stream, cutPoints) => {
          const reader = new MessageReader(everything, { initialCapacity: 64, minReadSize: 16 });
          const cuts = [...cutPoints.filter((c) => c > 0 && c < stream.length).sort((a, b) => a - b), stream.length];
          let from = 0;
          for (const to of cuts) {
            if (to > from) reader.accumulator.push(stream.subarray(from, to));
            from = to;
            for (let guard = 0; guard <= stream.length; guard++) {
              try {
                if (reader.next() === undefined) break;
              } catch (error) {
                expectNetError(error, [ErrorCode.DECODE, ErrorCode.FRAME_CORRUPT, ErrorCode.FRAME_TOO_LARGE]);
                if (reader.failure !== undefined) return;
              }
            }
          }
        },
      ),
      { numRuns: runs },
    );
  });
});
