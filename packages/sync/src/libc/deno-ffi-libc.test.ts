import { describe, expect, it } from 'vitest';
import { loadDenoLibc } from './deno-ffi-libc.js';
import { LibcDescriptorIo } from './libc-descriptor-io.js';
import { LibcSocketHost } from './libc-socket-host.js';
import { LibcSockets } from './libc-sockets.js';
import { PollList } from './poll-list.js';

type Declared = Record<string, { parameters: string[]; result: string }>;

/**
 * Deno's FFI as `loadDenoLibc` sees it, on any runtime: `dlopen` records what was declared, and
 * every symbol records the arguments of each call and succeeds (`read` and `send` take all they are
 * offered, `poll` finds nothing ready). Buffers are given made-up addresses above
 * the small-integer range, as real ones are.
 */
function standInDeno() {
  const declared: Declared = {};
  const calls: { name: string; args: unknown[] }[] = [];
  let nextAddress = 0x7f00_0000_0000;
  const ffi = {
    dlopen(_path: string, symbols: Declared) {
      Object.assign(declared, symbols);
      const made: Record<string, (...args: unknown[]) => unknown> = {};
      for (const name of Object.keys(symbols))
        made[name] = (...args: unknown[]) => {
          calls.push({ name, args });
          if (name === '__errno_location') return {};
          return name === 'poll' ? 0 : Number(args[2]);
        };
      return { symbols: made };
    },
    UnsafePointer: { of: () => ({}), value: () => (nextAddress += 0x1_0000) },
    UnsafePointerView: class {
      getInt32(): number {
        return 0;
      }
    },
  };
  return { ffi, declared, calls };
}

describe('the C library through Deno.dlopen', () => {
  it('declares pointers and sizes as usize and says the calls made per message want them as BigInts', () => {
    const { ffi, declared } = standInDeno();
    const libc = loadDenoLibc(ffi);
    expect(libc.name).toBe('deno:ffi');
    expect(declared['read']).toEqual({ parameters: ['i32', 'usize', 'usize'], result: 'i32' });
    expect(declared['send']).toEqual({ parameters: ['i32', 'usize', 'usize', 'i32'], result: 'i32' });
    expect(declared['poll']).toEqual({ parameters: ['usize', 'usize', 'i32'], result: 'i32' });
    // A number given for a usize makes V8's optimized caller deoptimize ("not a BigInt"), again
    // and again as it is optimized anew: garbage on every pass of a busy connection.
    expect(libc.bigIntArguments).toBe(true);
  });

  it("passes BigInts for every pointer and size of a connection's reads, sends and one-descriptor polls", () => {
    const { ffi, calls } = standInDeno();
    const libc = loadDenoLibc(ffi);
    const io = new LibcDescriptorIo(new LibcSockets(libc), 7);
    const host = new LibcSocketHost(new LibcSockets(libc));
    const received = new Uint8Array(64);
    const out = new Uint8Array(64);
    calls.length = 0;
    for (let n = 0; n < 3; n++) {
      expect(io.read(received, 8, 16)).toBe(16);
      expect(io.write(out, 0, 32)).toBe(32);
      host.waitReadable(7, 10);
    }
    expect(calls.map((call) => call.name)).toEqual(Array.from({ length: 3 }, () => ['read', 'send', 'poll']).flat());
    for (const { name, args } of calls) {
      const [first, second, third, fourth] = args;
      if (name === 'poll') {
        expect([typeof first, second, third]).toEqual(['bigint', 1n, 10]);
      } else {
        expect([first, typeof second, third]).toEqual([7, 'bigint', name === 'read' ? 16n : 32n]);
        if (name === 'send') expect(typeof fourth).toBe('number');
      }
    }
  });

  it('passes BigInts to the poll over many descriptors that a thread serving many connections waits in', () => {
    const { ffi, calls } = standInDeno();
    const libc = loadDenoLibc(ffi);
    const host = new LibcSocketHost(new LibcSockets(libc));
    const list = new PollList();
    host.pollReadable(list, 5); // nothing to poll: a plain sleep, over no descriptor
    const sleep = calls.at(-1);
    expect(sleep?.name).toBe('poll');
    expect([typeof sleep?.args[0], sleep?.args[1], sleep?.args[2]]).toEqual(['bigint', 0n, 5]);
    list.add(4);
    list.add(6);
    host.watch(9);
    calls.length = 0;
    for (let n = 0; n < 2; n++) host.pollReadable(list, 5);
    const polls = calls.filter((call) => call.name === 'poll').map((call) => call.args);
    expect(polls).toHaveLength(2);
    for (const [fds, count, timeout] of polls) expect([typeof fds, count, timeout]).toEqual(['bigint', 3n, 5]);
  });
});
