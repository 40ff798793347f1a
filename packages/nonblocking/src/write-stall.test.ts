import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanups } from '../../../test-support/cleanups.mjs';
import { bytesCodec, Clt, ErrorCode, NetError, REJECTED, Svc, WOULD_BLOCK } from './index.js';

// A peer that stops reading must not hold the sending thread: a synchronous connection queues
// nothing, so the kernel's buffers fill, sends are refused, and a frame the kernel took only part
// of must be finished before anything else is written. `writeStallTimeout` bounds both.

const frame = new Uint8Array(64 * 1024).fill(7);

const cleanups = new Cleanups();
afterEach(() => cleanups.run());

/** Accepts one connection on `svc`, waiting at most 5 s; closed after the test. */
function acceptOne(svc: Svc<Uint8Array, Uint8Array>) {
  const peer = svc.acceptBusywaitTimeout(5_000);
  if (peer === WOULD_BLOCK || peer === REJECTED) throw new Error('not accepted');
  return cleanups.close(peer);
}

describe('nonblocking sends to a peer that stops reading', () => {
  it('refuses, then closes the connection with NET_ERR_BACKPRESSURE after writeStallTimeout; the thread is never held', () => {
    const svc = cleanups.close(
      Svc.bind<Uint8Array, Uint8Array>('127.0.0.1:0', { codec: bytesCodec(), writeStallTimeout: 200 }),
    );
    // The client never reads.
    cleanups.close(Clt.connect<Uint8Array, Uint8Array>({ port: svc.port }, { codec: bytesCodec() }));
    const peer = acceptOne(svc);
    let taken = 0;
    let refused = 0;
    let failure: unknown;
    const deadline = performance.now() + 10_000;
    while (failure === undefined && performance.now() < deadline) {
      try {
        if (peer.send(frame) === 'completed') taken++;
        else refused++;
      } catch (error) {
        failure = error;
      }
    }
    expect(NetError.hasCode(failure, ErrorCode.BACKPRESSURE), String(failure)).toBe(true);
    expect((failure as NetError).details).toMatchObject({ writeStallTimeoutMs: 200 });
    expect(taken).toBeGreaterThan(0);
    expect(peer.isConnected()).toBe(false);
    expect(() => peer.send(frame)).toThrow(expect.objectContaining({ code: ErrorCode.CLOSED }));
    // `refused` is often 0: the kernel usually takes part of a frame before it refuses a whole one.
    expect(taken + refused).toBeGreaterThan(0);
  });

  it('never closes a peer that keeps reading, however often its buffer is full', async () => {
    const svc = cleanups.close(
      Svc.bind<Uint8Array, Uint8Array>('127.0.0.1:0', { codec: bytesCodec(), writeStallTimeout: 2_000 }),
    );
    const total = 32 * 1024 * 1024;
    // The reader runs in a process of its own: this thread spins in sendBusywait.
    const reader = spawn(process.execPath, [
      '-e',
      `const s = require('node:net').connect(${svc.port}, '127.0.0.1'); let n = 0;
       s.on('data', (c) => { n += c.length; if (n >= ${total + (total / frame.length) * 4}) { s.destroy(); process.stdout.write(n + '\\n'); } });`,
    ]);
    cleanups.add(() => reader.kill());
    let out = '';
    reader.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    // 'close', not 'exit': only 'close' comes after the child's stdout has been read to its end
    // (Deno's child process has reported 'exit' before the count it printed arrived).
    const exited = new Promise((resolve) => reader.once('close', resolve));
    // The reader connects from its own process; the broker thread accepts meanwhile.
    const peer = acceptOne(svc);
    for (let sent = 0; sent < total; sent += frame.length) expect(peer.sendBusywait(frame)).toBe('completed');
    await exited;
    expect(Number(out.trim())).toBe(total + (total / frame.length) * 4);
  }, 60_000);
});
