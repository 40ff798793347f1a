import { describe, expect, it } from 'vitest';
import { bytesCodec, type NetError } from '@net/core';
import { FrameSender, type SenderPort } from './frame-sender.js';

// Without protocol or callback hooks around sends, a batch is encoded with no hook call per
// message; what a send does is otherwise the same: whole frames in one write, or nothing. (A
// single `send` runs the hooks whatever they are: the driver's are no-ops when none is set.)

/** A socket that takes everything, or nothing while `full`; a driver whose hooks must not run. */
function barePort() {
  const writes: number[][] = [];
  const hookCalls: string[] = [];
  const state = { full: false };
  const hook = (name: string) => () => {
    hookCalls.push(name);
    throw new Error(`${name} ran without hooks`);
  };
  const port: SenderPort<Uint8Array> = {
    conId: 'bare',
    isBlocking: false,
    writeSome(bytes, offset, length) {
      if (state.full) return 0;
      writes.push([...bytes.subarray(offset, offset + length)]);
      return length;
    },
    setBlocking() {},
    pollTimers() {},
    readWhileSending: () => 'nothing',
    waitWritableOrReadable: () => false,
    driver: {
      hasSendHooks: false,
      beforeSend: hook('beforeSend'),
      afterSent: hook('afterSent'),
      afterWouldBlock: hook('afterWouldBlock'),
      afterSendError: hook('afterSendError'),
    },
    close() {},
  };
  return { port, writes, hookCalls, state };
}

const options = { maxBatchBytes: 64, writeStallTimeout: 60_000, idleStrategy: 'spin' as const };

describe('FrameSender without send hooks', () => {
  it('writes a batch whole in one write and calls no hook', () => {
    const { port, writes, hookCalls } = barePort();
    const sender = new FrameSender(bytesCodec(), port, options);
    expect(sender.sendMany([Uint8Array.of(1), Uint8Array.of(2, 3)], Infinity, false)).toBe(true);
    expect(sender.sendMany([Uint8Array.of(4)], Infinity, false)).toBe(true);
    expect(writes).toEqual([
      [0, 0, 0, 1, 1, 0, 0, 0, 2, 2, 3],
      [0, 0, 0, 1, 4],
    ]);
    expect(hookCalls).toEqual([]);
  });

  it('leaves nothing of a batch behind when one of its frames does not fit, and goes on', () => {
    const { port, writes } = barePort();
    const sender = new FrameSender(bytesCodec(), port, options);
    const tooLarge = new Uint8Array(100);
    let error: NetError | undefined;
    try {
      sender.sendMany([Uint8Array.of(1), tooLarge, Uint8Array.of(2)], Infinity, false);
    } catch (thrown) {
      error = thrown as NetError;
    }
    expect(error?.code).toMatch(/^NET_ERR_/);
    expect(() => sender.sendMany([tooLarge], Infinity, false)).toThrow(expect.objectContaining({ code: error?.code }));
    expect(writes).toEqual([]);
    expect(sender.sendMany([Uint8Array.of(7)], Infinity, false)).toBe(true);
    expect(writes).toEqual([[0, 0, 0, 1, 7]]);
  });

  it('writes nothing of a send that finds the socket full until its deadline', () => {
    const { port, writes, hookCalls, state } = barePort();
    const sender = new FrameSender(bytesCodec(), port, options);
    state.full = true;
    expect(sender.sendMany([Uint8Array.of(1), Uint8Array.of(2)], -1, false)).toBe(false);
    state.full = false;
    expect(sender.sendMany([Uint8Array.of(3)], -1, false)).toBe(true);
    expect(writes).toEqual([[0, 0, 0, 1, 3]]);
    expect(hookCalls).toEqual([]);
  });
});
