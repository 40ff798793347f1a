import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../errors/error-codes.js';
import { NetError } from '../../errors/net-error.js';
import { byteByByte, everySingleCut, join } from '../../test-support/feed.js';
import { ascii, bytesRest, struct, structCodec, u16, u32, u53, union, utf8 } from './index.js';
import { decodeStream, encodeStream } from './test-support/round-trip.js';

const Packet = union('type', ascii(1), {
  A: struct({ id: u32, name: ascii(4) }),
  U: struct({ label: utf8(4) }),
  N: struct({ big: u53 }),
  D: struct({ seq: u16, data: bytesRest() }),
});
const codec = structCodec(Packet);

/** A frame with a u16 big-endian length prefix around `body`. */
function frame(body: number[]): Uint8Array {
  return Uint8Array.from([body.length >> 8, body.length & 0xff, ...body]);
}

const A = 0x41;
const goodA = { type: 'A', id: 1, name: 'OK' } as const;
const goodD = { type: 'D', seq: 2, data: Uint8Array.of(9) } as const;

/** [description, body of a bad frame]. */
const badBodies: [string, number[]][] = [
  ['an empty body', []],
  ['a truncated variant', [A, 0, 0, 0, 1, 65]],
  ['a variant with one byte too many', [A, 0, 0, 0, 1, 65, 65, 65, 65, 0]],
  ['an unknown tag', [0x5a, 0, 0, 0, 1, 65, 65, 65, 65]],
  ['a lower-case tag', [0x61, 0, 0, 0, 1, 65, 65, 65, 65]],
  ['a non-ASCII byte in an ascii field', [A, 0, 0, 0, 1, 65, 0xc4, 65, 65]],
  ['bytes that are not UTF-8', [0x55, 0xc3, 0x28, 0, 0]],
  ['a u53 past 2^53', [0x4e, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]],
  ['a rest variant shorter than its fixed part', [0x44, 0]],
];

describe('decode errors', () => {
  for (const [description, body] of badBodies) {
    it(`${description} is NET_ERR_DECODE and the reader goes on with the next frame`, () => {
      const stream = join([encodeStream(codec, [goodA]), frame(body), encodeStream(codec, [goodD])]);
      for (const cuts of [[], ...everySingleCut(stream.length), byteByByte(stream.length)]) {
        const results = decodeStream(codec, stream, cuts);
        expect(results).toHaveLength(3);
        expect(results[0]).toEqual(goodA);
        expect(NetError.hasCode(results[1], ErrorCode.DECODE)).toBe(true);
        expect(results[2]).toEqual(goodD);
      }
    });
  }

  it('shows the frame in hex in the error the reader throws', () => {
    const [error] = decodeStream(codec, frame([0x5a, 1, 2]));
    expect((error as Error).message).toContain("unknown field 'type' tag 0x5a ('Z')");
    expect((error as Error).message).toContain('[5a 01 02]');
  });

  it('never reads past the frame into the next one', () => {
    // A frame that claims to be 'A' but is one byte short, followed by bytes that would complete it.
    const stream = join([frame([A, 0, 0, 0, 1, 65, 65, 65]), frame([65])]);
    const results = decodeStream(codec, stream);
    expect(results.map((r) => (r instanceof Error ? (r as NetError).code : r))).toEqual([
      ErrorCode.DECODE,
      ErrorCode.DECODE,
    ]);
  });
});
