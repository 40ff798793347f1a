import { describe, expect, it, vi } from 'vitest';
import { type IoPath, WOULD_BLOCK } from '@net/sync';
import type { ResolvedSyncOptions, SyncConnection } from '@net/sync/internal';
import { SPIN_END, SPIN_TIMES } from './recv-spin.js';
import { recvParked } from './wait.js';

/**
 * A connection with nothing buffered whose one read returns `'reply'`, in the mode and on the I/O
 * path given; it records every change of mode. Only what `recvParked` reads is stubbed.
 */
function stubConnection(ioPath: IoPath, isBlocking: boolean) {
  const switches: boolean[] = [];
  const connection = {
    broker: { eventCount: 0 },
    isOpen: true,
    reason: undefined,
    isWatched: false,
    get ioPath() {
      return ioPath;
    },
    get isBlocking() {
      return isBlocking;
    },
    decodeBuffered: () => undefined,
    // As the real one: asking for the mode it is in already costs nothing.
    setBlocking(blocking: boolean) {
      if (blocking !== isBlocking) switches.push(blocking);
      isBlocking = blocking;
    },
    recvOnce: () => 'reply',
  };
  return { connection: connection as unknown as SyncConnection<string, string>, switches };
}

// No timer task pending, a spin of 50 µs (the default).
const resolved = {
  timer: { size: 0, poll: () => Infinity, pollTimes: () => Float64Array.of(NaN, Infinity) },
  recvSpinMs: 0.05,
} as unknown as ResolvedSyncOptions;

describe('recvParked', () => {
  it('on the broker path, a descriptor left blocking by the last park is read blocking, not switched back to spin', () => {
    const { connection, switches } = stubConnection('fs', true);
    expect(recvParked(connection, Infinity, resolved, true)).toBe('reply');
    // Each switch would be a round trip to the broker thread, and its messages' garbage.
    expect(switches).toEqual([]);
  });

  it('the same holds for a blocking descriptor read through WASI', () => {
    const { connection, switches } = stubConnection('wasi', true);
    expect(recvParked(connection, Infinity, resolved, true)).toBe('reply');
    expect(switches).toEqual([]);
  });

  it('where the switch is a direct call, the same receive still spins first', () => {
    const { connection, switches } = stubConnection('ffi', true);
    expect(recvParked(connection, Infinity, resolved, true)).toBe('reply');
    expect(switches).toEqual([false]);
  });

  it('hands the time to the timer only when it has a task: a time passed to a call is boxed', () => {
    const polls: number[] = [];
    const timer = { size: 0, pollTimes: () => (polls.push(1), Float64Array.of(performance.now(), Infinity)) };
    const options = { timer, recvSpinMs: 0.05 } as unknown as ResolvedSyncOptions;
    expect(recvParked(stubConnection('ffi', false).connection, Infinity, options, true)).toBe('reply');
    expect(polls).toEqual([]);
    timer.size = 1;
    expect(recvParked(stubConnection('ffi', false).connection, Infinity, options, true)).toBe('reply');
    expect(polls).toHaveLength(1);
  });

  it('reads no clock without a deadline or a timer task when it parks at once: a time is boxed where it leaves an optimized frame', () => {
    const clock = vi.spyOn(performance, 'now');
    try {
      expect(recvParked(stubConnection('wasi', true).connection, Infinity, resolved, true)).toBe('reply');
      expect(clock).not.toHaveBeenCalled();
      // A spin needs the time, and takes it.
      expect(recvParked(stubConnection('ffi', true).connection, Infinity, resolved, true)).toBe('reply');
      expect(clock).toHaveBeenCalledTimes(1);
    } finally {
      clock.mockRestore();
    }
  });

  it('with a deadline, a blocking descriptor on the broker path still spins (the watch it saves is a round trip too)', () => {
    const { connection, switches } = stubConnection('fs', true);
    expect(recvParked(connection, performance.now() + 60_000, resolved, true)).toBe('reply');
    expect(switches).toEqual([false]);
  });

  it('hands a spin its times through the shared Float64Array, where a number argument would be boxed', () => {
    const clock = vi.spyOn(performance, 'now').mockReturnValue(1_000);
    try {
      SPIN_TIMES[SPIN_END] = 0;
      expect(recvParked(stubConnection('ffi', true).connection, Infinity, resolved, true)).toBe('reply');
      expect(SPIN_TIMES[SPIN_END]).toBe(1_000 + resolved.recvSpinMs);
    } finally {
      clock.mockRestore();
    }
  });

  it('reads no clock once a spin without a deadline ran out: the spin says where it ended', () => {
    // A clock that moves 30 µs a reading: the spin reads its start, then two empty polls' times.
    let time = 0;
    const clock = vi.spyOn(performance, 'now').mockImplementation(() => (time += 0.03));
    try {
      const { connection, switches } = stubConnection('ffi', true);
      // Nothing while the spin polls; the read that parks takes the reply.
      connection.recvOnce = () => (connection.isBlocking ? 'reply' : WOULD_BLOCK);
      expect(recvParked(connection, Infinity, resolved, true)).toBe('reply');
      expect(switches).toEqual([false, true]);
      expect(clock).toHaveBeenCalledTimes(3);
    } finally {
      clock.mockRestore();
    }
  });

  it('with a deadline, the C library path parks in poll(2) on its descriptor for whole ms, never in a watch', () => {
    const { connection } = stubConnection('ffi', true);
    const waits: number[] = [];
    let watches = 0;
    Object.assign(connection, {
      watch: () => void watches++,
      waitReadable: (timeoutMs: number) => (waits.push(timeoutMs), 'readable'),
      recvOnce: () => (waits.length > 0 ? 'reply' : WOULD_BLOCK),
    });
    const noSpin = { ...resolved, recvSpinMs: 0 } as ResolvedSyncOptions;
    expect(recvParked(connection, performance.now() + 60_000, noSpin, true)).toBe('reply');
    expect(watches).toBe(0);
    expect(waits).toHaveLength(1);
    // A whole number: a fraction handed to the call would be a new heap number.
    expect(Number.isInteger(waits[0])).toBe(true);
    expect(waits[0]).toBeGreaterThan(0);
  });
});
