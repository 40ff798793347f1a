import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
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
  union,
  utf8,
} from './index.js';
import { layoutArbitrary, messageArbitrary } from './test-support/arbitraries.js';
import { referenceEncode } from './test-support/reference-encoder.js';
import { decodeBody, decodeStream, encodeBody, encodeStream } from './test-support/round-trip.js';

const runs = process.env.NET_TEST_LONG ? 1_000_000 : 1_000;

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
const messages = fc.array(messageArbitrary(Everything) as fc.Arbitrary<InferMessage<typeof Everything>>, { minLength: 1, maxLength: 3 });

/** Decoding may only fail with a NetError of one of `codes`. */
function expectNetError(error: unknown, codes: readonly string[]): void {
  if (!NetError.isNetError(error)) throw error;
  expect(codes).toContain(error.code);
}

describe('struct codec properties', () => {
  it('round-trips random messages fed whole, split at every offset and byte by byte', () => {
    fc.assert(
      fc.property(messages, (batch) => {
        const stream = encodeStream(everything, batch);
        for (const cuts of [[], ...everySingleCut(stream.length), byteByByte(stream.length)]) {
          expect(decodeStream(everything, stream, cuts)).toEqual(batch);
        }
      }),
      // Each run feeds its stream ~300 ways (every cut point), so 200 runs already decode ~60,000 feeds.
      { numRuns: process.env.NET_TEST_LONG ? runs : 200 },
    );
  });

  it('round-trips random messages of random layouts, through the reader and directly', () => {
    const cases = layoutArbitrary.chain((layout) =>
      fc.tuple(
        fc.constant(layout),
        fc.array(messageArbitrary(layout), { minLength: 1, maxLength: 3 }),
        fc.constantFrom('big' as const, 'little' as const),
        fc.uniqueArray(fc.nat(600), { maxLength: 4 }),
      ),
    );
    fc.assert(
      fc.property(cases, ([layout, batch, byteOrder, cutPoints]) => {
        const codec = structCodec(layout, { byteOrder });
        for (const message of batch) expect(decodeBody(codec, encodeBody(codec, message))).toEqual(message);
        const stream = encodeStream(codec, batch);
        const cuts = cutPoints.filter((c) => c > 0 && c < stream.length).sort((x, y) => x - y);
        expect(decodeStream(codec, stream, cuts)).toEqual(batch);
      }),
      { numRuns: runs },
    );
  });

  it('writes the bytes a naive reference encoder writes, and takes no body one byte longer or shorter', () => {
    const cases = layoutArbitrary.chain((layout) =>
      fc.tuple(fc.constant(layout), messageArbitrary(layout), fc.constantFrom('big' as const, 'little' as const)),
    );
    fc.assert(
      fc.property(cases, ([layout, message, byteOrder]) => {
        const codec = structCodec(layout, { byteOrder });
        const reference = referenceEncode(layout, message, byteOrder === 'little');
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
    const cases = layoutArbitrary.chain((layout) => fc.tuple(fc.constant(layout), fc.uint8Array({ maxLength: 80 })));
    fc.assert(
      fc.property(cases, ([layout, body]) => {
        const codec = structCodec(layout);
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
    const cases = layoutArbitrary.chain((layout) =>
      fc.tuple(fc.constant(layout), messageArbitrary(layout), fc.integer({ min: -8, max: 4 }), fc.array(fc.tuple(fc.nat(), fc.nat(255)), { maxLength: 3 })),
    );
    fc.assert(
      fc.property(cases, ([layout, message, resize, changes]) => {
        const codec = structCodec(layout);
        const body = encodeBody(codec, message);
        const mutated = resize < 0 ? body.slice(0, Math.max(0, body.length + resize)) : [...body, ...new Array<number>(resize).fill(0x41)];
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
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.uniqueArray(fc.nat(300), { maxLength: 5 }), (stream, cutPoints) => {
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
      }),
      { numRuns: runs },
    );
  });
});
