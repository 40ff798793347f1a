import { existsSync } from 'node:fs';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { type Endpoint, ErrorCode, formatEndpoint, NetError } from '@net/core';
import { BROKER_CONNECT_SLACK_MS, BROKER_LIVENESS_CHECK_MS, BROKER_REQUEST_TIMEOUT_MS } from './limits.js';
import {
  type BrokerEvent,
  type BrokerRequest,
  SIGNAL_EVENTS,
  SIGNAL_LENGTH,
  SIGNAL_STOPPED,
  SIGNAL_THREAD,
} from './broker-messages.js';
import { brokerFailure } from './broker-failure.js';
import { checkSyncSocketSupport } from './node-internals.js';

/** How one connection attempt is made. */
export interface ConnectRequestOptions {
  readonly noDelay: boolean;
  readonly keepAlive: boolean | number;
  readonly blocking: boolean;
  readonly timeoutMs: number;
}

/** A descriptor the broker handed over, with its addresses. */
export interface BrokeredSocket {
  readonly fd: number;
  readonly local: Endpoint;
  readonly peer: Endpoint;
}

/** What a descriptor that was being watched reported: its first bytes, or its end. */
export type WatchReport =
  | { readonly kind: 'data'; readonly bytes: Uint8Array }
  | { readonly kind: 'eof' }
  | { readonly kind: 'error'; readonly code: string; readonly message: string };

type Reply = Extract<BrokerEvent, { id: number }>;

/**
 * The synchronous side of the broker thread (see `broker-worker.ts`), one per thread that uses
 * it. Requests go out as messages; answers and events come back on a port that this thread reads
 * with `receiveMessageOnPort` (no event loop needed), and a shared counter lets a waiting thread
 * park in `Atomics.wait` until the broker has something.
 */
export class SocketBroker {
  private readonly _worker: Worker;
  private readonly _port: MessagePort;
  private readonly _signal: Int32Array;
  private readonly _replies = new Map<number, Reply>();
  private readonly _accepted = new Map<number, BrokeredSocket[]>();
  private readonly _watched = new Map<number, WatchReport[]>();
  private _nextId = 1;
  private _closedSockets = 0;
  private _workerError: Error | undefined;

  constructor() {
    checkSyncSocketSupport();
    const { port1, port2 } = new MessageChannel();
    this._signal = new Int32Array(new SharedArrayBuffer(SIGNAL_LENGTH * Int32Array.BYTES_PER_ELEMENT));
    this._port = port1;
    this._worker = new Worker(new URL('./broker-worker.js', import.meta.url), {
      workerData: { port: port2, signal: this._signal.buffer },
      transferList: [port2],
      // The broker is plain compiled JavaScript and needs none of the program's Node flags; some of
      // them stop a worker from starting at all (`--input-type` with `-e`, for one), and a thread
      // parked on a broker that never started would only see a timeout.
      execArgv: [],
    });
    // A failure of the thread itself reaches this listener only when the event loop runs; a
    // request that times out reports it if it has come by then.
    this._worker.on('error', (error) => void (this._workerError ??= error));
    // The broker must never keep a process alive on its own.
    this._worker.unref();
    this._port.unref();
  }

  /**
   * Whether the broker thread has exited (a crash, `process.exit` in it, `terminate()`). Its
   * sockets closed with it, so every descriptor it handed out is gone: the next call on one fails
   * with `NET_ERR_CLOSED`, and {@link socketBroker} starts a new broker for new connections.
   */
  get stopped(): boolean {
    return Atomics.load(this._signal, SIGNAL_STOPPED) === 1;
  }

  /**
   * {@link stopped}, and also true for a thread that ended without running its exit handler
   * (`terminate()`, out of memory): its kernel thread is gone. Costs one `stat`, so it is asked at
   * requests and while waiting for them, not on the data path; once it says so, {@link stopped}
   * says so too, and parked or polling callers are woken to see it.
   */
  checkStopped(): boolean {
    if (this.stopped) return true;
    const thread = Atomics.load(this._signal, SIGNAL_THREAD);
    if (thread <= 0 || existsSync(`/proc/self/task/${thread}`)) return false;
    this._markStopped();
    return true;
  }

  // Says the thread is gone, and wakes every caller parked on it to see so.
  private _markStopped(): void {
    Atomics.store(this._signal, SIGNAL_STOPPED, 1);
    Atomics.add(this._signal, SIGNAL_EVENTS, 1);
    Atomics.notify(this._signal, SIGNAL_EVENTS);
  }

  /** How many events the broker has posted so far: a value to park on with {@link waitForEvent}. */
  get eventCount(): number {
    return Atomics.load(this._signal, SIGNAL_EVENTS);
  }

  /** Parks the thread until the broker posts an event after `seen`, or `timeoutMs` passes. */
  waitForEvent(seen: number, timeoutMs: number): void {
    Atomics.wait(this._signal, SIGNAL_EVENTS, seen, timeoutMs);
  }

  /**
   * Resolves when the broker posts an event after `seen`, or after `timeoutMs`, without blocking the
   * thread. The wait does not keep the process alive (nor does the direct path's): a waiter that
   * must, such as a spawned Poller, holds its own handle.
   */
  whenEvent(seen: number, timeoutMs: number): Promise<unknown> {
    const result = Atomics.waitAsync(this._signal, SIGNAL_EVENTS, seen, timeoutMs);
    return result.async ? result.value : Promise.resolve(result.value);
  }

  /**
   * Connects (one attempt) and returns the connected descriptor, parking until the broker answers.
   * @throws NetError for a refused or timed-out attempt
   */
  connect(endpoint: Endpoint, options: ConnectRequestOptions): BrokeredSocket {
    const reply = this._request(
      { op: 'connect', id: this._nextId++, endpoint, ...options },
      options.timeoutMs + BROKER_CONNECT_SLACK_MS,
    );
    return this._connected(reply, endpoint);
  }

  /** Starts one connection attempt without waiting; {@link pollConnect} tells how it went. */
  beginConnect(endpoint: Endpoint, options: ConnectRequestOptions): number {
    const id = this._nextId++;
    this._post({ op: 'connect', id, endpoint, ...options });
    return id;
  }

  /**
   * The outcome of {@link beginConnect}'s attempt `id`: the connected descriptor, or `undefined`
   * while it is still under way.
   * @throws NetError for a refused or timed-out attempt
   */
  pollConnect(id: number, endpoint: Endpoint): BrokeredSocket | undefined {
    this.drain();
    const reply = this._replies.get(id);
    if (reply === undefined) {
      if (this.checkStopped()) throw this._stoppedError('connect');
      return undefined;
    }
    this._replies.delete(id);
    return this._connected(reply, endpoint);
  }

  private _connected(reply: Reply, endpoint: Endpoint): BrokeredSocket {
    if (reply.op !== 'connected') throw brokerFailure(reply, `connect to ${formatEndpoint(endpoint)}`);
    return { fd: reply.fd, local: reply.local, peer: reply.peer };
  }

  /** Listens on `endpoint`; returns the listener's id and its real address. */
  listen(
    endpoint: Endpoint,
    options: { backlog: number; noDelay: boolean; blocking: boolean },
  ): { serverId: number; local: Endpoint } {
    const reply = this._request({ op: 'listen', id: this._nextId++, endpoint, ...options }, BROKER_REQUEST_TIMEOUT_MS);
    if (reply.op !== 'listening') throw brokerFailure(reply, `bind ${formatEndpoint(endpoint)}`);
    this._accepted.set(reply.serverId, []);
    return { serverId: reply.serverId, local: reply.local };
  }

  /** Stops a listener; connections it accepted stay open. Waits until the port is free again. */
  unlisten(serverId: number): void {
    this._accepted.delete(serverId);
    this._request({ op: 'unlisten', id: this._nextId++, serverId }, BROKER_REQUEST_TIMEOUT_MS);
  }

  /** The next connection a listener accepted, if one is waiting (never waits). */
  takeAccepted(serverId: number): BrokeredSocket | undefined {
    this.drain();
    return this._accepted.get(serverId)?.shift();
  }

  /**
   * Hands a descriptor back to be closed; the caller must not touch `fd` again. The close is
   * graceful (FIN after everything written, then the peer's side is drained until it closes);
   * `reset` sends RST instead.
   */
  close(fd: number, reset = false): void {
    this._watched.delete(fd);
    this._post({ op: 'close', fd, reset });
  }

  /** Switches a descriptor between blocking and non-blocking mode; returns once done. */
  setBlocking(fd: number, blocking: boolean): void {
    const reply = this._request({ op: 'setBlocking', id: this._nextId++, fd, blocking }, BROKER_REQUEST_TIMEOUT_MS);
    if (reply.op !== 'blockingSet') throw brokerFailure(reply, 'set blocking mode');
  }

  /** Asks the broker to report when an idle descriptor becomes readable (see {@link takeWatchReport}). */
  watch(fd: number): void {
    this._watched.set(fd, []);
    this._post({ op: 'watch', fd });
  }

  /** Stops watching `fd`; a report the broker posted before stopping is kept for {@link takeWatchReport}. */
  unwatch(fd: number): void {
    this._request({ op: 'unwatch', id: this._nextId++, fd }, BROKER_REQUEST_TIMEOUT_MS);
  }

  /** What a watched descriptor reported, if anything yet; afterwards it is read directly again. */
  takeWatchReport(fd: number): WatchReport | undefined {
    this.drain();
    // The broker's sockets closed with its thread: a watch will never report, so say so now.
    // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- has(fd) was checked just before
    if (this.stopped && this._watched.has(fd) && this._watched.get(fd)!.length === 0) {
      this._watched.delete(fd);
      return { kind: 'error', code: 'EBADF', message: 'socket broker thread stopped' };
    }
    const reports = this._watched.get(fd);
    const report = reports?.shift();
    if (report !== undefined) this._watched.delete(fd);
    return report;
  }

  /**
   * Sockets and listeners the broker holds now, sockets it has closed, and the broker thread's own
   * JavaScript heap (used and reserved bytes): for leak checks. With `collect`, and a process
   * started with `--expose-gc`, the broker collects its garbage first.
   */
  stats(options?: { collect?: boolean }): {
    sockets: number;
    servers: number;
    closed: number;
    heapUsed: number;
    heapTotal: number;
  } {
    const reply = this._request(
      { op: 'ping', id: this._nextId++, collect: options?.collect === true },
      BROKER_REQUEST_TIMEOUT_MS,
    );
    if (reply.op !== 'pong') throw new NetError(ErrorCode.SOCKET, 'broker did not answer');
    return {
      sockets: reply.sockets,
      servers: reply.servers,
      closed: this._closedSockets,
      heapUsed: reply.heapUsed,
      heapTotal: reply.heapTotal,
    };
  }

  /** Reads every event the broker has posted, without waiting. */
  drain(): void {
    for (
      let message = receiveMessageOnPort(this._port);
      message !== undefined;
      message = receiveMessageOnPort(this._port)
    ) {
      this._dispatch(message.message as BrokerEvent);
    }
  }

  private _dispatch(event: BrokerEvent): void {
    switch (event.op) {
      case 'accepted':
        this._accepted.get(event.serverId)?.push({ fd: event.fd, local: event.local, peer: event.peer });
        if (!this._accepted.has(event.serverId)) this.close(event.fd, true);
        return;
      case 'data':
        this._watched.get(event.fd)?.push({ kind: 'data', bytes: event.bytes });
        return;
      case 'eof':
        this._watched.get(event.fd)?.push({ kind: 'eof' });
        return;
      case 'readError':
        this._watched.get(event.fd)?.push({ kind: 'error', code: event.failure.code, message: event.failure.message });
        return;
      case 'closed':
        this._closedSockets++;
        return;
      default:
        this._replies.set(event.id, event);
    }
  }

  private _post(request: BrokerRequest): void {
    this._port.postMessage(request);
  }

  private _request(request: Extract<BrokerRequest, { id: number }>, timeoutMs: number): Reply {
    if (this.checkStopped()) throw this._stoppedError(request.op);
    this._post(request);
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const seen = this.eventCount;
      this.drain();
      const reply = this._replies.get(request.id);
      if (reply !== undefined) {
        this._replies.delete(request.id);
        return reply;
      }
      // The thread's exit bumps the event count too, so a parked caller wakes to see it here.
      if (this.checkStopped()) throw this._stoppedError(request.op);
      const left = deadline - performance.now();
      if (left <= 0) {
        // A thread that has not said who it is by now never started, or died before it could
        // (terminated at once, or its start failed): without this it would never be seen to stop,
        // and every later request would wait out its whole timeout on it.
        if (Atomics.load(this._signal, SIGNAL_THREAD) === 0) {
          this._markStopped();
          throw this._stoppedError(request.op);
        }
        const cause = this._workerError;
        const why = cause === undefined ? '' : ` (the broker thread failed: ${cause.message})`;
        throw new NetError(
          ErrorCode.TIMEOUT,
          `socket broker did not answer ${request.op} within ${timeoutMs} ms${why}`,
          { cause },
        );
      }
      this.waitForEvent(seen, Math.min(left, BROKER_LIVENESS_CHECK_MS));
    }
  }

  private _stoppedError(op: string): NetError {
    const cause = this._workerError;
    const why = cause === undefined ? '' : `: ${cause.message}`;
    return new NetError(ErrorCode.SOCKET, `socket broker thread stopped before ${op}${why}`, { cause });
  }
}
