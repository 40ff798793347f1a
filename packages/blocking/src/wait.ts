import { END_OF_STREAM, WOULD_BLOCK } from '@net/sync';
import type { ResolvedSyncOptions, SyncConnection } from '@net/sync/internal';
import { SPIN_END, SPIN_NOW, SPIN_TIMES, SPIN_WAKE_AT, spinRecv } from './recv-spin.js';

/**
 * Receives one message, parking the thread until one arrives, the stream ends (`undefined`),
 * `deadline` passes or `stop()` says so (both `WOULD_BLOCK`). With `blocking` false (a
 * descriptor left non-blocking, as in a handshake) the receive reads once and then parks.
 *
 * A blocking receive first polls the socket in non-blocking mode for up to `recvSpinMicros` (the way
 * an adaptive mutex spins before it sleeps): on a busy connection the next message comes within it,
 * and taking it costs no park and no wake-up. Then it parks. With no deadline and no timer task
 * pending, the thread parks in the kernel's `read` and wakes the moment data arrives, like a
 * socket in C. Otherwise it must also wake for the deadline or a heartbeat, which a parked `read`
 * cannot do: where the runtime calls the C library, the thread parks in `poll(2)` on the one
 * descriptor until it is readable or the earliest deadline comes; on the broker path the descriptor
 * is handed to the broker thread to watch, and the thread parks in `Atomics.wait` until the broker
 * reports bytes or the earliest deadline comes. So a pending heartbeat changes only how a long
 * wait parks, never the data path of a busy connection.
 */
export function recvParked<Send, Recv>(
  connection: SyncConnection<Send, Recv>,
  deadline: number,
  resolved: ResolvedSyncOptions,
  blocking: boolean,
  stop?: () => boolean,
): Recv | undefined | typeof WOULD_BLOCK {
  const broker = connection.broker;
  const timer = resolved.timer;
  let spun = !blocking || resolved.recvSpinMs === 0;
  for (;;) {
    // One clock reading a turn: it runs the due timer tasks and tells when the next one is due.
    // Without a deadline or a timer task nothing needs it before a spin starts, and it is not
    // read: a time that leaves an optimized frame is boxed, 16 bytes per receive on V8.
    // The timer hands back its time and wait in an array, and the clock is read into one, for the
    // same reason: nothing here is boxed on its way in.
    const clocked = deadline !== Infinity || timer.size !== 0;
    const polled = timer.size === 0 ? undefined : timer.pollTimes();
    // NaN: the timer read no clock (its one task is running, this receive inside it).
    const times = polled !== undefined && polled[0] === polled[0] ? polled : clocked ? readClock() : undefined;
    const now = times === undefined ? 0 : times[0];
    const untilNext = times === undefined ? Infinity : times[1];
    const buffered = connection.decodeBuffered();
    if (buffered !== undefined) return buffered;
    if (stop?.() === true) return WOULD_BLOCK;
    if (!connection.isOpen) {
      if (connection.reason !== undefined) throw connection.reason;
      return undefined;
    }
    const wakeAt = clocked ? Math.min(deadline, now + untilNext) : Infinity;
    if (!connection.isWatched) {
      // Left blocking by the last park, on the broker path (WASI or fs), a receive that would park
      // in `read` does not spin: switching back is a broker round trip (and its messages' garbage)
      // each way, which costs more than the park the spin saves, and the read takes a reply at once.
      // A non-blocking fs descriptor does not spin either: each empty read there throws EAGAIN.
      if (!spun && (wakeAt !== Infinity || !parksOnBrokerPath(connection))) {
        spun = true;
        // Once per call: a reply on a busy connection comes within the spin and costs no park at
        // all. Non-blocking from here on (a broker round trip per change of mode, not per call).
        connection.setBlocking(false);
        // The times go to the spin through a typed array, never as arguments: see SPIN_TIMES.
        // Two stores, not one of `clocked ? now : NaN`: V8 gives that choice the form of its NaN
        // constant, a heap number, and boxes `now` into a new one (16 bytes per receive).
        if (clocked) SPIN_TIMES[SPIN_NOW] = now;
        else SPIN_TIMES[SPIN_NOW] = NaN;
        SPIN_TIMES[SPIN_WAKE_AT] = wakeAt;
        const result = spinRecv(connection, resolved);
        if (result !== WOULD_BLOCK) return result === END_OF_STREAM ? undefined : result;
        // The spin ran to the deadline, or a timer task, now due: the next turn runs it and works
        // out the wait again. Known without reading the clock again.
        if (SPIN_TIMES[SPIN_END] >= wakeAt) continue;
      }
      // A descriptor other threads use too stays non-blocking: the wait goes through the watch.
      if (blocking && wakeAt === Infinity && !connection.isShared) {
        connection.setBlocking(true);
        const result = connection.recvOnce();
        if (result === END_OF_STREAM) return undefined;
        if (result !== WOULD_BLOCK) return result;
        continue;
      }
      // With a deadline or a timer task due, the C library's path parks in `poll(2)` on this one
      // descriptor until it is readable or the wake-up comes: no watch, whose reports are objects
      // made per wait (hundreds of bytes per receive with heartbeats on).
      if (blocking && wakeAt > now && !connection.isShared && connection.ioPath === 'ffi') {
        connection.setBlocking(false);
        // Whole ms, as poll(2) takes them, and a small integer: a fraction would be boxed.
        const state = connection.waitReadable(Math.min(Math.ceil(wakeAt - now), MAX_PARK_MS));
        if (state === 'readable') {
          const result = connection.recvOnce();
          if (result === END_OF_STREAM) return undefined;
          if (result !== WOULD_BLOCK) return result;
        }
        if (state !== 'unable') continue;
      }
      if (blocking) {
        connection.watch();
      } else {
        // A non-blocking descriptor is read once; finding nothing, it is watched from then on.
        const result = connection.recvOnce(1);
        if (result === END_OF_STREAM) return undefined;
        if (result !== WOULD_BLOCK) return result;
        if (stop?.() === true) return WOULD_BLOCK;
      }
    }
    const seen = broker.eventCount;
    if (connection.takeWatchReport()) continue;
    if (now >= deadline) return WOULD_BLOCK;
    broker.waitForEvent(seen, Math.max(0, wakeAt - now));
  }
}

const CLOCK = new Float64Array(2);

/** `performance.now()` in `[0]` of a reused array, `[1]` Infinity (no timer task): see {@link Timer.pollTimes}. */
function readClock(): Float64Array {
  CLOCK[0] = performance.now();
  CLOCK[1] = Infinity;
  return CLOCK;
}

/** The longest single park in `poll(2)`, in ms (12 days): below V8's small-integer limit. A longer wait parks again. */
const MAX_PARK_MS = 2 ** 30 - 1;

/** True where a switch of mode is a broker round trip, or an empty read an exception: the broker path. */
function parksOnBrokerPath<Send, Recv>(connection: SyncConnection<Send, Recv>): boolean {
  const path = connection.ioPath;
  return path === 'fs' || (path === 'wasi' && connection.isBlocking);
}
