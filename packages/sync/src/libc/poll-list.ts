import { POLLIN } from './libc-calls.js';

/** Entries a new {@link PollList} has room for before it grows. */
const FIRST_ROOM = 16;

/**
 * A caller's descriptors for one `poll(2)` through `LibcSocketHost.pollReadable`, and what the
 * poll found of each: `struct pollfd` entries in one reused array, so a poll per pass allocates
 * nothing once the list has room for its caller's descriptors.
 */
export class PollList {
  // struct pollfd { int fd; short events; short revents; }: two 32-bit words, revents the high half.
  private _entries = new Int32Array(2 * FIRST_ROOM);
  private _count = 0;

  /** Descriptors in the list. */
  get count(): number {
    return this._count;
  }

  /** The entries, `2 * count` words: for the host, which copies them in and the results out. */
  get entries(): Int32Array {
    return this._entries;
  }

  /** Empties the list (its room stays). */
  clear(): void {
    this._count = 0;
  }

  /** Adds `fd`, watched for bytes to read (the end of the stream and errors are reported too). */
  add(fd: number): void {
    if (2 * this._count === this._entries.length) {
      const grown = new Int32Array(2 * this._entries.length);
      grown.set(this._entries);
      this._entries = grown;
    }
    this._entries[2 * this._count] = fd;
    this._entries[2 * this._count + 1] = POLLIN;
    this._count++;
  }

  /**
   * True when the last poll found the `i`th descriptor readable, at its end, or failed: a read of
   * it will not find nothing.
   */
  isReady(i: number): boolean {
    return this._entries[2 * i + 1] >>> 16 !== 0;
  }
}
