import { afterEach, describe, expect, it } from 'vitest';
import { Cleanups } from '../../../test-support/cleanups.mjs';
import { bytesCodec, Clt, ErrorCode, NetError, Svc } from './index.js';

// A peer that stops reading must not hold the sending thread past `writeStallTimeout`: bounded
// sends are refused with NET_ERR_TIMEOUT (the connection stays usable) until the peer has taken
// no byte for that long, then the connection closes with NET_ERR_BACKPRESSURE. A frame the
// kernel took only part of is finished within the same bound, never spun on forever.

const frame = new Uint8Array(64 * 1024).fill(7);

const cleanups = new Cleanups();
afterEach(() => cleanups.run());

describe('blocking sends to a peer that stops reading', () => {
  it('times out bounded sends, then closes with NET_ERR_BACKPRESSURE after writeStallTimeout', () => {
    const svc = cleanups.close(
      Svc.bind<Uint8Array, Uint8Array>('127.0.0.1:0', { codec: bytesCodec(), writeStallTimeout: 200 }),
    );
    // The client never reads.
    cleanups.close(Clt.connect<Uint8Array, Uint8Array>({ port: svc.port }, { codec: bytesCodec() }));
    const peer = cleanups.close(svc.accept({ timeout: 5_000 }));
    let taken = 0;
    const codes: string[] = [];
    let failure: unknown;
    const deadline = performance.now() + 10_000;
    while (failure === undefined && performance.now() < deadline) {
      try {
        peer.send(frame, { timeout: 20 });
        taken++;
      } catch (error) {
        if (NetError.hasCode(error, ErrorCode.TIMEOUT)) codes.push(error.code);
        else failure = error;
      }
    }
    expect(NetError.hasCode(failure, ErrorCode.BACKPRESSURE), String(failure)).toBe(true);
    expect(taken).toBeGreaterThan(0);
    // Every refusal before the limit was a timeout that left the connection usable.
    expect(new Set(codes).size).toBeLessThanOrEqual(1);
    expect(peer.isConnected()).toBe(false);
    expect(() => peer.send(frame, { timeout: 20 })).toThrow(expect.objectContaining({ code: ErrorCode.CLOSED }));
  });
});
