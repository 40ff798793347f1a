import type { Endpoint } from '@net/core';
import type { BrokeredSocket, WatchReport } from '../socket-broker.js';
import { ClosingSockets } from './closing-sockets.js';
import { LastArguments } from './libc-descriptor-io.js';
import { EAGAIN, EINTR, ERRNO_NAMES, MSG_DONTWAIT, POLLIN } from './libc-calls.js';
import type { LibcSockets } from './libc-sockets.js';
import type { PollList } from './poll-list.js';

// What a watch that fired reads at most, as the broker thread's report does: the first bytes.
const WATCH_READ_BYTES = 64 * 1024;
// Reading `eventCount` looks at the sockets at most this often (ms): often enough that a watched
// connection is seen within microseconds, seldom enough that the look costs nothing measurable.
const LOOK_INTERVAL_MS = 0.02;
// ...and never more than this share of the time: a look is one `poll(2)` over every watched
// descriptor, so with hundreds watched it costs tens of microseconds, and a thread that reads
// `eventCount` once per connection per pass would otherwise spend the pass looking (a pass over n
// watched connections made n looks of n descriptors each).
const LOOK_SHARE = 0.05;
/** The longest wait `poll` takes in one call (its timeout is a C int); a longer one is this, and looked at again. */
const MAX_POLL_MS = 2 ** 31 - 1;

/** A wait in ms as `poll` takes it: a whole number from 0 to {@link MAX_POLL_MS} (Infinity is the most). */
export function pollTimeout(timeoutMs: number): number {
  return timeoutMs > 0 ? Math.min(Math.ceil(timeoutMs), MAX_POLL_MS) : 0;
}

/** A listening socket of the host, and the connections it accepted that nobody has taken yet. */
export interface Listener {
  readonly fd: number;
  readonly local: Endpoint;
  readonly noDelay: boolean;
  readonly accepted: BrokeredSocket[];
}

/**
 * How {@link LibcSocketHost} waits for events on the calling thread, with no other thread involved:
 * one `poll(2)` over every listener, watched and closing descriptor at once. A listener that has
 * connections accepts them, a watch that fires reads its report (the first bytes, the end or an
 * error), a closing descriptor is drained; anything new bumps the count a thread parks on. The
 * host's socket operations fill the listeners and watches this looks at.
 */
export abstract class LibcEventWait {
  protected readonly _sockets: LibcSockets;
  protected readonly _listeners = new Map<number, Listener>();
  protected readonly _watched = new Set<number>();
  protected readonly _reports = new Map<number, WatchReport>();
  protected readonly _closing: ClosingSockets;
  private readonly _watchBuffer = new Uint8Array(WATCH_READ_BYTES);
  private _pollFds = new Int32Array(16);
  // The one-descriptor poll's arguments, kept: a send that waits for room polls once per wait.
  private readonly _pollOneArguments = new LastArguments();
  // A look's arguments, kept as well: a thread serving many connections looks once per wait.
  private readonly _lookArguments = new LastArguments();
  private _events = 0;
  private _looks = 0;
  private _lastLook = 0;
  // The wait before the next look `eventCount` may make: the last such look's cost over LOOK_SHARE.
  private _lookInterval = LOOK_INTERVAL_MS;

  constructor(sockets: LibcSockets) {
    this._sockets = sockets;
    this._closing = new ClosingSockets(sockets);
  }

  /** `poll(2)` calls made to look for events so far: what a thread costs while nothing happens. */
  get looks(): number {
    return this._looks;
  }

  get eventCount(): number {
    const now = performance.now();
    if (now - this._lastLook >= this._lookInterval) {
      this._look(0);
      this._lastLook = performance.now();
      this._lookInterval = Math.max(LOOK_INTERVAL_MS, (this._lastLook - now) / LOOK_SHARE);
    }
    return this._events;
  }

  waitForEvent(seen: number, timeoutMs: number): void {
    this._look(0);
    if (this._events !== seen) return;
    this._look(pollTimeout(timeoutMs));
  }

  whenEvent(seen: number, timeoutMs: number): Promise<unknown> {
    const until = performance.now() + timeoutMs;
    return new Promise((resolve) => {
      const check = (): void => {
        this._look(0);
        if (this._events !== seen || performance.now() >= until) resolve(undefined);
        // Unref'd, as the broker's Atomics.waitAsync holds nothing either: whether the process
        // stays alive for the waiter is the waiter's call (a spawned Poller holds it on its own).
        else setTimeout(check, 1).unref();
      };
      check();
    });
  }

  drain(): void {
    this._look(0);
  }

  /**
   * One `poll(2)` over the caller's descriptors in `list` and this host's own (as
   * {@link waitForEvent}'s), waiting up to `timeoutMs` for any of them: afterwards
   * `list.isReady(i)` tells which of the caller's can be read. A thread that serves many
   * connections reads only those, instead of trying every one.
   */
  pollReadable(list: PollList, timeoutMs: number): void {
    this._look(pollTimeout(timeoutMs), list);
  }

  /** Accepts every connection waiting on `listener` into its list; returns how many. */
  protected abstract _acceptAll(listener: Listener): number;

  /**
   * One `poll(2)` over every listener, watched and closing descriptor, waiting up to `timeoutMs`:
   * listeners' connections are accepted, watches that fired get their report, closing descriptors
   * are drained. Anything new counts as an event. The descriptors of `list` go first, and their
   * results go back to it.
   */
  protected _look(timeoutMs: number, list?: PollList): void {
    this._looks++;
    const first = list === undefined ? 0 : list.count;
    const count = first + this._listeners.size + this._watched.size + this._closing.size;
    if (count === 0) {
      // Nothing to look at: a wait is a sleep, poll(2) over no descriptor.
      if (timeoutMs > 0) this._lookArguments.poll(this._sockets.libc, this._pollFds, 0, timeoutMs);
      return;
    }
    if (this._pollFds.length < 2 * count) this._pollFds = new Int32Array(4 * count);
    const fds = this._pollFds;
    // Copied word by word: a view of the list (subarray) would be an allocation per poll.
    const entries = list?.entries;
    for (let j = 0; j < 2 * first; j++) fds[j] = (entries as Int32Array)[j];
    let n = first;
    // struct pollfd { int fd; short events; short revents; }: two 32-bit words, revents the high
    // half. Written in place, with no helper closure, so a look makes nothing of its own.
    for (const listener of this._listeners.values()) n = setPollFd(fds, n, listener.fd);
    for (const fd of this._watched) n = setPollFd(fds, n, fd);
    for (const fd of this._closing.fds()) n = setPollFd(fds, n, fd);
    const ready = this._lookArguments.poll(this._sockets.libc, fds, n, timeoutMs);
    let moved = false;
    for (let j = 1; j < 2 * first; j += 2) (entries as Int32Array)[j] = fds[j];
    if (ready > 0) {
      let i = first;
      for (const listener of this._listeners.values())
        if (fds[2 * i++ + 1] >>> 16 !== 0 && this._acceptAll(listener) > 0) moved = true;
      for (const fd of [...this._watched]) {
        if (fds[2 * i++ + 1] >>> 16 === 0) continue;
        const report = this._readReport(fd);
        if (report === undefined) continue;
        this._watched.delete(fd);
        this._reports.set(fd, report);
        moved = true;
      }
      for (const fd of [...this._closing.fds()]) if (fds[2 * i++ + 1] >>> 16 !== 0) this._closing.drain(fd);
    }
    this._closing.expire();
    if (moved) this._events++;
  }

  /**
   * What a watched descriptor that `poll` found ready has: its first bytes, its end, or its error;
   * `undefined` when it had nothing after all. Read here, whatever the descriptor's mode
   * (`MSG_DONTWAIT`), as the broker thread reads it on Node: the connection takes the report as
   * if it had read it, so a receive that parks never has to read a descriptor that might block.
   */
  private _readReport(fd: number): WatchReport | undefined {
    const libc = this._sockets.libc;
    for (;;) {
      const count = libc.calls.recv(fd, libc.pointer(this._watchBuffer), WATCH_READ_BYTES, MSG_DONTWAIT);
      if (count > 0) return { kind: 'data', bytes: this._watchBuffer.slice(0, count) };
      if (count === 0) return { kind: 'eof' };
      const errno = libc.errno();
      if (errno === EINTR) continue;
      if (errno === EAGAIN) return undefined;
      const code = ERRNO_NAMES[errno] ?? `E${errno}`;
      return { kind: 'error', code, message: `read: ${code}` };
    }
  }

  /** One `poll(2)` on one descriptor for `events`: whether it came ready within `timeoutMs`. */
  protected _pollOne(fd: number, events: number, timeoutMs: number): boolean {
    const fds = this._pollFds;
    fds[0] = fd;
    fds[1] = events;
    const ready = this._pollOneArguments.poll(this._sockets.libc, fds, 1, timeoutMs);
    return ready > 0 && fds[1] >>> 16 !== 0;
  }
}

/** Fills `pollfd` number `n` of `fds` to wait for input on `fd`; returns the next free number. */
function setPollFd(fds: Int32Array, n: number, fd: number): number {
  fds[2 * n] = fd;
  fds[2 * n + 1] = POLLIN;
  return n + 1;
}
