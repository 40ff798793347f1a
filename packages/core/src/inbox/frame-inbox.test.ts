import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { END_OF_STREAM } from '../connection/end-of-stream.js';
import { ErrorCode } from '../errors/error-codes.js';
import type { FrameSlice } from '../codecs/codec.js';
import { fcRuns } from '../../../../test-support/fc-runs.mjs';
import { codeOf } from '../../../../test-support/error-codes.mjs';
import { WOULD_BLOCK } from '../connection/would-block.js';
import { FrameInbox } from './frame-inbox.js';
import { HEADER_BYTES } from './inbox-layout.js';
import type { InboxConsumer } from './inbox-consumer.js';
import type { InboxProducer } from './inbox-producer.js';

// One inbox on one thread: both sides attached here, so every step is deterministic.

function pair(capacity: number, maxFrameBytes: number) {
  const inbox = new FrameInbox({ capacity, maxFrameBytes });
  return { inbox, producer: inbox.producer(), consumer: inbox.consumer() };
}

/** A frame of `length` bytes that says which frame it is in every byte. */
function frame(id: number, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (id * 7 + i) & 0xff;
  return bytes;
}

function bytesOf(got: unknown): number[] {
  const slice = got as FrameSlice;
  return [...slice.bytes.subarray(slice.offset, slice.offset + slice.length)];
}

/** Writes and reads filler frames until the producer's cursor stands `at` bytes into the data area. */
function advanceTo(producer: InboxProducer, consumer: InboxConsumer, at: number): void {
  let left = at;
  while (left > 0) {
    const length = Math.min(left, 16) - 4;
    expect(producer.tryWrite(frame(0, length), 0, length)).toBe(true);
    expect(consumer.tryRead()).not.toBe(WOULD_BLOCK);
    left -= length + 4;
  }
}

describe('FrameInbox on one thread', () => {
  it('carries every frame size from every starting offset, across the end of the data area', () => {
    for (const capacity of [64, 128]) {
      const max = capacity / 2 - 4;
      for (let at = 0; at < capacity; at += 4) {
        for (let length = 0; length <= max; length++) {
          const { producer, consumer } = pair(capacity, max);
          advanceTo(producer, consumer, at);
          const first = frame(1, length);
          const second = frame(2, max - length);
          expect(producer.tryWrite(first, 0, length)).toBe(true);
          const wentIn = producer.tryWrite(second, 0, second.length);
          expect(bytesOf(consumer.tryRead())).toEqual([...first]);
          if (!wentIn) {
            // The first frame's room comes back with the next read, not with its own.
            expect(consumer.tryRead()).toBe(WOULD_BLOCK);
            expect(producer.tryWrite(second, 0, second.length)).toBe(true);
          }
          expect(bytesOf(consumer.tryRead())).toEqual([...second]);
          expect(consumer.tryRead()).toBe(WOULD_BLOCK);
        }
      }
    }
  });

  it('delivers whatever goes in, in order and whole, under any interleaving of writes and reads', () => {
    const step = fc.oneof(fc.integer({ min: 0, max: 60 }), fc.constant('read' as const));
    fc.assert(
      fc.property(fc.constantFrom(64, 128, 256), fc.array(step, { maxLength: 300 }), (capacity, steps) => {
        const max = Math.min(60, capacity / 2 - 4);
        const { producer, consumer } = pair(capacity, max);
        const model: number[][] = [];
        let id = 0;
        for (const s of steps) {
          if (s === 'read') {
            const got = consumer.tryRead();
            if (model.length === 0) expect(got).toBe(WOULD_BLOCK);
            else expect(bytesOf(got)).toEqual(model.shift());
          } else {
            const length = Math.min(s, max);
            const bytes = frame(++id, length + 3);
            // An empty inbox (nothing lent either) always has room for the largest frame.
            const empty = model.length === 0 && consumer.tryRead() === WOULD_BLOCK;
            const wentIn = producer.tryWrite(bytes, 3, length);
            if (empty) expect(wentIn).toBe(true);
            if (wentIn) model.push([...bytes.subarray(3, 3 + length)]);
          }
        }
        for (const expected of model) expect(bytesOf(consumer.tryRead())).toEqual(expected);
        expect(consumer.tryRead()).toBe(WOULD_BLOCK);
      }),
      { numRuns: fcRuns(300) },
    );
  });

  it('refuses a write when full, counts one stall per full spell, and takes it once a read hands room back', () => {
    const { inbox, producer, consumer } = pair(64, 12);
    const twelve = frame(1, 12);
    let written = 0;
    while (producer.tryWrite(twelve, 0, 12)) written++;
    expect(written).toBe(4);
    expect(producer.tryWrite(twelve, 0, 12)).toBe(false);
    expect(producer.stalls).toBe(1);
    expect(consumer.tryRead()).not.toBe(WOULD_BLOCK);
    // The frame just read is lent until the next read: its room is not back yet.
    expect(producer.tryWrite(twelve, 0, 12)).toBe(false);
    expect(consumer.tryRead()).not.toBe(WOULD_BLOCK);
    expect(producer.tryWrite(twelve, 0, 12)).toBe(true);
    expect(producer.tryWrite(twelve, 0, 12)).toBe(false);
    expect([producer.stalls, consumer.stalls, inbox.stalls]).toEqual([2, 2, 2]);
  });

  it('lends the same slice object for every frame (no allocation per read)', () => {
    const { producer, consumer } = pair(256, 100);
    producer.tryWrite(frame(1, 5), 0, 5);
    producer.tryWrite(frame(2, 9), 0, 9);
    const first = consumer.tryRead();
    expect(consumer.tryRead()).toBe(first);
  });

  it('takes a frame of maxFrameBytes after any offset, and refuses a larger one with NET_ERR_FRAME_TOO_LARGE', () => {
    const { producer, consumer } = pair(256, 124);
    for (let at = 0; at < 256; at += 4) {
      expect(producer.tryWrite(frame(at, 124), 0, 124)).toBe(true);
      expect(bytesOf(consumer.tryRead())).toEqual([...frame(at, 124)]);
      advanceTo(producer, consumer, 4);
    }
    expect(codeOf(() => producer.tryWrite(new Uint8Array(125), 0, 125))).toBe(ErrorCode.FRAME_TOO_LARGE);
    expect(codeOf(() => producer.writeWait(new Uint8Array(125), 0, 125, 10))).toBe(ErrorCode.FRAME_TOO_LARGE);
  });

  it('validates its sizes and arguments with NET_ERR_INVALID_ARGUMENT', () => {
    const bad = (options: unknown) => codeOf(() => new FrameInbox(options as never));
    for (const capacity of [0, 32, 100, 96, 2 ** 31, 64.5, Number.NaN]) {
      expect(bad({ capacity, maxFrameBytes: 0 })).toBe(ErrorCode.INVALID_ARGUMENT);
    }
    for (const maxFrameBytes of [-1, 29, 1.5, undefined]) {
      expect(bad({ capacity: 64, maxFrameBytes })).toBe(ErrorCode.INVALID_ARGUMENT);
    }
    expect(bad(undefined)).toBe(ErrorCode.INVALID_ARGUMENT);
    expect(new FrameInbox({ capacity: 64, maxFrameBytes: 28 }).maxFrameBytes).toBe(28);

    const { producer, consumer } = pair(256, 100);
    const bytes = new Uint8Array(10);
    for (const [offset, length] of [
      [-1, 2],
      [8, 3],
      [0, -1],
      [0.5, 2],
    ] as const) {
      expect(codeOf(() => producer.tryWrite(bytes, offset, length))).toBe(ErrorCode.INVALID_ARGUMENT);
    }
    expect(codeOf(() => producer.tryWrite([1, 2] as never, 0, 2))).toBe(ErrorCode.INVALID_ARGUMENT);
    expect(codeOf(() => producer.writeWait(bytes, 0, 1, -1))).toBe(ErrorCode.INVALID_ARGUMENT);
    expect(codeOf(() => consumer.readWait(Number.NaN))).toBe(ErrorCode.INVALID_ARGUMENT);
  });

  it('attaches each side once, and only to a shared inbox with its own sizes', () => {
    const inbox = new FrameInbox({ capacity: 64, maxFrameBytes: 8 });
    const shared = inbox.share();
    FrameInbox.attach(shared, 'consumer');
    expect(codeOf(() => inbox.consumer())).toBe(ErrorCode.INVALID_ARGUMENT);
    FrameInbox.attach({ ...shared }, 'producer');
    expect(codeOf(() => FrameInbox.attach(shared, 'producer'))).toBe(ErrorCode.INVALID_ARGUMENT);
    const fresh = new FrameInbox({ capacity: 64, maxFrameBytes: 8 }).share();
    for (const wrong of [
      { ...fresh, capacity: 128 },
      { ...fresh, maxFrameBytes: 9 },
      { ...fresh, buffer: new ArrayBuffer(64 + 192) },
      { ...fresh, buffer: new SharedArrayBuffer(64 + 192) },
      undefined,
    ]) {
      expect(codeOf(() => FrameInbox.attach(wrong as never, 'producer'))).toBe(ErrorCode.INVALID_ARGUMENT);
    }
    expect(codeOf(() => FrameInbox.attach(fresh, 'reader' as never))).toBe(ErrorCode.INVALID_ARGUMENT);
    // The failed attempts claimed nothing.
    expect(() => FrameInbox.attach(fresh, 'producer')).not.toThrow();
  });

  it("a producer's close: the consumer reads what was written, then the end, whichever way it reads", async () => {
    const { producer, consumer } = pair(128, 20);
    producer.tryWrite(frame(1, 3), 0, 3);
    producer.tryWrite(frame(2, 4), 0, 4);
    producer.tryWrite(frame(3, 5), 0, 5);
    producer.close();
    producer.close();
    expect(codeOf(() => producer.tryWrite(frame(4, 1), 0, 1))).toBe(ErrorCode.CLOSED);
    expect(bytesOf(consumer.tryRead())).toEqual([...frame(1, 3)]);
    expect(bytesOf(consumer.readWait(1_000))).toEqual([...frame(2, 4)]);
    expect(bytesOf(await consumer.read())).toEqual([...frame(3, 5)]);
    expect(consumer.tryRead()).toBe(END_OF_STREAM);
    expect(consumer.readWait(Infinity)).toBe(END_OF_STREAM);
    expect(await consumer.read()).toBe(END_OF_STREAM);
    expect(consumer.closed).toBe(true);
  });

  it("a consumer's close: the producer's writes and its own reads fail with NET_ERR_CLOSED", async () => {
    const { producer, consumer } = pair(64, 28);
    producer.tryWrite(frame(1, 28), 0, 28);
    consumer.close();
    expect(producer.consumerClosed).toBe(true);
    expect(codeOf(() => producer.tryWrite(frame(2, 1), 0, 1))).toBe(ErrorCode.CLOSED);
    expect(codeOf(() => producer.writeWait(frame(2, 1), 0, 1, 1_000))).toBe(ErrorCode.CLOSED);
    expect(codeOf(() => consumer.tryRead())).toBe(ErrorCode.CLOSED);
    expect(codeOf(() => consumer.readWait(1_000))).toBe(ErrorCode.CLOSED);
    await expect(consumer.read()).rejects.toMatchObject({ code: ErrorCode.CLOSED });
  });

  it('gives NET_ERR_TIMEOUT to a parked read of an empty inbox and a parked write to a full one', async () => {
    const { producer, consumer } = pair(64, 28);
    expect(codeOf(() => consumer.readWait(5))).toBe(ErrorCode.TIMEOUT);
    expect(codeOf(() => consumer.readWait(0))).toBe(ErrorCode.TIMEOUT);
    await expect(consumer.read(5)).rejects.toMatchObject({ code: ErrorCode.TIMEOUT });
    producer.writeWait(frame(1, 28), 0, 28, 0);
    producer.writeWait(frame(2, 28), 0, 28, 0);
    expect(codeOf(() => producer.writeWait(frame(3, 28), 0, 28, 5))).toBe(ErrorCode.TIMEOUT);
    expect(codeOf(() => producer.writeWait(frame(3, 28), 0, 28, 0))).toBe(ErrorCode.TIMEOUT);
    expect(bytesOf(consumer.readWait(0))).toEqual([...frame(1, 28)]);
  });

  it('wakes an awaiting read when a frame comes, and ends a for await at the close', async () => {
    const { producer, consumer } = pair(128, 20);
    const seen: number[][] = [];
    const done = (async () => {
      for await (const slice of consumer) seen.push(bytesOf(slice));
    })();
    for (let id = 1; id <= 20; id++) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      producer.writeWait(frame(id, id), 0, id, 5_000);
    }
    producer.close();
    await done;
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => [...frame(i + 1, i + 1)]));
  });

  it('refuses shared memory that holds no valid record with NET_ERR_FRAME_CORRUPT', () => {
    const { inbox, producer, consumer } = pair(64, 28);
    producer.tryWrite(frame(1, 4), 0, 4);
    new Int32Array(inbox.share().buffer, HEADER_BYTES, 1)[0] = 1_000;
    expect(codeOf(() => consumer.tryRead())).toBe(ErrorCode.FRAME_CORRUPT);
  });
});
