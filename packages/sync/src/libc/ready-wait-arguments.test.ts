import { describe, expect, it } from 'vitest';
import type { Libc, LibcCalls } from './libc-calls.js';
import { LibcSocketHost } from './libc-socket-host.js';
import { LibcSockets } from './libc-sockets.js';

// A send that finds the socket full parks in one `poll(2)` on its descriptor, once per wait: on an
// interface that makes a new BigInt of every 64-bit argument given as a number (Node's), numbers
// there would be garbage per wait. Runs on every runtime: the C library is faked.

/** A host on a fake C library whose `poll` finds the descriptor writable and records its arguments. */
function recordingHost(bigIntArguments: boolean) {
  const passed: unknown[][] = [];
  let addresses = 0;
  const calls = {
    poll: (fds: unknown, count: unknown, timeoutMs: unknown) => {
      passed.push([fds, count, timeoutMs]);
      return 1;
    },
  } as unknown as LibcCalls;
  const libc: Libc = {
    calls,
    // A new address each time it is asked: only a kept one is passed twice.
    pointer: () => 0x10_0000_0000 + 64 * addresses++,
    errno: () => 0,
    name: 'fake',
    bigIntArguments,
  };
  return { host: new LibcSocketHost(new LibcSockets(libc)), passed, asked: () => addresses };
}

describe('a send waiting for room on the C library path', () => {
  it('passes poll BigInts where the interface wants them, the same address every wait', () => {
    const { host, passed, asked } = recordingHost(true);
    for (let wait = 0; wait < 3; wait++) host.waitWritableOrReadable(7, Infinity);
    expect(passed).toEqual([
      [0x10_0000_0000n, 1n, -1],
      [0x10_0000_0000n, 1n, -1],
      [0x10_0000_0000n, 1n, -1],
    ]);
    expect(asked()).toBe(1);
  });

  it('passes numbers elsewhere, the address asked for once', () => {
    const { host, passed, asked } = recordingHost(false);
    host.waitWritableOrReadable(7, Infinity);
    host.waitWritableOrReadable(7, 5);
    expect(passed).toEqual([
      [0x10_0000_0000, 1, -1],
      [0x10_0000_0000, 1, 5],
    ]);
    expect(asked()).toBe(1);
  });
});
