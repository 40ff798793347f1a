import { type Endpoint, ErrorCode, NetError } from '@net/core';
import type { BrokeredSocket, ConnectRequestOptions, WatchReport } from '../socket-broker.js';
import type { SocketHost } from '../socket-host.js';
import { ClosingSockets } from './closing-sockets.js';
import { EAGAIN, EINTR, ERRNO_NAMES, MSG_DONTWAIT, POLLIN, POLLOUT } from './libc-calls.js';
import type { LibcSockets } from './libc-sockets.js';
import { NameResolver } from './name-resolver.js';
import { encodeAddress } from './socket-address.js';

// What a watch that fired reads at most, as the broker thread's report does: the first bytes.
const WATCH_READ_BYTES = 64 * 1024;
// Reading `eventCount` looks at the sockets at most this often (ms): often enough that a watched
// connection is seen within microseconds, seldom enough that the look costs nothing measurable.
const LOOK_INTERVAL_MS = 0.02;
/** How long a listen waits for its host name to be looked up (a listen has no timeout of its own). */
const LISTEN_LOOKUP_TIMEOUT_MS = 30_000;
/** The longest wait `poll` takes in one call (its timeout is a C int); a longer one is this, and looked at again. */
const MAX_POLL_MS = 2 ** 31 - 1;

/** A wait in ms as `poll` takes it: a whole number from 0 to {@link MAX_POLL_MS} (Infinity is the most). */
function pollTimeout(timeoutMs: number): number {
  return timeoutMs > 0 ? Math.min(Math.ceil(timeoutMs), MAX_POLL_MS) : 0;
}

interface Listener {
  readonly fd: number;
  readonly local: Endpoint;
  readonly noDelay: boolean;
  readonly accepted: BrokeredSocket[];
}

interface PendingConnect {
  readonly fd: number;
  readonly endpoint: Endpoint;
  readonly options: ConnectRequestOptions;
  readonly deadline: number;
}

/**
 * The socket host of a runtime that calls the C library directly (see `libc-calls.ts`): what the
 * broker thread does on Node, done on the calling thread with non-blocking system calls. Listeners
 * accept as connections come; a watch is a descriptor `poll(2)` looks at; a parked thread parks in
 * `poll` on every listener and watched descriptor at once, so it wakes the moment any has
 * something, with no other thread involved. A graceful close goes through {@link ClosingSockets}.
 */
export class LibcSocketHost implements SocketHost {
  private readonly _sockets: LibcSockets;
  private readonly _names = new NameResolver();
  private readonly _listeners = new Map<number, Listener>();
  private readonly _pending = new Map<number, PendingConnect>();
  private readonly _watched = new Set<number>();
  private readonly _reports = new Map<number, WatchReport>();
  private readonly _closing: ClosingSockets;
  private readonly _open = new Set<number>();
  private readonly _watchBuffer = new Uint8Array(WATCH_READ_BYTES);
  private _pollFds = new Int32Array(16);
  private _events = 0;
  private _nextId = 1;
  private _lastLook = 0;

  constructor(sockets: LibcSockets) {
    this._sockets = sockets;
    this._closing = new ClosingSockets(sockets);
  }

  /** Which interface the calls go through (`bun:ffi`). */
  get interfaceName(): string {
    return this._sockets.libc.name;
  }

  get stopped(): boolean {
    return false;
  }

  checkStopped(): boolean {
    return false;
  }

  get eventCount(): number {
    const now = performance.now();
    if (now - this._lastLook >= LOOK_INTERVAL_MS) {
      this._lastLook = now;
      this._look(0);
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

  connect(endpoint: Endpoint, options: ConnectRequestOptions): BrokeredSocket {
    const id = this.beginConnect(endpoint, options);
    // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- beginConnect just registered this id
    const pending = this._pending.get(id)!;
    for (;;) {
      const socket = this.pollConnect(id, endpoint);
      if (socket !== undefined) return socket;
      this._pollOne(pending.fd, POLLOUT, Math.max(1, pollTimeout(pending.deadline - performance.now())));
    }
  }

  beginConnect(endpoint: Endpoint, options: ConnectRequestOptions): number {
    // The lookup of a host name counts against the attempt's time, as it does on the broker path.
    const deadline = performance.now() + options.timeoutMs;
    const fd = this._sockets.beginConnect(this._names.resolve(endpoint, options.timeoutMs));
    const id = this._nextId++;
    this._pending.set(id, { fd, endpoint, options, deadline });
    return id;
  }

  pollConnect(id: number, endpoint: Endpoint): BrokeredSocket | undefined {
    const pending = this._pending.get(id);
    if (pending === undefined) throw new NetError(ErrorCode.INVALID_ARGUMENT, `no connection attempt ${id}`);
    const what = `connect to ${endpoint.kind === 'unix' ? endpoint.path : `${endpoint.host}:${endpoint.port}`}`;
    const ready = this._pollOne(pending.fd, POLLOUT, 0);
    if (!ready) {
      if (performance.now() < pending.deadline) return undefined;
      this._pending.delete(id);
      this._sockets.libc.calls.close(pending.fd);
      throw this._sockets.failure(what, 110); // ETIMEDOUT, as Node's broker reports it
    }
    this._pending.delete(id);
    const error = this._sockets.connectResult(pending.fd, what);
    if (error !== undefined) {
      this._sockets.libc.calls.close(pending.fd);
      throw error;
    }
    return this._handOver(
      pending.fd,
      endpoint,
      pending.options.noDelay,
      pending.options.keepAlive,
      pending.options.blocking,
    );
  }

  listen(
    endpoint: Endpoint,
    options: { backlog: number; noDelay: boolean; blocking: boolean },
  ): { serverId: number; local: Endpoint } {
    const { fd, local } = this._sockets.listen(
      this._names.resolve(endpoint, LISTEN_LOOKUP_TIMEOUT_MS),
      options.backlog,
    );
    const serverId = this._nextId++;
    this._listeners.set(serverId, { fd, local, noDelay: options.noDelay, accepted: [] });
    return { serverId, local };
  }

  unlisten(serverId: number): void {
    const listener = this._listeners.get(serverId);
    if (listener === undefined) return;
    this._listeners.delete(serverId);
    const calls = this._sockets.libc.calls;
    calls.close(listener.fd);
    // Node removes a Unix socket's file when its server closes; so does this.
    if (listener.local.kind === 'unix')
      calls.unlink(this._sockets.libc.pointer(encodeAddress(listener.local).bytes, 2));
    for (const socket of listener.accepted) this.close(socket.fd, true);
  }

  takeAccepted(serverId: number): BrokeredSocket | undefined {
    const listener = this._listeners.get(serverId);
    if (listener === undefined) return undefined;
    this._acceptAll(listener);
    return listener.accepted.shift();
  }

  close(fd: number, reset = false): void {
    this._watched.delete(fd);
    this._reports.delete(fd);
    if (!this._open.delete(fd)) return;
    if (reset) {
      this._sockets.setResetOnClose(fd);
      this._closing.closeNow(fd);
    } else {
      this._closing.start(fd);
    }
  }

  setBlocking(fd: number, blocking: boolean): void {
    this._sockets.setBlocking(fd, blocking);
  }

  watch(fd: number): void {
    this._reports.delete(fd);
    this._watched.add(fd);
  }

  unwatch(fd: number): void {
    this._watched.delete(fd);
  }

  takeWatchReport(fd: number): WatchReport | undefined {
    const report = this._reports.get(fd);
    if (report !== undefined) this._reports.delete(fd);
    return report;
  }

  stats(): { sockets: number; servers: number; closed: number; heapUsed: number; heapTotal: number } {
    this._look(0);
    // No thread of its own, so no heap of its own: the sockets live in the caller's.
    return {
      sockets: this._open.size + this._closing.size + this._pending.size,
      servers: this._listeners.size,
      closed: this._closing.closed,
      heapUsed: 0,
      heapTotal: 0,
    };
  }

  drain(): void {
    this._look(0);
  }

  private _handOver(
    fd: number,
    endpoint: Endpoint,
    noDelay: boolean,
    keepAlive: boolean | number,
    blocking: boolean,
  ): BrokeredSocket {
    this._sockets.setOptions(fd, endpoint, noDelay, keepAlive);
    if (blocking) this._sockets.setBlocking(fd, true);
    this._open.add(fd);
    return this._sockets.opened(fd);
  }

  private _acceptAll(listener: Listener): number {
    let count = 0;
    for (
      let socket = this._sockets.accept(listener.fd);
      socket !== undefined;
      socket = this._sockets.accept(listener.fd)
    ) {
      this._sockets.setOptions(socket.fd, socket.local, listener.noDelay, false);
      this._open.add(socket.fd);
      listener.accepted.push(socket);
      count++;
    }
    return count;
  }

  /**
   * One `poll(2)` over every listener, watched and closing descriptor, waiting up to `timeoutMs`:
   * listeners' connections are accepted, watches that fired get their report, closing descriptors
   * are drained. Anything new counts as an event.
   */
  private _look(timeoutMs: number): void {
    const count = this._listeners.size + this._watched.size + this._closing.size;
    if (count === 0) {
      if (timeoutMs > 0) this._sockets.libc.calls.poll(0, 0, timeoutMs);
      return;
    }
    if (this._pollFds.length < 2 * count) this._pollFds = new Int32Array(4 * count);
    const fds = this._pollFds;
    let n = 0;
    // struct pollfd { int fd; short events; short revents; }: two 32-bit words, revents the high half.
    const add = (fd: number): void => {
      fds[2 * n] = fd;
      fds[2 * n + 1] = POLLIN;
      n++;
    };
    for (const listener of this._listeners.values()) add(listener.fd);
    for (const fd of this._watched) add(fd);
    for (const fd of this._closing.fds()) add(fd);
    const libc = this._sockets.libc;
    const ready = libc.calls.poll(libc.pointer(fds), n, timeoutMs);
    let moved = false;
    if (ready > 0) {
      let i = 0;
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

  private _pollOne(fd: number, events: number, timeoutMs: number): boolean {
    const fds = this._pollFds;
    fds[0] = fd;
    fds[1] = events;
    const libc = this._sockets.libc;
    return libc.calls.poll(libc.pointer(fds), 1, timeoutMs) > 0 && fds[1] >>> 16 !== 0;
  }
}
