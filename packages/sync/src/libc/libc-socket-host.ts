import { type Endpoint, ErrorCode, NetError } from '@net/core';
import type { BrokeredSocket, ConnectRequestOptions, WatchReport } from '../socket-broker.js';
import type { ReadyWait } from '../ready-wait.js';
import type { SocketHost } from '../socket-host.js';
import { POLLIN, POLLOUT, SHUT_RDWR } from './libc-calls.js';
import { LibcEventWait, type Listener, pollTimeout } from './libc-event-wait.js';
import { NameResolver } from './name-resolver.js';
import { encodeAddress } from './socket-address.js';

/** How long a listen waits for its host name to be looked up (a listen has no timeout of its own). */
const LISTEN_LOOKUP_TIMEOUT_MS = 30_000;

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
 * something, with no other thread involved (that wait is {@link LibcEventWait}'s). A graceful close
 * goes through `ClosingSockets`.
 */
export class LibcSocketHost extends LibcEventWait implements SocketHost, ReadyWait {
  private readonly _names = new NameResolver();
  private readonly _pending = new Map<number, PendingConnect>();
  private readonly _open = new Set<number>();
  private _nextId = 1;

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

  /** See {@link ReadyWait}: a send waiting for room also wakes for bytes it can take in. */
  waitWritableOrReadable(fd: number, timeoutMs: number): void {
    this._pollOne(fd, POLLIN | POLLOUT, timeoutMs === Infinity ? -1 : pollTimeout(timeoutMs));
  }

  /** See {@link ReadyWait}: a receive with a deadline, or a heartbeat due, parks here. */
  waitReadable(fd: number, timeoutMs: number): boolean {
    // The same kept one-descriptor poll a send waiting for room uses: nothing made per wait.
    return this._pollOne(fd, POLLIN, timeoutMs);
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

  /**
   * Closes at once every descriptor still closing gracefully (see `ClosingSockets.finishAll`): for
   * a thread about to end, which would leave nobody to finish them.
   */
  finishClosing(): void {
    this._closing.finishAll();
  }

  setBlocking(fd: number, blocking: boolean): void {
    this._sockets.setBlocking(fd, blocking);
  }

  /**
   * Wakes every other thread's wait on `fd` (the connection was ended for all of them): a read or
   * `poll` parked on another thread returns at once, which a `close` would not make it do.
   */
  endShared(fd: number): void {
    this._sockets.libc.calls.shutdown(fd, SHUT_RDWR);
  }

  /** Forgets `fd` without closing it: another thread holds it and will close it. */
  forget(fd: number): void {
    this._watched.delete(fd);
    this._reports.delete(fd);
    this._open.delete(fd);
  }

  /** Takes `fd`, opened by another thread's host, as one of this host's open descriptors. */
  adoptOpen(fd: number): void {
    this._open.add(fd);
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

  protected _acceptAll(listener: Listener): number {
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
}
