import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Libc, LibcCalls } from './libc-calls.js';
import { LibcSocketHost } from './libc-socket-host.js';
import { LibcSockets } from './libc-sockets.js';

// How often reading `eventCount` looks at the sockets, with the C library and the clock faked: a
// look (one `poll(2)` over every watched descriptor) is made to cost 1 ms of the fake clock, as
// hundreds of watched descriptors behind a slow foreign function interface do, and nothing is
// ever ready. Runs on every runtime, since nothing here calls the real C library.

afterEach(() => {
  vi.restoreAllMocks();
});

/** A host whose `poll` costs `lookMs` of the fake clock and finds nothing; counts its calls. */
function hostWithCostlyLooks(clock: { now: number }, lookMs: number) {
  const counts = { polls: 0 };
  const calls = {
    poll: () => {
      counts.polls++;
      clock.now += lookMs;
      return 0;
    },
  } as unknown as LibcCalls;
  const libc: Libc = { calls, pointer: () => 0, errno: () => 0, name: 'fake' };
  const host = new LibcSocketHost(new LibcSockets(libc));
  // A watched descriptor, so that a look has something to poll (nothing is read: poll finds it idle).
  host.watch(3);
  return { host, counts };
}

describe('reading eventCount on the C library path', () => {
  it('spends at most a small share of the time looking, however much one look costs', () => {
    const clock = { now: 0 };
    vi.spyOn(performance, 'now').mockImplementation(() => clock.now);
    const { host, counts } = hostWithCostlyLooks(clock, 1);
    // A thread that reads the count once per connection per pass: 100,000 reads, 1 µs apart.
    for (let read = 0; read < 100_000; read++) {
      clock.now += 0.001;
      void host.eventCount;
    }
    const lookingMs = counts.polls * 1;
    // Looking at every read (each one more than the shortest interval after the last look) would
    // be 100,000 looks and 99.9 % of the time; the bound is 5 %, with room for the first look.
    expect(lookingMs / clock.now).toBeLessThan(0.06);
    expect(counts.polls).toBeGreaterThan(0);
  });

  it('still looks every few microseconds when looks are cheap', () => {
    const clock = { now: 0 };
    vi.spyOn(performance, 'now').mockImplementation(() => clock.now);
    const { host, counts } = hostWithCostlyLooks(clock, 0.0001);
    for (let read = 0; read < 10_000; read++) {
      clock.now += 0.001;
      void host.eventCount;
    }
    // 10 ms of reads with a 20 µs shortest interval: about 500 looks, so a watched connection
    // that gets bytes is seen within microseconds.
    expect(counts.polls).toBeGreaterThan(300);
  });
});
