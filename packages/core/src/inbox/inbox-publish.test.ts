import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanups } from '../../../../test-support/cleanups.mjs';
import { codeOf } from '../../../../test-support/error-codes.mjs';
import { END_OF_STREAM } from '../connection/end-of-stream.js';
import { WOULD_BLOCK } from '../connection/would-block.js';
import { ErrorCode } from '../errors/error-codes.js';
import { NetError } from '../errors/net-error.js';
import { frameMismatch } from '../test-support/inbox-frames.mjs';
import { FrameInbox } from './frame-inbox.js';
import type { InboxConsumer } from './inbox-consumer.js';

// Frames staged by the producer and shown to the consumer by one publish: nothing is seen before
// the publish, everything after it (or after a close or fail), and a consumer that parks exactly
// as a burst is published still wakes. No timing is asserted: the bounds only stop a hang.

const cleanups = new Cleanups();
afterEach(() => cleanups.run());

function pair(capacity = 64, maxFrameBytes = 8) {
  const inbox = new FrameInbox({ capacity, maxFrameBytes });
  const producer = inbox.producer();
  const consumer = inbox.consumer();
  cleanups.add(() => consumer.close());
  return { producer, consumer };
}

const frame = (byte: number) => new Uint8Array(8).fill(byte);

/** The first byte of each frame read until the inbox has none now. */
function drain(consumer: InboxConsumer): number[] {
  const firsts: number[] = [];
  for (let got = consumer.tryRead(); got !== WOULD_BLOCK && got !== END_OF_STREAM; got = consumer.tryRead())
    firsts.push(got.bytes[got.offset]);
  return firsts;
}

describe('InboxProducer.tryStage and publish', () => {
  it('shows staged frames only once published, all of them, in order', () => {
    const { producer, consumer } = pair();
    expect(producer.tryStage(frame(1), 0, 8)).toBe(true);
    expect(producer.tryStage(frame(2), 0, 8)).toBe(true);
    expect(consumer.tryRead()).toBe(WOULD_BLOCK);
    producer.publish();
    expect(drain(consumer)).toEqual([1, 2]);
    producer.publish();
    expect(consumer.tryRead()).toBe(WOULD_BLOCK);
  });

  it('publishes staged frames on close and on fail, before the end or the error', () => {
    const closing = pair();
    closing.producer.tryStage(frame(3), 0, 8);
    closing.producer.close();
    expect(drain(closing.consumer)).toEqual([3]);
    expect(closing.consumer.tryRead()).toBe(END_OF_STREAM);

    const failing = pair();
    failing.producer.tryStage(frame(4), 0, 8);
    failing.producer.fail(new NetError(ErrorCode.PEER_SILENT, 'silent'));
    const got = failing.consumer.tryRead();
    expect(got !== WOULD_BLOCK && got !== END_OF_STREAM && got.bytes[got.offset]).toBe(4);
    expect(codeOf(() => failing.consumer.tryRead())).toBe(ErrorCode.PEER_SILENT);
  });

  it('stages into room the consumer handed back after the inbox was full, counting one stall', () => {
    // 64 bytes take five records of 12 bytes.
    const { producer, consumer } = pair();
    for (let i = 0; i < 5; i++) expect(producer.tryStage(frame(i), 0, 8)).toBe(true);
    expect(producer.tryStage(frame(9), 0, 8)).toBe(false);
    expect(producer.tryStage(frame(9), 0, 8)).toBe(false);
    producer.publish();
    expect(producer.stalls).toBe(1);
    const first = consumer.tryRead();
    expect(first).not.toBe(WOULD_BLOCK);
    // The first frame's room goes back on the next read.
    expect(consumer.tryRead()).not.toBe(WOULD_BLOCK);
    expect(producer.tryStage(frame(5), 0, 8)).toBe(true);
    producer.publish();
    expect(drain(consumer)).toEqual([2, 3, 4, 5]);
    expect(producer.stalls).toBe(1);
  });

  it('fails a read after the consumer closed, though frames it has not read were published', () => {
    const { producer, consumer } = pair();
    producer.tryStage(frame(1), 0, 8);
    producer.tryStage(frame(2), 0, 8);
    producer.publish();
    expect(consumer.tryRead()).not.toBe(WOULD_BLOCK);
    consumer.close();
    expect(codeOf(() => consumer.tryRead())).toBe(ErrorCode.CLOSED);
    expect(codeOf(() => producer.tryStage(frame(3), 0, 8))).toBe(ErrorCode.CLOSED);
  });
});

// The lost-wake-up test: many small bursts, each read to the end before the next is published, so
// the consumer parks (or awaits) around every publish. A wake-up lost there would leave it waiting
// for a burst that already came, until WAIT_MS: the read then fails with NET_ERR_TIMEOUT.
const BURSTS = 3_000;
const WAIT_MS = 30_000;
const GIVE_UP_MS = 120_000;
const TEST_TIMEOUT_MS = GIVE_UP_MS + 60_000;
const MAX_FRAME = 200;
const BURST_PRODUCER = new URL('../test-support/inbox-burst-producer-worker.mjs', import.meta.url);

function startBursts(): { consumer: InboxConsumer; read: Int32Array; report: Promise<unknown> } {
  const inbox = new FrameInbox({ capacity: 4096, maxFrameBytes: MAX_FRAME });
  const consumer = inbox.consumer();
  cleanups.add(() => consumer.close());
  const read = new Int32Array(new SharedArrayBuffer(4));
  const workerData = { shared: inbox.share(), bursts: BURSTS, read: read.buffer, giveUpMs: GIVE_UP_MS };
  const worker = new Worker(BURST_PRODUCER, { workerData });
  cleanups.add(() => worker.terminate());
  const report = once(worker, 'message').then(([message]) => message as unknown);
  return { consumer, read, report };
}

/** Checks frame `id` and tells the producer it was read. */
function took(got: unknown, id: number, read: Int32Array): number {
  const slice = got as { bytes: Uint8Array; offset: number; length: number };
  const mismatch = frameMismatch(slice.bytes, slice.offset, slice.length, id, MAX_FRAME);
  if (mismatch !== undefined) throw new Error(mismatch);
  Atomics.store(read, 0, id + 1);
  Atomics.notify(read, 0);
  return id + 1;
}

describe('a consumer that parks as each burst is published', () => {
  it(
    `wakes for every one of ${BURSTS} bursts in readWait`,
    async () => {
      const { consumer, read, report } = startBursts();
      let id = 0;
      for (let got = consumer.readWait(WAIT_MS); got !== END_OF_STREAM; got = consumer.readWait(WAIT_MS))
        id = took(got, id, read);
      const written = ((await report) as { written: number }).written;
      expect(written).toBeGreaterThan(BURSTS);
      expect(id).toBe(written);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    `wakes for every one of ${BURSTS} bursts awaited with read()`,
    async () => {
      const { consumer, read, report } = startBursts();
      let id = 0;
      for (let got = await consumer.read(WAIT_MS); got !== END_OF_STREAM; got = await consumer.read(WAIT_MS))
        id = took(got, id, read);
      const written = ((await report) as { written: number }).written;
      expect(written).toBeGreaterThan(BURSTS);
      expect(id).toBe(written);
    },
    TEST_TIMEOUT_MS,
  );
});
