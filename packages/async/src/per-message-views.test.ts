import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Cleanups } from '../../../test-support/cleanups.mjs';
import { bytesCodec, Clt } from './index.js';
import { ReadTarget } from './open-socket.js';
import { Outbound } from './outbound.js';

// The views a connection makes of its own buffers: a round trip, one message at a time, hands the
// socket and the framing the same view object each time instead of a new one per message. Object
// identity, not timing or heap counters, is what is checked.

const cleanups = new Cleanups();
afterEach(() => {
  vi.restoreAllMocks();
  return cleanups.run();
});

describe('per-message views of the async connection', () => {
  it('hands the socket the same view of the send buffer for writes of one length in a row', () => {
    const written: Uint8Array[] = [];
    // A socket that takes every write at once, as a loopback socket with room does.
    const socket = {
      writableLength: 0,
      write(bytes: Uint8Array, done: () => void): boolean {
        written.push(bytes);
        done();
        return true;
      },
    } as unknown as Socket;
    const limits = {
      highWaterMark: 1 << 20,
      lowWaterMark: 1 << 19,
      maxBufferedBytes: 1 << 22,
      flushThreshold: 1 << 16,
    };
    const outbound = new Outbound(socket, bytesCodec(), limits, { sent() {}, drained() {} }, false);
    for (let i = 0; i < 3; i++) {
      outbound.enqueue(new Uint8Array([i, 1, 2, 3]));
      outbound.flush();
    }
    outbound.enqueue(new Uint8Array([9, 9]));
    outbound.flush();
    expect(written).toHaveLength(4);
    expect(written[1]).toBe(written[0]);
    expect(written[2]).toBe(written[0]);
    // A write of another length gets a view of its own, with the right bytes in it.
    expect(written[3]).not.toBe(written[0]);
    expect(written[3]?.length).toBe(written[0].length - 2);
    outbound.close();
  });

  it('reads of one length in a row reach the framing as the same view of the shared read buffer', async () => {
    const peers: Socket[] = [];
    const server: Server = createServer((socket) => peers.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.add(() => {
      for (const peer of peers) peer.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    const pushed: Uint8Array[] = [];
    const push = ReadTarget.prototype.push;
    vi.spyOn(ReadTarget.prototype, 'push').mockImplementation(function (this: ReadTarget, chunk, stable) {
      pushed.push(chunk);
      return push.call(this, chunk, stable);
    });
    const clt = cleanups.close(
      await Clt.connect<Uint8Array, Uint8Array>({ port: address.port }, { codec: bytesCodec() }),
    );
    const peer = peers[0] ?? (await vi.waitFor(() => peers[0] ?? Promise.reject(new Error('not accepted'))));
    // One 4-byte body behind its 4-byte length prefix, one read each: the next is sent only
    // once the last was received.
    for (let i = 0; i < 3; i++) {
      peer.write(Buffer.from([0, 0, 0, 4, i, 1, 2, 3]));
      expect([...((await clt.recv({ timeout: 10_000 })) ?? [])]).toEqual([i, 1, 2, 3]);
    }
    expect(pushed).toHaveLength(3);
    expect(pushed[1]).toBe(pushed[0]);
    expect(pushed[2]).toBe(pushed[0]);
  });
});
