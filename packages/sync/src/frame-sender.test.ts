import { describe, expect, it } from 'vitest';
import { bytesCodec, ErrorCode, type NetError } from '@net/core';
import { FrameSender, type SenderPort } from './frame-sender.js';

/**
 * A connection that takes what `takes` says, attempt by attempt (a number: that many bytes at most;
 * 'rest': everything), and records the bytes and every hook.
 */
function fakePort(takes: readonly (number | 'rest')[]) {
  const wire: number[] = [];
  const events: string[] = [];
  let attempt = 0;
  const port: SenderPort<Uint8Array> & { blocking: boolean } = {
    conId: 'fake',
    blocking: false,
    get isBlocking() {
      return this.blocking;
    },
    writeSome(bytes, offset, length) {
      const take = takes[Math.min(attempt++, takes.length - 1)];
      const count = take === 'rest' ? length : Math.min(take, length);
      for (let i = 0; i < count; i++) wire.push(bytes[offset + i]);
      return count;
    },
    setBlocking() {
      events.push('setBlocking');
      port.blocking = true;
    },
    pollTimers() {},
    readWhileSending: () => 'stopped',
    waitWritableOrReadable: () => false,
    driver: {
      hasSendHooks: true,
      beforeSend: (message) => (events.push(`before ${message[0]}`), message),
      afterSent: (message) => void events.push(`sent ${message[0]}`),
      afterWouldBlock: (message) => void events.push(`wouldBlock ${message[0]}`),
      afterSendError: (message, error) => void events.push(`error ${message[0]} ${error.code}`),
    },
    close: (reason) => void events.push(`close ${reason.code}`),
  };
  return { port, wire, events, attempts: () => attempt };
}

const options = { maxBatchBytes: 1024, writeStallTimeout: 50, idleStrategy: 'spin' as const };
// The bytes codec frames a body behind a 4-byte length.
const frame = (...body: number[]) => [0, 0, 0, body.length, ...body];

describe('FrameSender', () => {
  it('writes a frame whole in one attempt when the socket takes it, hooks before and after', () => {
    const { port, wire, events } = fakePort(['rest']);
    const sender = new FrameSender(bytesCodec(), port, options);
    expect(sender.send(Uint8Array.of(7, 8), -1, false)).toBe(true);
    expect(wire).toEqual(frame(7, 8));
    expect(events).toEqual(['before 7', 'sent 7']);
  });

  it('writes a batch in one write, every frame in order', () => {
    const { port, wire, events, attempts } = fakePort(['rest']);
    const sender = new FrameSender(bytesCodec(), port, options);
    expect(sender.sendMany([Uint8Array.of(1), Uint8Array.of(2), Uint8Array.of(3)], -1, false)).toBe(true);
    expect(attempts()).toBe(1);
    expect(wire).toEqual([...frame(1), ...frame(2), ...frame(3)]);
    expect(events).toEqual(['before 1', 'before 2', 'before 3', 'sent 1', 'sent 2', 'sent 3']);
  });

  it('writes nothing and says so when the socket takes no byte by the deadline; the next send starts clean', () => {
    const { port, wire, events } = fakePort([0, 'rest']);
    const sender = new FrameSender(bytesCodec(), port, options);
    expect(sender.send(Uint8Array.of(1), -1, false)).toBe(false);
    expect(wire).toEqual([]);
    expect(sender.send(Uint8Array.of(2), -1, false)).toBe(true);
    expect(wire).toEqual(frame(2));
    expect(events).toEqual(['before 1', 'wouldBlock 1', 'before 2', 'sent 2']);
  });

  it('finishes a frame it wrote in part, whatever the deadline', () => {
    const { port, wire, events } = fakePort([2, 0, 0, 1, 'rest']);
    const sender = new FrameSender(bytesCodec(), port, options);
    expect(sender.send(Uint8Array.of(9, 9, 9), -1, false)).toBe(true);
    expect(wire).toEqual(frame(9, 9, 9));
    expect(events).toEqual(['before 9', 'sent 9']);
  });

  it('fails with NET_ERR_BACKPRESSURE and ends the connection once the peer took no byte for writeStallTimeout', () => {
    const { port, events } = fakePort([3, 0]);
    const sender = new FrameSender(bytesCodec(), port, options);
    const started = performance.now();
    let thrown: NetError | undefined;
    try {
      sender.send(Uint8Array.of(5, 5, 5, 5), Infinity, false);
    } catch (error) {
      thrown = error as NetError;
    }
    expect(thrown?.code).toBe(ErrorCode.BACKPRESSURE);
    expect(performance.now() - started).toBeGreaterThanOrEqual(options.writeStallTimeout);
    expect(events).toEqual(['before 5', `error 5 ${ErrorCode.BACKPRESSURE}`, `close ${ErrorCode.BACKPRESSURE}`]);
  });

  it('counts a stall across calls: refused sends keep the clock running until a byte is taken', () => {
    const { port, events } = fakePort([0]);
    const sender = new FrameSender(bytesCodec(), port, options);
    expect(sender.send(Uint8Array.of(1), -1, false)).toBe(false);
    const until = performance.now() + options.writeStallTimeout + 5;
    while (performance.now() < until);
    expect(() => sender.send(Uint8Array.of(2), -1, false)).toThrow(
      expect.objectContaining({ code: ErrorCode.BACKPRESSURE }),
    );
    expect(events.at(-1)).toBe(`close ${ErrorCode.BACKPRESSURE}`);
  });

  it('with parkWhenFull, switches a full non-blocking descriptor to blocking mode instead of spinning', () => {
    const { port, wire, events } = fakePort([1, 0, 'rest']);
    const sender = new FrameSender(bytesCodec(), port, options);
    expect(sender.send(Uint8Array.of(4), Infinity, true)).toBe(true);
    expect(wire).toEqual(frame(4));
    expect(events).toEqual(['before 4', 'setBlocking', 'sent 4']);
  });

  it('refuses a frame over maxBatchBytes with NET_ERR_BUFFER_LIMIT and writes nothing', () => {
    const { port, wire, events } = fakePort(['rest']);
    const sender = new FrameSender(bytesCodec(), port, { ...options, maxBatchBytes: 64 });
    expect(() => sender.send(new Uint8Array(100).fill(6), -1, false)).toThrow(
      expect.objectContaining({ code: ErrorCode.BUFFER_LIMIT }),
    );
    expect(wire).toEqual([]);
    expect(events).toEqual(['before 6', `error 6 ${ErrorCode.BUFFER_LIMIT}`]);
    expect(sender.send(Uint8Array.of(1), -1, false)).toBe(true);
  });
});
