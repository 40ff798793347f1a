import { BROKER_LINGER_MS } from '../limits.js';
import { EAGAIN, EINTR, SHUT_WR } from './libc-calls.js';
import type { LibcSockets } from './libc-sockets.js';

/**
 * Descriptors closing gracefully: FIN sent, the peer's side read and dropped until it closes too,
 * then closed. Closing at once would answer bytes the peer sent that nobody read with a reset,
 * which can make the peer lose what it had not yet read of ours. A peer that never closes its side
 * is cut off at `BROKER_LINGER_MS`.
 */
export class ClosingSockets {
  private readonly _sockets: LibcSockets;
  // Descriptor → when it is closed whatever the peer does (a `performance.now()` time).
  private readonly _deadlines = new Map<number, number>();
  private readonly _drainBuffer = new Uint8Array(4096);
  private _closed = 0;

  constructor(sockets: LibcSockets) {
    this._sockets = sockets;
  }

  /** Descriptors still closing (to be looked at with `poll` for their peer's bytes and end). */
  fds(): IterableIterator<number> {
    return this._deadlines.keys();
  }

  /** How many are still closing. */
  get size(): number {
    return this._deadlines.size;
  }

  /** How many descriptors have been closed for good, gracefully or not. */
  get closed(): number {
    return this._closed;
  }

  /** Starts closing `fd` gracefully: FIN now, the rest as the peer answers. */
  start(fd: number): void {
    try {
      // Non-blocking, so the drains never park; the mode no longer matters to anyone else.
      this._sockets.setBlocking(fd, false);
    } catch {
      // A descriptor the system no longer knows: closing it is all that is left.
    }
    this._sockets.libc.calls.shutdown(fd, SHUT_WR);
    this._deadlines.set(fd, performance.now() + BROKER_LINGER_MS);
    this.drain(fd);
  }

  /** Closes `fd` now, with a reset (the caller set the linger) or after a graceful close's end. */
  closeNow(fd: number): void {
    this._deadlines.delete(fd);
    this._sockets.libc.calls.close(fd);
    this._closed++;
  }

  /** Reads and drops what a closing descriptor has; closes it at the peer's end, an error or its deadline. */
  drain(fd: number): void {
    const libc = this._sockets.libc;
    for (;;) {
      const count = libc.calls.recv(fd, libc.pointer(this._drainBuffer), this._drainBuffer.length, 0);
      if (count > 0) continue;
      if (count < 0) {
        const errno = libc.errno();
        if (errno === EINTR) continue;
        // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- every fd being closed has a deadline, added and removed with it
        if (errno === EAGAIN && performance.now() < this._deadlines.get(fd)!) return;
      }
      this.closeNow(fd);
      return;
    }
  }

  /**
   * Closes every descriptor still closing, now, without waiting for the peers: what each peer sent
   * so far is read and dropped first, so the close sends no reset, and the kernel goes on
   * delivering what was written (then the FIN) on its own after the close. Only bytes a peer sends
   * after this are answered with a reset, as for any closed socket.
   */
  finishAll(): void {
    const libc = this._sockets.libc;
    for (const fd of [...this._deadlines.keys()]) {
      for (;;) {
        const count = libc.calls.recv(fd, libc.pointer(this._drainBuffer), this._drainBuffer.length, 0);
        if (count > 0 || (count < 0 && libc.errno() === EINTR)) continue;
        break;
      }
      this.closeNow(fd);
    }
  }

  /** Closes those whose peer never ended within the deadline. */
  expire(): void {
    if (this._deadlines.size === 0) return;
    const now = performance.now();
    for (const [fd, deadline] of [...this._deadlines]) if (now >= deadline) this.closeNow(fd);
  }
}
