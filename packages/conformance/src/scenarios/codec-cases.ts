import type { Codec } from '@net/core';
import {
  ascii,
  bool,
  bytesCodec,
  bytesRest,
  delimiterFramer,
  f64,
  fixedSizeFramer,
  i64,
  jsonCodec,
  lengthFieldFramer,
  struct,
  structCodec,
  u32,
  union,
} from '../recipes/core-factories.js';
import { patternBytes } from './helpers.js';

/** One codec configuration and messages that exercise it, exchanged both ways. */
export interface CodecCase {
  readonly name: string;
  readonly codec: () => Codec<unknown, unknown>;
  readonly messages: readonly unknown[];
}

const JSON_MESSAGES: readonly unknown[] = [
  { seq: 0, text: 'plain' },
  { seq: 1, text: 'héllo wörld ✓ 𝄞 日本語' },
  { seq: 2, text: '' },
  { seq: 3, nested: { list: [1, 2.5, -3, null, true], empty: {} } },
  { seq: 4, text: 'q"uo\\te\ttab\u0000nul' },
  { seq: 5, text: 'y'.repeat(10_000) },
  'a bare string',
  42,
  [],
];

/** Byte messages of the given sizes, each with its own pattern. */
function byteMessages(sizes: readonly number[], avoid?: number): Uint8Array[] {
  return sizes.map((size, i) => {
    const bytes = patternBytes(size, i);
    if (avoid !== undefined) for (let j = 0; j < bytes.length; j++) if (bytes[j] === avoid) bytes[j] = avoid + 1;
    return bytes;
  });
}

const ORDER = union('type', ascii(1), {
  O: struct({ id: u32, price: f64, quantity: i64, side: ascii(1), urgent: bool }),
  D: struct({ data: bytesRest() }),
});

/** Every codec configuration the framing scenarios exchange messages with, and the messages for each. */
export const CODEC_CASES: readonly CodecCase[] = [
  { name: 'JSON, newline-delimited', codec: () => jsonCodec(), messages: JSON_MESSAGES },
  {
    name: 'JSON, \\r\\n-delimited',
    codec: () => jsonCodec({ framer: delimiterFramer({ delimiter: '\r\n' }) }),
    messages: JSON_MESSAGES,
  },
  { name: 'JSON, u32 length', codec: () => jsonCodec({ framing: 'length' }), messages: JSON_MESSAGES },
  {
    name: 'JSON, u16 length',
    codec: () => jsonCodec({ framer: lengthFieldFramer({ lengthFieldLength: 2 }) }),
    messages: JSON_MESSAGES,
  },
  {
    name: 'bytes, u32 length',
    codec: () => bytesCodec({ copy: true }),
    messages: byteMessages([1, 2, 100, 65_536, 300_000]),
  },
  {
    name: 'bytes, borrowed bodies, u32 length',
    codec: () => bytesCodec(),
    messages: byteMessages([1, 7, 4_096, 70_000]),
  },
  {
    name: 'bytes, u16 little-endian length at offset 3',
    codec: () =>
      bytesCodec({
        copy: true,
        framer: lengthFieldFramer({ lengthFieldOffset: 3, lengthFieldLength: 2, byteOrder: 'little' }),
      }),
    messages: byteMessages([1, 255, 256, 65_535]),
  },
  {
    name: 'bytes, u8 length',
    codec: () => bytesCodec({ copy: true, framer: lengthFieldFramer({ lengthFieldLength: 1 }) }),
    messages: byteMessages([1, 2, 254, 255]),
  },
  {
    name: 'bytes, u64 length including its header',
    codec: () =>
      bytesCodec({ copy: true, framer: lengthFieldFramer({ lengthFieldLength: 8, lengthIncludesHeader: true }) }),
    messages: byteMessages([1, 1_000, 20_000]),
  },
  {
    name: 'bytes, \\n-delimited',
    codec: () => bytesCodec({ copy: true, framer: delimiterFramer({ delimiter: '\n' }) }),
    messages: byteMessages([1, 2, 500, 5_000], 0x0a),
  },
  {
    name: 'bytes, fixed 16-byte frames',
    codec: () => bytesCodec({ copy: true, framer: fixedSizeFramer(16) }),
    messages: byteMessages([16, 16, 16, 16]),
  },
  {
    name: 'struct union, u16 length (SoupBinTCP framing)',
    codec: () => structCodec(ORDER),
    messages: [
      { type: 'O', id: 1, price: 101.25, quantity: -5n, side: 'B', urgent: true },
      { type: 'D', data: patternBytes(300) },
      { type: 'D', data: new Uint8Array(0) },
      { type: 'O', id: 0xffffffff, price: -0.5, quantity: 2n ** 62n, side: 'S', urgent: false },
    ],
  },
  {
    name: 'struct union, u32 length',
    codec: () => structCodec(ORDER, { framer: lengthFieldFramer() }),
    messages: [
      { type: 'D', data: patternBytes(100_000) },
      { type: 'O', id: 7, price: 0, quantity: 0n, side: 'X', urgent: false },
    ],
  },
];
