import { describe, expect, it } from 'vitest';
import { bytesCodec } from './bytes-codec.js';
import { MessageReader } from './message-reader.js';
import { owningCodec } from './owning-codec.js';

const FRAMES = 50;
const BODY = 12;

/** A Buffer of FRAMES length-prefixed bodies (body k filled with k), counting reads of its `buffer`. */
function countedChunk(): { chunk: Buffer; memory: ArrayBufferLike; reads: () => number } {
  const chunk = Buffer.alloc(FRAMES * (4 + BODY));
  for (let k = 0; k < FRAMES; k++) {
    const at = k * (4 + BODY);
    chunk.writeUInt32BE(BODY, at);
    chunk.fill(k, at + 4, at + 4 + BODY);
  }
  const memory = chunk.buffer;
  let reads = 0;
  Object.defineProperty(chunk, 'buffer', {
    get() {
      reads++;
      return memory;
    },
  });
  return { chunk, memory, reads: () => reads };
}

function readAll(reader: MessageReader<Uint8Array>, chunk: Buffer): Uint8Array[] {
  reader.accumulator.push(chunk, true);
  const bodies: Uint8Array[] = [];
  for (let body = reader.next(); body !== undefined; body = reader.next()) bodies.push(body);
  return bodies;
}

describe('bytesCodec body views of a received chunk', () => {
  for (const [name, codec] of [
    ['borrowed (onMessage)', bytesCodec()],
    ['queued (recv)', owningCodec(bytesCodec())],
  ] as const) {
    it(`${name}: are plain Uint8Array views, made with one read of the chunk's memory`, () => {
      const reader = new MessageReader<Uint8Array>(codec, { initialCapacity: 64 });
      const { chunk, memory, reads } = countedChunk();
      const bodies = readAll(reader, chunk);
      expect(bodies).toHaveLength(FRAMES);
      bodies.forEach((body, k) => {
        // Not a Buffer: a Buffer view costs several times as much to make on V8.
        expect(Object.getPrototypeOf(body)).toBe(Uint8Array.prototype);
        expect(body.buffer).toBe(memory);
        expect(Array.from(body)).toEqual(new Array<number>(BODY).fill(k));
      });
      // The chunk's memory is looked up once for all its frames, not once per frame.
      expect(reads()).toBe(1);
      reader.release();
    });
  }
});
