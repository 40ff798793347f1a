import type { BrokeredDescriptor } from '../brokered-descriptor.js';
import type { SocketHost } from '../socket-host.js';

/** Index of the number of threads whose connection holds the descriptor. */
const HOLDS = 0;
/** Index of the flag set once any thread closed the connection for every thread. */
const CLOSED = 1;
/** Index of the write lock: 1 while some thread writes a frame (see {@link SharedHold.tryLockWrite}). */
const WRITE_LOCK = 2;
/** Index of when a whole frame was last written, on the `sharedClock()`, by any thread. */
const LAST_SEND = 3;
/** Index of the flag set once a poller thread runs the connection's heartbeats. */
const BEATS_TAKEN = 4;
/** Length of the shared state, in 32-bit words. */
const LENGTH = 5;

/**
 * The state the threads that hold one connection share, in a `SharedArrayBuffer`: how many threads
 * hold the descriptor (the last to let go closes it, so it is closed exactly once and never while
 * a thread may still read its number), and whether the connection was closed for all of them.
 */
export class SharedHold {
  /** The shared words; post {@link buffer} to give another thread the same state. */
  private readonly _words: Int32Array;
  // An adopter's ticket (see `holder-ticket.ts`): its hold is given up once, by it or for it.
  private readonly _ticket: Int32Array | undefined;

  /** With no buffer, a new state held by this thread alone; `ticket` for an adopting thread. */
  constructor(buffer?: SharedArrayBuffer, ticket?: SharedArrayBuffer) {
    this._ticket = ticket === undefined ? undefined : new Int32Array(ticket);
    this._words = new Int32Array(buffer ?? new SharedArrayBuffer(LENGTH * Int32Array.BYTES_PER_ELEMENT));
    if (buffer === undefined) this._words[HOLDS] = 1;
  }

  /** The buffer under this state, for another thread. */
  get buffer(): SharedArrayBuffer {
    return this._words.buffer as SharedArrayBuffer;
  }

  /** Threads that hold the descriptor now. */
  get holds(): number {
    return Atomics.load(this._words, HOLDS);
  }

  /** One more thread holds it (taken by the giving thread for the one that will adopt). */
  take(): void {
    Atomics.add(this._words, HOLDS, 1);
  }

  /** One thread fewer; true for the last, which closes the descriptor. */
  release(): boolean {
    if (this._ticket !== undefined && Atomics.compareExchange(this._ticket, 1, 0, 1) !== 0) return false;
    return Atomics.sub(this._words, HOLDS, 1) === 1;
  }

  /**
   * Takes the connection's write lock if no thread holds it: true when taken. A thread holds it
   * from the first byte of a frame (or batch) to its last, a partial write included, so frames
   * written from different threads never interleave. Only connections shared across threads pay
   * for it.
   */
  tryLockWrite(): boolean {
    return Atomics.compareExchange(this._words, WRITE_LOCK, 0, 1) === 0;
  }

  /** Gives the write lock back, noting the end of a whole frame written at `now` (`sharedClock()`). */
  unlockWrite(now: number): void {
    Atomics.store(this._words, LAST_SEND, now);
    Atomics.store(this._words, WRITE_LOCK, 0);
  }

  /** Gives the write lock back after a write that gave up before its first byte. */
  abandonWrite(): void {
    Atomics.store(this._words, WRITE_LOCK, 0);
  }

  /** When a whole frame was last written by any thread, on the `sharedClock()`. */
  get lastSendAt(): number {
    return Atomics.load(this._words, LAST_SEND);
  }

  /** Notes `now` as the last send (the connection is handed over: its silence counts from here). */
  noteSend(now: number): void {
    Atomics.store(this._words, LAST_SEND, now);
  }

  /** Says a poller thread runs the connection's heartbeats now: the giving thread stops its own. */
  takeBeats(): void {
    Atomics.store(this._words, BEATS_TAKEN, 1);
  }

  /** True once a poller thread runs the connection's heartbeats. */
  get beatsTaken(): boolean {
    return Atomics.load(this._words, BEATS_TAKEN) === 1;
  }

  /** True once some thread closed the connection for every thread. */
  get isClosed(): boolean {
    return Atomics.load(this._words, CLOSED) === 1;
  }

  /** Says the connection is closed for every thread; true for the first to say so. */
  markClosed(): boolean {
    return Atomics.exchange(this._words, CLOSED, 1) === 0;
  }
}

/** True when `value` is a buffer a {@link SharedHold} can be built on. */
export function isSharedHoldBuffer(value: unknown): value is SharedArrayBuffer {
  return value instanceof SharedArrayBuffer && value.byteLength === LENGTH * Int32Array.BYTES_PER_ELEMENT;
}

/**
 * Lets go of this thread's hold of a shared descriptor: the last thread to let go closes it (a
 * graceful close, through `host`); an earlier one only forgets the number. With `forAll` the
 * connection ends for every thread, and their waits are woken first, while the descriptor is still
 * held here and its number cannot name another file.
 */
export function releaseShared(
  shared: SharedHold,
  descriptor: BrokeredDescriptor,
  host: SocketHost,
  forAll: boolean,
): void {
  const fd = descriptor.fd;
  if (forAll && shared.markClosed() && shared.holds > 1 && fd >= 0 && !host.stopped) host.endShared(fd);
  if (shared.release()) return descriptor.release();
  descriptor.forget();
  if (fd >= 0) host.forget(fd);
}
