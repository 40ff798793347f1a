import { describe, expect, it } from 'vitest';
import { bytesCodec } from './bytes-codec.js';
import type { FrameSlice } from './codec.js';
import { MessageReader } from './message-reader.js';
import { MessageWriter } from './message-writer.js';

function frameOf(bytes: Uint8Array, offset: number, length: number): FrameSlice {
  return { bytes, view: new DataView(bytes.buffer), offset, length };
}

function framed(body: Uint8Array): Uint8Array {
  const writer = new MessageWriter(bytesCodec(), { initialCapacity: 64 });
  writer.write(body);
  const stream = Uint8Array.prototype.slice.call(writer.out.bytes, 0, writer.out.position);
  writer.release();
  return stream;
}

describe('bytesCodec per connection', () => {
  it('hands out the same view again for a frame at the same place, and a new one elsewhere', () => {
    const connection = bytesCodec().forConnection(false);
    const received = Uint8Array.of(1, 2, 3, 4, 5, 6);
    const first = connection.decode(frameOf(received, 0, 3));
    expect(Array.from(first)).toEqual([1, 2, 3]);
    // A later read put the next body where the last one was: no new object for it.
    received.set([7, 8, 9]);
    expect(connection.decode(frameOf(received, 0, 3))).toBe(first);
    expect(Array.from(first)).toEqual([7, 8, 9]);
    const moved = connection.decode(frameOf(received, 3, 3));
    expect(moved).not.toBe(first);
    expect(Array.from(moved)).toEqual([4, 5, 6]);
    const shorter = connection.decode(frameOf(received, 3, 2));
    expect(Array.from(shorter)).toEqual([4, 5]);
    const other = Uint8Array.of(1, 2, 3, 4, 5, 6);
    expect(connection.decode(frameOf(other, 3, 2))).not.toBe(shorter);
  });

  it('through a reader that drains its buffer, equal-sized messages reuse one view', () => {
    const reader = new MessageReader(bytesCodec(), { initialCapacity: 256 });
    const seen = new Set<Uint8Array>();
    for (let n = 0; n < 10; n++) {
      // A direct read, as a connection makes: into the reader's own buffer.
      const bytes = framed(Uint8Array.of(n, n + 1));
      const { accumulator } = reader;
      accumulator.reserve();
      accumulator.buffer.set(bytes, accumulator.end);
      accumulator.commit(bytes.length);
      const body = reader.next()!;
      expect(Array.from(body)).toEqual([n, n + 1]);
      expect(reader.next()).toBeUndefined();
      seen.add(body);
    }
    expect(seen.size).toBe(1);
  });

  it('a stream read many frames at a time reuses one view per place in the buffer', () => {
    const reader = new MessageReader(bytesCodec(), { initialCapacity: 4096, minReadSize: 1024 });
    const seen = new Set<Uint8Array>();
    const perRead = 20;
    for (let read = 0; read < 6; read++) {
      const { accumulator } = reader;
      accumulator.reserve();
      for (let n = 0; n < perRead; n++) {
        const bytes = framed(Uint8Array.of(read, n, 7));
        accumulator.buffer.set(bytes, accumulator.end);
        accumulator.commit(bytes.length);
      }
      const bodies: Uint8Array[] = [];
      for (let body = reader.next(); body !== undefined; body = reader.next()) bodies.push(body);
      // Every body of one read is its own view, and shows its own frame.
      expect(bodies.map((body) => Array.from(body))).toEqual(Array.from({ length: perRead }, (_, n) => [read, n, 7]));
      expect(new Set(bodies).size).toBe(perRead);
      for (const body of bodies) seen.add(body);
    }
    expect(seen.size).toBe(perRead);
  });

  it('bodies of chunks fed one after another each show their own chunk', () => {
    const reader = new MessageReader(bytesCodec(), { initialCapacity: 4096 });
    for (let chunk = 0; chunk < 4; chunk++) {
      const parts = Array.from({ length: 8 }, (_, n) => framed(Uint8Array.of(chunk, n)));
      const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
      parts.reduce((at, part) => (bytes.set(part, at), at + part.length), 0);
      // Not stable: bytes that arrived another way, a new array each time, at the same places.
      reader.accumulator.push(bytes, chunk % 2 === 1);
      const bodies: number[][] = [];
      for (let body = reader.next(); body !== undefined; body = reader.next()) bodies.push(Array.from(body));
      expect(bodies).toEqual(Array.from({ length: 8 }, (_, n) => [chunk, n]));
    }
  });

  it('a view kept per place is made anew for another length or another buffer', () => {
    const connection = bytesCodec().forConnection(false);
    const received = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);
    const a = connection.decode(frameOf(received, 0, 2));
    const b = connection.decode(frameOf(received, 2, 2));
    expect(connection.decode(frameOf(received, 0, 2))).toBe(a);
    expect(connection.decode(frameOf(received, 2, 2))).toBe(b);
    const longer = connection.decode(frameOf(received, 2, 3));
    expect(longer).not.toBe(b);
    expect(Array.from(longer)).toEqual([3, 4, 5]);
    const other = Uint8Array.of(9, 9, 9, 9);
    const fromOther = connection.decode(frameOf(other, 2, 2));
    expect(Array.from(fromOther)).toEqual([9, 9]);
    expect(connection.decode(frameOf(received, 0, 2))).not.toBe(a);
  });

  it('queued bodies are copies, and copying codecs are their own per-connection instance', () => {
    const queued = bytesCodec().forConnection(true);
    expect(queued.borrowsFrame).toBe(false);
    const received = Uint8Array.of(1, 2, 3);
    const body = queued.decode(frameOf(received, 0, 3));
    received.fill(0);
    expect(Array.from(body)).toEqual([1, 2, 3]);
    const copying = bytesCodec({ copy: true });
    expect(copying.forConnection(false)).toBe(copying);
    expect(copying.forConnection(true)).toBe(copying);
  });
});
