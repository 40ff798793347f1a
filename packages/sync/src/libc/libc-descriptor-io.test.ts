import { describe, expect, it } from 'vitest';
import { LibcDescriptorIo } from './libc-descriptor-io.js';
import type { Libc } from './libc-calls.js';
import type { LibcSockets } from './libc-sockets.js';

/**
 * A C library that is not one: every read and send succeeds in full, and each address asked for is
 * recorded with the one each call got. Only what `LibcDescriptorIo` uses is there.
 */
function fakeLibc(name: string, bigIntArguments = false) {
  const asked: number[] = [];
  const passed: unknown[] = [];
  const buffers = new Map<ArrayBufferLike, number>();
  const libc = {
    name,
    bigIntArguments,
    pointer(view: Uint8Array, offset = 0) {
      if (!buffers.has(view.buffer)) buffers.set(view.buffer, 0x10_0000_0000 * (buffers.size + 1));
      const address = buffers.get(view.buffer)! + view.byteOffset + offset;
      asked.push(address);
      return address;
    },
    errno: () => 0,
    calls: {
      read: (_fd: number, at: number | bigint, size: number | bigint) => (passed.push(at), Number(size)),
      send: (_fd: number, at: number, size: number) => (passed.push(at), size),
      // Where the interface wants BigInts (`write` on Node), the length comes back as one too.
      write: (_fd: number, at: bigint, size: bigint) => (passed.push(at, size), Number(size)),
    },
  } as unknown as Libc;
  return { sockets: { libc } as unknown as LibcSockets, asked, passed };
}

describe('LibcDescriptorIo', () => {
  it('asks for a buffer address once while reads and writes keep to the same place', () => {
    const { sockets, asked, passed } = fakeLibc('deno:ffi');
    const io = new LibcDescriptorIo(sockets, 5);
    const received = new Uint8Array(64);
    const out = new Uint8Array(64);
    for (let n = 0; n < 5; n++) {
      expect(io.read(received, 0, 16)).toBe(16);
      expect(io.write(out, 0, 16)).toBe(16);
    }
    // Handing out a new address boxes it, per call on Deno: a kept one is passed as it is.
    expect(asked).toHaveLength(2);
    expect(passed).toEqual(Array.from({ length: 5 }, () => asked).flat());
  });

  it('asks again when the offset or the buffer changes, and passes the address of the new place', () => {
    const { sockets, asked, passed } = fakeLibc('deno:ffi');
    const io = new LibcDescriptorIo(sockets, 5);
    const received = new Uint8Array(64);
    io.read(received, 0, 8);
    io.read(received, 8, 8);
    const grown = new Uint8Array(128);
    io.read(grown, 8, 8);
    io.read(grown, 8, 8);
    expect(asked).toHaveLength(3);
    expect(passed).toEqual([asked[0], asked[0] + 8, asked[2], asked[2]]);
    expect(asked[2]).not.toBe(asked[1]);
  });

  it('passes BigInts where the interface wants them, made anew only when the address or the length changes', () => {
    const { sockets, asked, passed } = fakeLibc('node:ffi', true);
    const io = new LibcDescriptorIo(sockets, 5);
    const out = new Uint8Array(64);
    expect(io.write(out, 0, 16)).toBe(16);
    expect(io.write(out, 0, 16)).toBe(16);
    expect(io.write(out, 8, 4)).toBe(4);
    expect(io.read(out, 0, 8)).toBe(8);
    expect(asked).toHaveLength(3);
    const [at, moved, readAt] = asked.map((address) => BigInt(address));
    expect(passed).toEqual([at, 16n, at, 16n, moved, 4n, readAt]);
  });
});
