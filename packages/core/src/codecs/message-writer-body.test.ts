import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fcRuns } from '../../../../test-support/fc-runs.mjs';
import {
  type ByteWriter,
  BytesCodec,
  bytesCodec,
  type Codec,
  delimiterFramer,
  ErrorCode,
  fixedSizeFramer,
  type Framer,
  lengthFieldFramer,
  MessageWriter,
  NetError,
  owningCodec,
} from '../index.js';

const RUNS = fcRuns(2_000);

/** The bytes codec's encode behind a codec that does not say its body is the message: the steps of `write`. */
function throughEncode(codec: BytesCodec): Codec<Uint8Array, Uint8Array> {
  return {
    framer: codec.framer,
    encode: (message: Uint8Array, out: ByteWriter) => codec.encode(message, out),
    decode: () => new Uint8Array(0),
  };
}

/** What a writer holds after writing `messages`, or the code of the first that failed and what it held then. */
function written(codec: Codec<Uint8Array, unknown>, messages: readonly unknown[], maxBytes = 1 << 20) {
  const writer = new MessageWriter(codec, { initialCapacity: 64, maxBytes });
  const lengths: number[] = [];
  let failure: string | undefined;
  for (const message of messages) {
    try {
      lengths.push(writer.write(message as Uint8Array));
    } catch (error) {
      failure = error instanceof NetError ? error.code : String(error);
      break;
    }
  }
  const bytes = Array.from(writer.out.bytes.subarray(0, writer.out.position));
  writer.release();
  return { bytes, lengths, failure };
}

const FRAMERS: readonly [string, () => Framer][] = [
  ['a 4-byte big-endian length', () => lengthFieldFramer()],
  [
    'a 2-byte little-endian length after a byte, counting itself',
    () =>
      lengthFieldFramer({
        lengthFieldOffset: 1,
        lengthFieldLength: 2,
        byteOrder: 'little',
        lengthAdjustment: -3,
        maxFrameLength: 600,
      }),
  ],
  ['a delimiter', () => delimiterFramer({ delimiter: Uint8Array.of(13, 10), maxFrameLength: 600 })],
  ['a fixed size', () => fixedSizeFramer(16)],
];

describe('MessageWriter: a message that is its own body', () => {
  it('is written by the bytes codec, its per-connection codecs and its owning wrapper', () => {
    const codec = bytesCodec();
    expect(codec.bodyIsMessage).toBe(true);
    expect(codec.forConnection(false).bodyIsMessage).toBe(true);
    expect(codec.forConnection(true).bodyIsMessage).toBe(true);
    expect(owningCodec(codec).bodyIsMessage).toBe(true);
    expect(bytesCodec({ copy: true }).bodyIsMessage).toBe(true);
  });

  it.each(FRAMERS)('gives the same frames and failures as the codec encode with %s', (_name, framer) => {
    // Bodies that fit, that are too long, that hold the delimiter, of the wrong fixed size, and
    // values that are not bytes at all: both ways write the same bytes or fail with the same code.
    const message = fc.oneof(
      fc.uint8Array({ maxLength: 40 }),
      fc.uint8Array({ minLength: 590, maxLength: 700 }),
      fc.constant(new Uint8Array(16)),
      fc.constantFrom<unknown>('text', [1, 2, 3], 7, null, { length: 2 }),
    );
    fc.assert(
      fc.property(fc.array(message, { maxLength: 12 }), fc.integer({ min: 64, max: 2_000 }), (messages, max) => {
        const direct = written(bytesCodec({ framer: framer() }), messages, max);
        const encoded = written(throughEncode(bytesCodec({ framer: framer() })), messages, max);
        expect(direct).toEqual(encoded);
      }),
      { numRuns: RUNS },
    );
  });

  it('leaves the frames before a failed one whole, and the writer where that frame began', () => {
    const writer = new MessageWriter(bytesCodec({ framer: lengthFieldFramer({ maxFrameLength: 20 }) }), {
      initialCapacity: 64,
      maxBytes: 1_000,
    });
    writer.write(Uint8Array.of(1, 2));
    expect(() => writer.write(new Uint8Array(17))).toThrow(
      expect.objectContaining({ code: ErrorCode.FRAME_TOO_LARGE }) as Error,
    );
    expect(Array.from(writer.out.bytes.subarray(0, writer.out.position))).toEqual([0, 0, 0, 2, 1, 2]);
    const limited = new MessageWriter(bytesCodec(), { initialCapacity: 16, maxBytes: 16 });
    limited.write(Uint8Array.of(9));
    expect(() => limited.write(new Uint8Array(12))).toThrow(
      expect.objectContaining({ code: ErrorCode.BUFFER_LIMIT }) as Error,
    );
    expect(limited.out.position).toBe(5);
    writer.release();
    limited.release();
  });

  it('is not assumed of a codec that extends the bytes codec with its own encode', () => {
    class Reversed extends BytesCodec {
      override encode(message: Uint8Array, out: ByteWriter): void {
        super.encode(Uint8Array.from(message).reverse(), out);
      }
    }
    const codec = new Reversed();
    expect(codec.bodyIsMessage).toBe(false);
    expect(written(codec, [Uint8Array.of(1, 2, 3)]).bytes).toEqual([0, 0, 0, 3, 3, 2, 1]);
  });
});
