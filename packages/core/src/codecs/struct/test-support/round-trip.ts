import { ByteWriter } from '../../../buffers/byte-writer.js';
import type { Codec, FrameSlice } from '../../codec.js';
import { MessageReader } from '../../message-reader.js';
import { MessageWriter } from '../../message-writer.js';

/** The frames of `messages` on the wire, as MessageWriter writes them (a copy). */
export function encodeStream<S>(codec: Codec<S, unknown>, messages: readonly S[]): Uint8Array {
  const writer = new MessageWriter(codec, { initialCapacity: 64 });
  for (const message of messages) writer.write(message);
  const stream = Uint8Array.prototype.slice.call(writer.out.bytes, 0, writer.out.position);
  writer.release();
  return new Uint8Array(stream);
}

/**
 * Feeds `stream` to a fresh MessageReader in pieces cut at `cuts` and returns every message (or
 * the error a frame raised, in its place: a decode error does not stop the reader).
 */
export function decodeStream<R>(
  codec: Codec<unknown, R>,
  stream: Uint8Array,
  cuts: readonly number[] = [],
): (R | Error)[] {
  const reader = new MessageReader(codec, { initialCapacity: 64, minReadSize: 16 });
  const out: (R | Error)[] = [];
  let from = 0;
  for (const to of [...cuts, stream.length]) {
    if (to > from) reader.accumulator.push(stream.subarray(from, to));
    for (;;) {
      try {
        const message = reader.next();
        if (message === undefined) break;
        out.push(message);
      } catch (error) {
        if (reader.failure !== undefined) throw error;
        out.push(error as Error);
      }
    }
    from = to;
  }
  return out;
}

/** Sends one message through MessageWriter and MessageReader and returns what arrives. */
export function roundTrip<T>(codec: Codec<T, T>, message: T): T {
  const [result, ...extra] = decodeStream(codec, encodeStream(codec, [message]));
  if (extra.length > 0 || result === undefined) throw new Error(`expected one message, got ${extra.length + 1}`);
  if (result instanceof Error) throw result;
  return result;
}

/** The body bytes `codec` writes for `message`, without framing. */
export function encodeBody<S>(codec: Codec<S, unknown>, message: S): number[] {
  const out = new ByteWriter({ initialCapacity: 8 });
  out.position = 3; // not at 0: offsets must be relative to the writer's position
  codec.encode(message, out);
  const body = Array.from(out.bytes.subarray(3, out.position));
  out.release();
  return body;
}

/**
 * Decodes a body handed over directly, as a plain Uint8Array inside a larger buffer surrounded by
 * 0xee bytes, so a decoder that reads outside its frame gets garbage.
 */
export function decodeBody<R>(codec: Codec<unknown, R>, body: ArrayLike<number>): R {
  const bytes = new Uint8Array(body.length + 16).fill(0xee);
  bytes.set(Array.from(body), 7);
  const frame: FrameSlice = { bytes, view: new DataView(bytes.buffer), offset: 7, length: body.length };
  return codec.decode(frame);
}

/** Encodes `text` as UTF-8 bytes. */
export function utf8Bytes(text: string): number[] {
  return Array.from(new TextEncoder().encode(text));
}

/** Runs `fn` and returns the error it throws (failing when it does not). */
export function thrown(fn: () => unknown): { code?: string; message: string } {
  try {
    fn();
  } catch (error) {
    return error as { code?: string; message: string };
  }
  throw new Error('expected a throw');
}
