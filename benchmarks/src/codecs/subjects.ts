import { bytesCodec, type Codec, jsonCodec, MessageReader, MessageWriter } from '@net/core';
import { Packr, Unpackr } from 'msgpackr';
import { HandOrderCodec, orderBytes } from '../messages/hand-order-codec.js';
import { type Order, sameOrder, sampleOrder, touchOrder } from '../messages/order.js';
import { structOrderCodec } from '../messages/struct-order.js';

/** Distinct messages each subject cycles through (a power of two: the index is `i & MASK`). */
const MESSAGES = 64;
const MASK = MESSAGES - 1;
/** Frames in the pre-encoded stream a decode round feeds, again and again, to a reader. */
export const DECODE_STREAM_FRAMES = 1000;
/** The encode side clears its writer when this many bytes are pending, so the buffer never grows. */
const CLEAR_AT = 64 * 1024;

/** Which group a subject belongs to, for the table and the ratios. */
export type SubjectKind = 'net' | 'reference' | 'plain' | 'msgpackr';

/** One thing whose encode and decode are measured. */
export interface Subject {
  /** Stable id, used on the command line and in JSON output. */
  readonly id: string;
  /** Row label. */
  readonly label: string;
  readonly kind: SubjectKind;
  /** Bytes one message takes: the frame on the wire for @net codecs, the encoded form otherwise. */
  readonly bytesPerMessage: number;
  /** What the bytes are, e.g. "frame" or "UTF-16 string". */
  readonly bytesNote: string;
  /** Encodes `ops` messages; returns a value derived from the output (the sink). */
  encode(ops: number): number;
  /** Decodes `ops` messages (a multiple of {@link DECODE_STREAM_FRAMES}); returns the sink. */
  decode(ops: number): number;
  /** Round-trips sample messages and returns what went wrong, or undefined when all came back equal. */
  verify(): string | undefined;
}

/** How each subject is described, whether or not it can be created on this build. */
export interface SubjectSpec {
  readonly id: string;
  readonly create: () => Subject;
  /** Why the subject cannot run here, when it cannot. */
  readonly unavailable?: string;
}

/** Every subject of the codec benchmark, in table order. */
export function subjectSpecs(): SubjectSpec[] {
  return [
    { id: 'struct', create: () => orderCodecSubject('struct', '@net structCodec', 'net', structOrderCodec()) },
    {
      id: 'json-codec',
      create: () => orderCodecSubject('json-codec', '@net jsonCodec (newline)', 'net', jsonCodec<Order, Order>()),
    },
    { id: 'bytes-codec', create: bytesCodecSubject },
    {
      id: 'hand-codec',
      create: () =>
        orderCodecSubject('hand-codec', 'hand-written DataView codec (reference)', 'reference', new HandOrderCodec()),
    },
    { id: 'json-native', create: jsonNativeSubject },
    {
      id: 'msgpackr-maps',
      create: () =>
        msgpackrSubject(
          'msgpackr-maps',
          'msgpackr maps (useRecords:false)',
          new Packr({ useRecords: false }),
          new Unpackr({ useRecords: false }),
        ),
    },
    {
      id: 'msgpackr-records',
      create: () =>
        msgpackrSubject(
          'msgpackr-records',
          'msgpackr records, self-contained',
          new Packr({ useRecords: true }),
          new Unpackr(),
        ),
    },
    {
      id: 'msgpackr-shared',
      create: () => {
        // Both ends hold the same record definitions, agreed out of band (like a schema).
        const structures: object[] = [];
        return msgpackrSubject(
          'msgpackr-shared',
          'msgpackr records, shared structures',
          new Packr({ structures }),
          new Unpackr({ structures }),
        );
      },
    },
  ];
}

function orders(): Order[] {
  return Array.from({ length: MESSAGES }, (_, i) => sampleOrder(i));
}

/** Frames `messages` back to back, DECODE_STREAM_FRAMES of them, into one buffer of its own. */
function encodeStream<M>(codec: Codec<M, unknown>, messages: readonly M[]): Buffer {
  const writer = new MessageWriter(codec, { initialCapacity: 1 << 20 });
  for (let i = 0; i < DECODE_STREAM_FRAMES; i++) writer.write(messages[i & MASK]);
  const stream = Buffer.from(writer.out.bytes.subarray(0, writer.out.position));
  writer.release();
  return stream;
}

/**
 * A @net codec through the real send and receive paths: `MessageWriter.write` (frame head, encode,
 * seal) for encode, and `MessageReader` fed with `accumulator.push` (framing, then decode) for
 * decode.
 */
function netSubject<M>(
  id: string,
  label: string,
  kind: SubjectKind,
  codec: Codec<M, M>,
  messages: readonly M[],
  touch: (message: M) => number,
  same: (a: M, b: M) => boolean,
): Subject {
  const writer = new MessageWriter(codec, { initialCapacity: 256 * 1024 });
  const reader = new MessageReader(codec);
  const stream = encodeStream(codec, messages);
  const probe = new MessageWriter(codec);
  const bytesPerMessage = probe.write(messages[0]);
  probe.release();
  return {
    id,
    label,
    kind,
    bytesPerMessage,
    bytesNote: 'frame on the wire',
    encode(ops) {
      let sink = 0;
      for (let i = 0; i < ops; i++) {
        sink += writer.write(messages[i & MASK]);
        if (writer.out.position >= CLEAR_AT) writer.out.clear();
      }
      writer.out.clear();
      return sink;
    },
    decode(ops) {
      let sink = 0;
      let done = 0;
      while (done < ops) {
        reader.accumulator.push(stream);
        let message: M | undefined;
        while ((message = reader.next()) !== undefined) {
          sink += touch(message);
          done++;
        }
      }
      return sink;
    },
    verify() {
      const check = new MessageReader(codec);
      check.accumulator.push(stream);
      for (let i = 0; i < DECODE_STREAM_FRAMES; i++) {
        const message = check.next();
        if (message === undefined) return `frame ${i} of the pre-encoded stream did not decode`;
        if (!same(message, messages[i & MASK])) return `frame ${i} decoded to a different message`;
      }
      return check.next() === undefined ? undefined : 'the pre-encoded stream held more frames than were written';
    },
  };
}

function orderCodecSubject(id: string, label: string, kind: SubjectKind, codec: Codec<Order, Order>): Subject {
  return netSubject(id, label, kind, codec, orders(), touchOrder, sameOrder);
}

/** Raw 128-byte payloads (already encoded by the application): framing and one copy, no object. */
function bytesCodecSubject(): Subject {
  const payloads = orders().map((order) => new Uint8Array(orderBytes(order)));
  return netSubject(
    'bytes-codec',
    '@net bytesCodec (128 B payload, no object)',
    'net',
    bytesCodec(),
    payloads,
    (bytes) => bytes.length + bytes[1],
    (a, b) => Buffer.compare(a, b) === 0,
  );
}

/** `JSON.stringify` to a string and `JSON.parse` from one: no bytes, no framing. */
function jsonNativeSubject(): Subject {
  const messages = orders();
  const texts = messages.map((order) => JSON.stringify(order));
  return {
    id: 'json-native',
    label: 'JSON.stringify / JSON.parse (string)',
    kind: 'plain',
    bytesPerMessage: texts[0].length,
    bytesNote: 'UTF-16 string, not bytes',
    encode(ops) {
      let sink = 0;
      for (let i = 0; i < ops; i++) sink += JSON.stringify(messages[i & MASK]).length;
      return sink;
    },
    decode(ops) {
      let sink = 0;
      for (let i = 0; i < ops; i++) sink += touchOrder(JSON.parse(texts[i & MASK]) as Order);
      return sink;
    },
    verify() {
      return texts.every((text, i) => sameOrder(JSON.parse(text) as Order, messages[i]))
        ? undefined
        : 'JSON round trip changed a message';
    },
  };
}

/** msgpackr `pack` to bytes and `unpack` from them: no framing. */
function msgpackrSubject(id: string, label: string, packr: Packr, unpackr: Unpackr): Subject {
  const messages = orders();
  // pack() returns views of one reused buffer: copy the encoded forms the decode side keeps.
  const packed = messages.map((order) => Buffer.from(packr.pack(order)));
  return {
    id,
    label,
    kind: 'msgpackr',
    bytesPerMessage: packed[0].length,
    bytesNote: 'encoded bytes, unframed',
    encode(ops) {
      let sink = 0;
      for (let i = 0; i < ops; i++) sink += packr.pack(messages[i & MASK]).length;
      return sink;
    },
    decode(ops) {
      let sink = 0;
      for (let i = 0; i < ops; i++) sink += touchOrder(unpackr.unpack(packed[i & MASK]) as Order);
      return sink;
    },
    verify() {
      return packed.every((bytes, i) => sameOrder(unpackr.unpack(bytes) as Order, messages[i]))
        ? undefined
        : 'msgpackr round trip changed a message';
    },
  };
}
