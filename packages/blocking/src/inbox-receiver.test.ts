import { afterEach, describe, expect, it } from 'vitest';
import { bytesCodec, ErrorCode, NetError } from '@net/core';
import { Cleanups } from '../../../test-support/cleanups.mjs';
import { codeOf } from '../../../test-support/error-codes.mjs';
import { allocatedOver, countsAllocations } from '../../../test-support/heap-allocation.mjs';
import { idCodec, startInboxProducer } from '../../../test-support/inbox-messages.mjs';
import { END_OF_STREAM, FrameInbox, InboxReceiver, WOULD_BLOCK } from './index.js';

// A real producing thread writes 4-byte ids into a small inbox (it parks while the inbox is full);
// this thread parks in recv() for each. No timing is asserted: every wait has a bound of its own
// (a parked thread cannot be stopped by the test's timeout), and the test's timeout is longer.
const COUNT = 100_000;
const GIVE_UP_MS = 120_000;
const TEST_TIMEOUT_MS = GIVE_UP_MS + 60_000;

const cleanups = new Cleanups();
afterEach(() => cleanups.run());

function start(options: Parameters<typeof startInboxProducer>[0]) {
  const run = startInboxProducer(options);
  cleanups.add(() => run.stop());
  return { ...run, receiver: new InboxReceiver(run.consumer, { codec: idCodec }) };
}

describe('blocking InboxReceiver', () => {
  it(
    `receives ${COUNT} messages from another thread in order, parked in recv(), then END_OF_STREAM`,
    async () => {
      const { receiver, report } = start({ count: COUNT });
      let next = 0;
      for (let got = receiver.recv({ timeout: GIVE_UP_MS }); got !== END_OF_STREAM;) {
        if (got !== next) throw new Error(`got ${got}, expected ${next}`);
        next++;
        got = receiver.recv({ timeout: GIVE_UP_MS });
      }
      expect(next).toBe(COUNT);
      expect(await report).toEqual({ written: COUNT });
      expect(receiver.recv()).toBe(END_OF_STREAM);
      expect(receiver.tryRecv()).toBe(END_OF_STREAM);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    `iterates ${COUNT} messages with for...of until the producer closes the inbox`,
    async () => {
      const { receiver, report } = start({ count: COUNT });
      let next = 0;
      for (const id of receiver) {
        if (id !== next) throw new Error(`got ${id}, expected ${next}`);
        next++;
      }
      expect(next).toBe(COUNT);
      expect(await report).toEqual({ written: COUNT });
    },
    TEST_TIMEOUT_MS,
  );

  it('fails with NET_ERR_TIMEOUT past a timeout (tryRecv: WOULD_BLOCK), and the message written after it is not lost', async () => {
    const { receiver, open } = start({ count: 2, gated: true });
    expect(codeOf(() => receiver.recv({ timeout: 20 }))).toBe(ErrorCode.TIMEOUT);
    expect(codeOf(() => receiver.recv({ timeout: 0 }))).toBe(ErrorCode.TIMEOUT);
    expect(receiver.tryRecv()).toBe(WOULD_BLOCK);
    expect(receiver.tryRecv({ timeout: 20 })).toBe(WOULD_BLOCK);
    open();
    expect(receiver.recv({ timeout: GIVE_UP_MS })).toBe(0);
    expect(receiver.tryRecv({ timeout: GIVE_UP_MS })).toBe(1);
    expect(receiver.recv({ timeout: GIVE_UP_MS })).toBe(END_OF_STREAM);
  });

  it('fails one recv with NET_ERR_DECODE for a frame that does not decode, and receives every message after it', async () => {
    const { receiver } = start({ count: 5, badAfter: [0, 3] });
    const got: unknown[] = [];
    for (let i = 0; i < 7; i++) {
      try {
        got.push(receiver.recv({ timeout: GIVE_UP_MS }));
      } catch (error) {
        expect((error as NetError).cause).toBeInstanceOf(NetError);
        got.push((error as NetError).code);
      }
    }
    expect(got).toEqual([0, ErrorCode.DECODE, 1, 2, 3, ErrorCode.DECODE, 4]);
    expect(receiver.recv({ timeout: GIVE_UP_MS })).toBe(END_OF_STREAM);
  });

  it('lends a borrowing codec its frame until the next recv: a small body from a place of its own, a large one in the inbox', () => {
    const inbox = new FrameInbox({ capacity: 1024, maxFrameBytes: 300 });
    const producer = inbox.producer();
    const receiver = cleanups.close(new InboxReceiver(inbox.consumer(), { codec: bytesCodec() }));
    expect(receiver.borrowsFrame).toBe(true);
    const large = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff);
    producer.tryWrite(Uint8Array.of(1, 2, 3), 0, 3);
    producer.tryWrite(Uint8Array.of(4, 5), 0, 2);
    producer.tryWrite(large, 0, large.length);
    const first = receiver.recv({ timeout: 0 }) as Uint8Array;
    // Up to 256 bytes the body is copied to one place first: equal sizes then share one view.
    expect(first.buffer).not.toBe(inbox.share().buffer);
    expect([...first]).toEqual([1, 2, 3]);
    expect([...(receiver.recv({ timeout: 0 }) as Uint8Array)]).toEqual([4, 5]);
    const third = receiver.recv({ timeout: 0 }) as Uint8Array;
    expect(third.buffer).toBe(inbox.share().buffer);
    expect(third).toEqual(large);
    producer.close();
    expect(receiver.recv({ timeout: 0 })).toBe(END_OF_STREAM);
  });

  it('refuses a bad codec or timeout and receives nothing after its own close', async () => {
    const { consumer, receiver } = start({ count: 1, gated: true });
    expect(codeOf(() => new InboxReceiver(consumer, undefined as never))).toBe(ErrorCode.INVALID_ARGUMENT);
    expect(codeOf(() => receiver.recv({ timeout: Number.NaN }))).toBe(ErrorCode.INVALID_ARGUMENT);
    receiver.close();
    expect(codeOf(() => receiver.recv())).toBe(ErrorCode.CLOSED);
  });
});

describe.skipIf(!countsAllocations)('garbage of a blocking InboxReceiver', () => {
  it('takes a message already there without reading the clock (a 16-byte number per receive on Node 20)', () => {
    const inbox = new FrameInbox({ capacity: 1 << 16, maxFrameBytes: 16 });
    const producer = inbox.producer();
    const receiver = new InboxReceiver(inbox.consumer(), { codec: idCodec });
    const frame = Uint8Array.of(1, 0, 0, 0);
    const messages = (count: number) => {
      for (let n = 0; n < count; n++) {
        producer.tryWrite(frame, 0, 4);
        receiver.recv();
      }
    };
    messages(30_000); // warm: the path optimized
    const count = 100_000;
    const perMessage = allocatedOver(() => messages(count)) / count;
    // A recompilation inside the window costs a few hundred KB in all, up to 3 bytes a message here.
    expect(perMessage).toBeLessThan(8);
    receiver.close();
  });
});
