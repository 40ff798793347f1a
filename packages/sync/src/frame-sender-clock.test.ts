import { afterEach, describe, expect, it, vi } from 'vitest';
import { bytesCodec } from '@net/core';
import { FrameSender, type SenderPort } from './frame-sender.js';

// Reading the clock boxes its result on some runtimes: a send that spins on a full socket must not
// read it on every attempt, yet must still end with NET_ERR_BACKPRESSURE past the stall limit.

afterEach(() => {
  vi.restoreAllMocks();
});

/** A socket that takes nothing for `fullFor` attempts, then everything; counts the attempts. */
function fullPort(fullFor: number) {
  let attempts = 0;
  const port: SenderPort<Uint8Array> = {
    conId: 'fake',
    isBlocking: false,
    writeSome: (_bytes, _offset, length) => (attempts++ < fullFor ? 0 : length),
    setBlocking() {},
    pollTimers() {},
    readWhileSending: () => 'nothing',
    waitWritableOrReadable: () => false,
    driver: {
      hasSendHooks: true,
      beforeSend: (message) => message,
      afterSent() {},
      afterWouldBlock() {},
      afterSendError() {},
    },
    close() {},
  };
  return { port, attempts: () => attempts };
}

describe('FrameSender on a full socket', () => {
  it('reads the clock once per 64 attempts while an unbounded send spins', () => {
    const now = vi.spyOn(performance, 'now');
    const { port, attempts } = fullPort(6_400);
    const sender = new FrameSender(bytesCodec(), port, {
      maxBatchBytes: 1024,
      writeStallTimeout: 60_000,
      idleStrategy: 'spin',
    });
    expect(sender.sendMany([Uint8Array.of(1), Uint8Array.of(2)], Infinity, false)).toBe(true);
    expect(attempts()).toBe(6_401);
    expect(now.mock.calls.length).toBeLessThanOrEqual(6_400 / 64 + 1);
  });

  it('still ends a spinning send once the peer has taken nothing for the stall limit', () => {
    const clock = { now: 0 };
    vi.spyOn(performance, 'now').mockImplementation(() => (clock.now += 0.01));
    const { port } = fullPort(Number.MAX_SAFE_INTEGER);
    const sender = new FrameSender(bytesCodec(), port, {
      maxBatchBytes: 1024,
      writeStallTimeout: 5,
      idleStrategy: 'spin',
    });
    expect(() => sender.send(Uint8Array.of(1), Infinity, false)).toThrow(
      expect.objectContaining({ code: 'NET_ERR_BACKPRESSURE' }),
    );
  });

  it('reads the clock on every attempt of a bounded send, so its deadline holds', () => {
    const clock = { now: 0 };
    vi.spyOn(performance, 'now').mockImplementation(() => (clock.now += 1));
    const { port, attempts } = fullPort(Number.MAX_SAFE_INTEGER);
    const sender = new FrameSender(bytesCodec(), port, {
      maxBatchBytes: 1024,
      writeStallTimeout: 60_000,
      idleStrategy: 'spin',
    });
    expect(sender.send(Uint8Array.of(1), 10, false)).toBe(false);
    expect(attempts()).toBeLessThanOrEqual(11);
  });
});
