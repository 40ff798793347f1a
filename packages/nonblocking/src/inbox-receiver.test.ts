import { afterEach, describe, expect, it } from 'vitest';
import { ByteWriter, bytesCodec, ErrorCode, NetError, struct, structViewCodec, u32 } from '@net/core';
import { Cleanups } from '../../../test-support/cleanups.mjs';
import { codeOf } from '../../../test-support/error-codes.mjs';
import { idCodec, startInboxProducer } from '../../../test-support/inbox-messages.mjs';
import { END_OF_STREAM, FrameInbox, InboxReceiver, WOULD_BLOCK } from './index.js';

// A real producing thread writes 4-byte ids into a small inbox (it parks while the inbox is full);
// this thread receives them through an InboxReceiver. No timing is asserted: each spin gives up by
// itself after GIVE_UP_MS (a spinning thread cannot be stopped by the test's timeout).
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

describe('nonblocking InboxReceiver', () => {
  it(
    `receives ${COUNT} messages from another thread in order with one-attempt recv(), then END_OF_STREAM`,
    async () => {
      const { receiver, report } = start({ count: COUNT });
      const giveUp = performance.now() + GIVE_UP_MS;
      let next = 0;
      let empty = 0;
      for (;;) {
        const got = receiver.recv();
        if (got === END_OF_STREAM) break;
        if (got !== WOULD_BLOCK)
          expect(got === next++ ? 'in order' : `got ${got}, expected ${next - 1}`).toBe('in order');
        else if (++empty % 4096 === 0 && performance.now() > giveUp) throw new Error(`gave up after ${next}`);
      }
      expect(next).toBe(COUNT);
      expect(await report).toEqual({ written: COUNT });
      expect(receiver.recv()).toBe(END_OF_STREAM);
      expect(receiver.closed).toBe(true);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    `receives ${COUNT} messages in order with recvBusywait`,
    async () => {
      const { receiver, report } = start({ count: COUNT });
      let next = 0;
      for (let got = receiver.recvBusywaitTimeout(GIVE_UP_MS); got !== END_OF_STREAM;) {
        if (got === WOULD_BLOCK) throw new Error(`gave up after ${next}`);
        if (got !== next) throw new Error(`got ${got}, expected ${next}`);
        next++;
        got = next % 2 === 0 ? receiver.recvBusywait() : receiver.recv({ timeout: GIVE_UP_MS });
      }
      expect(next).toBe(COUNT);
      expect(await report).toEqual({ written: COUNT });
    },
    TEST_TIMEOUT_MS,
  );

  it('returns WOULD_BLOCK past a timeout, and the message written after it is not lost', async () => {
    const { receiver, open } = start({ count: 3, gated: true });
    expect(receiver.recv()).toBe(WOULD_BLOCK);
    expect(receiver.recv({ timeout: 20 })).toBe(WOULD_BLOCK);
    expect(receiver.recvBusywaitTimeout(20)).toBe(WOULD_BLOCK);
    open();
    expect([receiver.recvBusywait(), receiver.recvBusywait(), receiver.recvBusywait()]).toEqual([0, 1, 2]);
    expect(receiver.recvBusywait()).toBe(END_OF_STREAM);
  });

  it('fails one recv with NET_ERR_DECODE for a frame that does not decode, and receives every message after it', async () => {
    const { receiver } = start({ count: 6, badAfter: [1, 4] });
    const got: unknown[] = [];
    for (let i = 0; i < 8; i++) {
      try {
        got.push(receiver.recvBusywaitTimeout(GIVE_UP_MS));
      } catch (error) {
        expect(error).toBeInstanceOf(NetError);
        expect((error as NetError).cause).toBeInstanceOf(NetError);
        got.push((error as NetError).code);
      }
    }
    expect(got).toEqual([0, 1, ErrorCode.DECODE, 2, 3, 4, ErrorCode.DECODE, 5]);
    expect(receiver.recvBusywait()).toBe(END_OF_STREAM);
  });

  it('refuses bad options and receives nothing after its own close', async () => {
    const { consumer, receiver } = start({ count: 1, gated: true });
    expect(codeOf(() => new InboxReceiver(consumer, { codec: {} as never }))).toBe(ErrorCode.INVALID_ARGUMENT);
    expect(codeOf(() => new InboxReceiver(consumer, { codec: idCodec, idleStrategy: 'nap' as never }))).toBe(
      ErrorCode.INVALID_ARGUMENT,
    );
    expect(codeOf(() => receiver.recv({ timeout: -1 }))).toBe(ErrorCode.INVALID_ARGUMENT);
    receiver.close();
    expect(codeOf(() => receiver.recv())).toBe(ErrorCode.CLOSED);
  });

  it('gives each receiver its own view: a receive on another receiver of the same view codec neither moves nor expires it', () => {
    const Tick = struct({ id: u32 });
    for (const checkLifetime of [false, true]) {
      const codec = structViewCodec(Tick, { checkLifetime });
      const [a, b] = [7, 9].map((id) => {
        const inbox = new FrameInbox({ capacity: 1024, maxFrameBytes: 64 });
        const out = new ByteWriter({ initialCapacity: 64 });
        codec.encode({ id }, out);
        inbox.producer().tryWrite(out.bytes, 0, out.position);
        return cleanups.close(new InboxReceiver(inbox.consumer(), { codec }));
      });
      const fromA = a.recv();
      const fromB = b.recv();
      if (fromA === WOULD_BLOCK || fromA === END_OF_STREAM || fromB === WOULD_BLOCK || fromB === END_OF_STREAM)
        throw new Error('both inboxes hold a message');
      expect([fromA.id, fromB.id]).toEqual([7, 9]);
      // Its own receiver's close ends a view's lifetime.
      a.close();
      if (checkLifetime) expect(codeOf(() => fromA.id)).toBe(ErrorCode.VIEW_EXPIRED);
      expect(fromB.id).toBe(9);
    }
  });

  it('receives equal-sized bytes bodies as one reused view with the right bytes, wherever they sit in the inbox', () => {
    const inbox = new FrameInbox({ capacity: 4096, maxFrameBytes: 1024 });
    const producer = inbox.producer();
    const receiver = cleanups.close(new InboxReceiver(inbox.consumer(), { codec: bytesCodec() }));
    const body = (length: number, seed: number) => Uint8Array.from({ length }, (_, i) => (seed + i * 31) & 0xff);
    let reused: Uint8Array | undefined;
    // 300 frames of 128 bytes go round the 4 KiB inbox about ten times, so they sit at every place in it.
    for (let n = 0; n < 300; n++) {
      const sent = body(128, n);
      expect(producer.tryWrite(sent, 0, sent.length)).toBe(true);
      const got = receiver.recv();
      if (!(got instanceof Uint8Array)) throw new Error('a message is there');
      expect(got).toEqual(sent);
      if (n > 0) expect(got).toBe(reused);
      reused = got;
    }
    // Other sizes, a body over the copied size among them, come right too.
    for (const length of [0, 1, 3, 255, 256, 257, 1000]) {
      const sent = body(length, length);
      expect(producer.tryWrite(sent, 0, length)).toBe(true);
      expect(receiver.recv()).toEqual(sent);
    }
  });
});
