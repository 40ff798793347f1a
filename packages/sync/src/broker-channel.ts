import { existsSync } from 'node:fs';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { ErrorCode, NetError } from '@net/core';
import { BROKER_LIVENESS_CHECK_MS, BROKER_START_TIMEOUT_MS } from './limits.js';
import {
  type BrokerEvent,
  type BrokerRequest,
  SIGNAL_EVENTS,
  SIGNAL_STOPPED,
  SIGNAL_THREAD,
} from './broker-messages.js';
import { checkSyncSocketSupport } from './node-internals.js';
import { signalBufferBytes } from './watch-report-area.js';

/** An answer of the broker thread to one request, matched to it by its `id`. */
export type BrokerReply = Extract<BrokerEvent, { id: number }>;

/**
 * The request/reply plumbing of the synchronous side of the broker thread (see `broker-worker.ts`):
 * it starts the thread, posts requests, reads answers and events back on a port with
 * `receiveMessageOnPort` (no event loop needed), parks a waiting thread on a shared counter with
 * `Atomics.wait`, and tells when the thread has stopped. What the events mean, and the socket
 * operations made of the requests, are {@link SocketBroker}'s.
 */
export abstract class BrokerChannel {
  private readonly _worker: Worker | undefined;
  private readonly _port: MessagePort;
  private readonly _signal: Int32Array;
  protected readonly _replies = new Map<number, BrokerReply>();
  protected _nextId = 1;
  private _workerError: Error | undefined;
  // When this side began: a thread not yet started is given BROKER_START_TIMEOUT_MS from here.
  private readonly _createdAt = performance.now();

  /**
   * Starts a broker thread; with `attach`, speaks instead to a running one through a channel it
   * opened for this thread (a half adopted from the thread that started it).
   */
  constructor(attach?: { readonly port: MessagePort; readonly signal: SharedArrayBuffer }) {
    checkSyncSocketSupport();
    if (attach !== undefined) {
      this._signal = new Int32Array(attach.signal);
      this._port = attach.port;
      this._port.unref();
      return;
    }
    const { port1, port2 } = new MessageChannel();
    this._signal = new Int32Array(new SharedArrayBuffer(signalBufferBytes()));
    this._port = port1;
    const worker = new Worker(new URL('./broker-worker.js', import.meta.url), {
      workerData: { port: port2, signal: this._signal.buffer },
      transferList: [port2],
      // The broker is plain compiled JavaScript and needs none of the program's Node flags; some of
      // them stop a worker from starting at all (`--input-type` with `-e`, for one), and a thread
      // parked on a broker that never started would only see a timeout.
      execArgv: [],
    });
    // A failure of the thread itself reaches this listener only when the event loop runs; a
    // request that times out reports it if it has come by then.
    worker.on('error', (error) => void (this._workerError ??= error));
    // A thread that ends before it has said who it is runs no exit handler of its own to say so;
    // where the event loop runs in between, this does (otherwise its start limit does, in time).
    worker.once('exit', () => this._markStopped());
    // The broker must never keep a process alive on its own.
    worker.unref();
    this._worker = worker;
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

  /** Takes in one event the broker posted: an answer goes to {@link _replies}, the rest where they belong. */
  protected abstract _dispatch(event: BrokerEvent): void;

  protected _post(request: BrokerRequest, transfer?: MessagePort[]): void {
    this._port.postMessage(request, transfer);
  }

  /** The signal array's buffer, for a channel to the same broker thread. */
  protected get _signalBuffer(): SharedArrayBuffer {
    return this._signal.buffer as SharedArrayBuffer;
  }

  protected _request(request: Extract<BrokerRequest, { id: number }>, timeoutMs: number): BrokerReply {
    if (this.checkStopped()) throw this._stoppedError(request.op);
    this._post(request);
    return this._awaitReply(request.id, timeoutMs, request.op);
  }

  /** True for a channel to a broker another thread started (see the constructor's `attach`). */
  get attached(): boolean {
    return this._worker === undefined;
  }

  /** Parks until the answer to request `id` comes, the broker stops, or `timeoutMs` passes. */
  protected _awaitReply(id: number, timeoutMs: number, op = 'attach'): BrokerReply {
    const request = { id, op };
    let deadline = performance.now() + timeoutMs;
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
      const now = performance.now();
      if (Atomics.load(this._signal, SIGNAL_THREAD) === 0) {
        // A thread that has not said who it is by its start limit never started, or died before it
        // could (terminated at once, or its start failed): without this it would never be seen to
        // stop, and every later request would wait out its whole timeout on it. Before that limit
        // it may only be slow to start, on a busy machine, and has not begun on the request: the
        // request's own time starts once it has.
        if (now - this._createdAt >= BROKER_START_TIMEOUT_MS) {
          this._markStopped();
          throw this._stoppedError(request.op);
        }
        deadline = now + timeoutMs;
      }
      const left = deadline - now;
      if (left <= 0) {
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

  protected _stoppedError(op: string): NetError {
    const cause = this._workerError;
    const why = cause === undefined ? '' : `: ${cause.message}`;
    return new NetError(ErrorCode.SOCKET, `socket broker thread stopped before ${op}${why}`, { cause });
  }
}
