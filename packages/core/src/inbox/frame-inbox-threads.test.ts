import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { END_OF_STREAM } from '../connection/end-of-stream.js';
import type { FrameSlice } from '../codecs/codec.js';
import { Cleanups } from '../../../../test-support/cleanups.mjs';
import { frameMismatch } from '../test-support/inbox-frames.mjs';
import { WOULD_BLOCK } from '../connection/would-block.js';
import { FrameInbox } from './frame-inbox.js';
import type { InboxConsumer } from './inbox-consumer.js';

// A real producing thread and this thread as the consumer, in each of the consumer's styles. The
// inbox is small (a handful of frames), so the producer finds it full and parks often. No timing
// is asserted: the bounds below only stop a test that hangs.
const COUNT = 100_000;
const CAPACITY = 1024;
const MAX_FRAME = 200;
// A loop that parks or spins holds this thread, so the test's own timeout cannot stop it: each
// loop gives up by itself after GIVE_UP_MS, and the test's timeout is longer.
const GIVE_UP_MS = 120_000;
const TEST_TIMEOUT_MS = GIVE_UP_MS + 60_000;
const PRODUCER = new URL('../test-support/inbox-producer-worker.mjs', import.meta.url);

const cleanups = new Cleanups();
afterEach(() => cleanups.run());

interface ProducerReport {
  readonly written?: number;
  readonly error?: string;
}

function startProducer(): { consumer: InboxConsumer; report: Promise<ProducerReport> } {
  const inbox = new FrameInbox({ capacity: CAPACITY, maxFrameBytes: MAX_FRAME });
  const consumer = inbox.consumer();
  cleanups.add(() => consumer.close());
  const worker = new Worker(PRODUCER, { workerData: { shared: inbox.share(), count: COUNT } });
  cleanups.add(() => worker.terminate());
  const report = once(worker, 'message').then(([message]) => message as ProducerReport);
  return { consumer, report };
}

/** Checks one frame against the next expected id; returns the id after it. */
function check(slice: FrameSlice, id: number): number {
  const mismatch = frameMismatch(slice.bytes, slice.offset, slice.length, id, MAX_FRAME);
  if (mismatch !== undefined) throw new Error(mismatch);
  return id + 1;
}

describe('FrameInbox across threads', () => {
  it(
    `carries ${COUNT} frames in order, none lost, to a consumer spinning on tryRead`,
    async () => {
      const { consumer, report } = startProducer();
      const giveUp = performance.now() + GIVE_UP_MS;
      let id = 0;
      let empty = 0;
      for (;;) {
        const got = consumer.tryRead();
        if (got === END_OF_STREAM) break;
        if (got !== WOULD_BLOCK) id = check(got, id);
        else if (++empty % 4096 === 0 && performance.now() > giveUp) throw new Error(`gave up after frame ${id}`);
      }
      expect(await report).toEqual({ written: COUNT, stalls: expect.any(Number) });
      expect(id).toBe(COUNT);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    `carries ${COUNT} frames in order, none lost, to a consumer parked in readWait`,
    async () => {
      const { consumer, report } = startProducer();
      const giveUp = performance.now() + GIVE_UP_MS;
      const left = () => Math.max(0, giveUp - performance.now());
      let id = 0;
      for (let got = consumer.readWait(left()); got !== END_OF_STREAM; got = consumer.readWait(left())) {
        id = check(got, id);
      }
      expect(await report).toEqual({ written: COUNT, stalls: expect.any(Number) });
      expect(id).toBe(COUNT);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    `carries ${COUNT} frames in order, none lost, to a consumer awaiting them with for await`,
    async () => {
      const { consumer, report } = startProducer();
      let id = 0;
      for await (const slice of consumer) id = check(slice, id);
      expect(await report).toEqual({ written: COUNT, stalls: expect.any(Number) });
      expect(id).toBe(COUNT);
    },
    TEST_TIMEOUT_MS,
  );
});
