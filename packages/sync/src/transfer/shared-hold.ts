/** Index of the number of threads whose connection holds the descriptor. */
const HOLDS = 0;
/** Index of the flag set once any thread closed the connection for every thread. */
const CLOSED = 1;
/** Length of the shared state, in 32-bit words. */
const LENGTH = 2;

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
