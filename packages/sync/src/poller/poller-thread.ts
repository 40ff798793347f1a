import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import { describeFramer, ErrorCode, FrameInbox, type Framer, NetError, type SharedFrameInbox } from '@net/core';
import { checkIntegerOption } from '@net/core/internal';
import { offProcessExit, onProcessExit } from '../exit-hooks.js';
import { checkSyncSocketSupport } from '../node-internals.js';
import type { HalfTransfer } from '../transfer/half-transfer.js';
import {
  type AddCommand,
  C_COMMANDS,
  C_CONNECTIONS,
  C_EXITED,
  C_STOP,
  C_STOPPED,
  CONTROL_WORDS,
  type PollerIdle,
  type PollerWorkerData,
} from './poller-control.js';

/** Options of {@link PollerThread.start}. */
export interface PollerThreadOptions {
  /**
   * How the thread waits when a pass over its connections found nothing: `'park'` (default) sleeps
   * in `poll(2)` over the idle descriptors (C-library path) or in a back-off of `Atomics.wait` up to
   * 1 ms (broker path); `'spin'` goes round again at once, one core busy for the least latency.
   */
  readonly idle?: PollerIdle;
  /** Frames taken from one connection before the next gets its turn (fairness): 1 to 65,536, default 64. */
  readonly framesPerTurn?: number;
}

/** Options of {@link PollerThread.add}. */
export interface PollerAddOptions {
  /**
   * How the connection's stream is cut into frames: the framer of the connection's codec
   * (`codec.framer`). It must describe itself as plain data (`describe()`, as every built-in
   * framer does): the poller thread rebuilds it there.
   */
  readonly framer: Framer;
  /** Bytes of the inbox's ring (a power of two, 64 to 2^30); default 1 MiB. */
  readonly capacity?: number;
  /**
   * The largest frame body the inbox takes; default the framer's `maxFrameLength`, at most
   * `capacity / 2 - 4`. A larger frame fails the inbox with `NET_ERR_FRAME_TOO_LARGE`.
   */
  readonly maxFrameBytes?: number;
}

/** A receiving half that can be handed to another thread (a `CltReceiver` of either synchronous flavour). */
export interface TransferableReceiver {
  /** Hands the half over: see `CltReceiver.transfer`. */
  transfer(): HalfTransfer;
}

/** Default ring size of an inbox made by {@link PollerThread.add}: 1 MiB. */
export const DEFAULT_POLLER_INBOX_CAPACITY = 1 << 20;
/** Default {@link PollerThreadOptions.framesPerTurn}. */
export const DEFAULT_FRAMES_PER_TURN = 64;
// How long close() waits for the thread to let go of everything before it gives up on it.
const CLOSE_WAIT_MS = 10_000;
// How long a process that exits with the poller still open waits for it to stop.
const EXIT_WAIT_MS = 1_000;
// How long an exiting process gives the stopped thread's teardown after its last JavaScript.
const EXIT_TEARDOWN_MS = 20;

/**
 * One thread that reads many connections for the threads that consume them (links'
 * SpawnedPollHandler): {@link add} hands it a connection's receiving half, and it reads the
 * socket, cuts the frames and copies each into a `FrameInbox` in shared memory, which the consumer
 * reads with its flavour's `InboxReceiver` on any thread. A full inbox stops the reading of that
 * connection only (the peer is pushed back by TCP, nothing is dropped or reordered, and the stall
 * is counted in the inbox's `stalls`). The end of the stream ends the inbox; a socket or framing
 * error fails it with that error's code. The thread never keeps the process alive by itself.
 */
export class PollerThread {
  private readonly _worker: Worker;
  private readonly _port: MessagePort;
  private readonly _control: Int32Array;
  private _closed = false;
  // A thread still inside a C-library call when the process tears it down can crash the runtime
  // (Node's node:ffi), so an exiting process first stops the poller, which parks at most
  // POLLER_PARK_MS in `poll(2)`.
  private readonly _onExit = (): void => this._stop(EXIT_WAIT_MS);

  private constructor(options: PollerThreadOptions) {
    checkSyncSocketSupport();
    const idle = options.idle ?? 'park';
    if (idle !== 'park' && idle !== 'spin') {
      throw new NetError(ErrorCode.INVALID_ARGUMENT, `idle must be 'park' or 'spin', got ${String(idle)}`, {
        details: { option: 'idle', value: idle },
      });
    }
    const framesPerTurn = checkIntegerOption(
      'framesPerTurn',
      options.framesPerTurn ?? DEFAULT_FRAMES_PER_TURN,
      1,
      65_536,
    );
    this._control = new Int32Array(new SharedArrayBuffer(CONTROL_WORDS * Int32Array.BYTES_PER_ELEMENT));
    const { port1, port2 } = new MessageChannel();
    const workerData: PollerWorkerData = {
      control: this._control.buffer as SharedArrayBuffer,
      port: port2,
      idle,
      framesPerTurn,
    };
    this._worker = new Worker(new URL('./poller-worker.js', import.meta.url), {
      workerData,
      transferList: [port2],
      // Plain compiled JavaScript: it needs none of the program's Node flags (as the broker thread).
      execArgv: [],
    });
    this._worker.unref();
    this._port = port1;
    this._port.unref();
    onProcessExit(this._onExit);
  }

  /**
   * Starts a poller thread.
   * @throws NetError `NET_ERR_INVALID_ARGUMENT` for options out of range, `NET_ERR_UNSUPPORTED`
   * where the synchronous flavours cannot run
   */
  static start(options: PollerThreadOptions = {}): PollerThread {
    return new PollerThread(options);
  }

  /** Connections the thread reads now (an ended or dropped one no longer counts). */
  get connections(): number {
    return Atomics.load(this._control, C_CONNECTIONS);
  }

  /** True once {@link close} was called. */
  get closed(): boolean {
    return this._closed;
  }

  /**
   * Hands the receiving half `half` (a `CltReceiver`, which this transfers, or what a receiver's
   * `transfer()` returned, on this thread or another) to the poller thread, and returns the inbox
   * its frames go to: post it to any thread of this process and read it there with the flavour's
   * `InboxReceiver.attach(inbox, { codec })`. The frames are bodies as the framer cuts them.
   *
   * When the connection's protocol has a `heartbeatInterval`, the poller thread runs its heartbeats
   * and peer-silence check from now on (the thread that gave the half no longer does): it writes
   * the bytes of one beat, encoded once here, whenever no thread wrote a frame for an interval, and
   * fails the inbox with `NET_ERR_PEER_SILENT` (closing the connection) after `peerSilenceIntervals`
   * intervals with nothing read.
   * @throws NetError `NET_ERR_UNSUPPORTED` for a framer that cannot describe itself or a heartbeat
   * whose bytes differ from beat to beat,
   * `NET_ERR_INVALID_ARGUMENT` for bad sizes or a value that is not a receiver's transfer,
   * `NET_ERR_CLOSED` once the poller was closed, and as the receiver's `transfer()`
   */
  add(half: TransferableReceiver | HalfTransfer, options: PollerAddOptions): SharedFrameInbox {
    if (this._closed) throw new NetError(ErrorCode.CLOSED, 'the poller thread was closed');
    if (typeof options !== 'object' || options === null) {
      throw new NetError(ErrorCode.INVALID_ARGUMENT, 'add takes { framer, capacity?, maxFrameBytes? }');
    }
    const framer = describeFramer(options.framer);
    const capacity = options.capacity ?? DEFAULT_POLLER_INBOX_CAPACITY;
    const maxFrameBytes = options.maxFrameBytes ?? Math.min(options.framer.maxFrameLength, capacity / 2 - 4);
    const inbox = new FrameInbox({ capacity, maxFrameBytes }).share();
    const transfer = isReceiver(half) ? half.transfer() : half;
    if (transfer?.side === 'receiver' && transfer.held !== undefined) {
      // Its message cannot be turned back into bytes for the inbox. Closing the value's ports gives
      // up the hold taken for the adopter, as when an adopting thread lets go.
      for (const port of transfer.transferList) port.close();
    }
    if (transfer?.side === 'receiver' && transfer.heartbeat === 'varies') {
      for (const port of transfer.transferList) port.close();
      throw new NetError(
        ErrorCode.UNSUPPORTED,
        "this connection's heartbeat is not the same bytes at every beat: the poller thread sends the bytes of one beat, encoded once",
      );
    }
    if (transfer?.side !== 'receiver' || transfer.held !== undefined) {
      throw new NetError(
        ErrorCode.INVALID_ARGUMENT,
        transfer?.side === 'receiver'
          ? 'this receiver holds a message given back by its protocol: receive it before adding the receiver'
          : 'add takes a receiving half or what its transfer() returned',
      );
    }
    const command: AddCommand = { op: 'add', transfer, framer, inbox };
    this._port.postMessage(command, transfer.transferList);
    Atomics.add(this._control, C_COMMANDS, 1);
    Atomics.notify(this._control, C_COMMANDS);
    return inbox;
  }

  /**
   * Stops the thread: every inbox fails with `NET_ERR_CLOSED` after the frames already in it, and
   * the thread lets go of every connection (each descriptor closes once no thread holds it).
   * Parks the calling thread until that is done (up to 10 s; the thread is asked to end, never
   * terminated: see poller-worker.ts).
   * Idempotent.
   */
  close(): void {
    offProcessExit(this._onExit);
    this._stop(CLOSE_WAIT_MS);
  }

  private _stop(waitMs: number): void {
    if (this._closed) return;
    this._closed = true;
    Atomics.store(this._control, C_STOP, 1);
    Atomics.add(this._control, C_COMMANDS, 1);
    Atomics.notify(this._control, C_COMMANDS);
    Atomics.wait(this._control, C_STOPPED, 0, waitMs);
    this._port.close();
    // A process that exits soon after would end the thread from outside, which Node 26 does not
    // survive once the thread loaded node:ffi (see poller-worker.ts): wait until it ended by
    // itself, and a little more for its own teardown past its last line of JavaScript.
    if (Atomics.wait(this._control, C_EXITED, 0, waitMs) !== 'timed-out') {
      Atomics.wait(this._control, C_EXITED, 1, EXIT_TEARDOWN_MS);
    }
  }

  /** Same as {@link close}, for `using`. */
  [Symbol.dispose](): void {
    this.close();
  }
}

function isReceiver(value: unknown): value is TransferableReceiver {
  return typeof (value as Partial<TransferableReceiver> | null)?.transfer === 'function';
}
