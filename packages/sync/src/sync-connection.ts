import { type Codec, type ConId, ErrorCode, NetError, type Timer } from '@net/core';
import type { ConnectionDriver } from '@net/core/internal';
import { BrokeredDescriptor, brokerStoppedError } from './brokered-descriptor.js';
import type { DescriptorIo, IoPath } from './descriptor-io.js';
import { FrameSender } from './frame-sender.js';
import { HandshakeStepper } from './handshake-stepper.js';
import type { IdleWatch } from './idle-watch.js';
import type { MessageReceiver } from './message-receiver.js';
import { ReadSide } from './read-side.js';
import { canWaitReady } from './ready-wait.js';
import type { SocketHost } from './socket-host.js';
import { releaseShared, SharedHold } from './transfer/shared-hold.js';
import { driverFor, type SyncConnectionSetup } from './sync-connection-setup.js';
import { SyncConnectionReads } from './sync-connection-reads.js';

// The package entry takes the setup from here, beside the connection it sets up.
export type { SyncConnectionSetup } from './sync-connection-setup.js';

/**
 * One connection driven by the calling thread's own system calls on the descriptor: no event loop,
 * no worker hop on the data path. Shared by `@net/nonblocking` (descriptor in non-blocking mode:
 * a read finds data or returns at once) and `@net/blocking` (blocking mode: a read parks in the
 * kernel until data arrives).
 *
 * It keeps the lifecycle (the protocol's driver, the handshake, close listeners, closing once,
 * however it closes) and coordinates pieces with one job each: the {@link BrokeredDescriptor}
 * (the descriptor's I/O and modes), the {@link ReadSide} (the read loop, its {@link MessageReceiver}
 * and {@link IdleWatch}), the {@link FrameSender} (whole frames out) and the {@link HandshakeStepper}.
 * Its receiving calls are {@link SyncConnectionReads}'.
 */
export class SyncConnection<Send, Recv> extends SyncConnectionReads<Recv> {
  /** The connection's id: its role, name and addresses. */
  readonly conId: ConId;
  /** The protocol's side of the connection: hooks, callbacks, handshake, heartbeats. */
  readonly driver: ConnectionDriver<Send, Recv>;
  /** The codec its frames are written and read with. */
  readonly codec: Codec<Send, Recv>;
  // Told once when the connection closes, however it closes (a service frees its slot, a pool
  // lets the connection go), in the order they were added.
  private readonly _closedListeners: (() => void)[] = [];
  private readonly _broker: SocketHost;
  private readonly _timer: Timer;
  private readonly _descriptor: BrokeredDescriptor;
  protected readonly _read: ReadSide<Recv>;
  private readonly _sender: FrameSender<Send>;
  private readonly _handshake: HandshakeStepper<Recv>;
  private _reason: NetError | undefined;
  // The writing side was handed to another thread: its calls here fail with `NET_ERR_CLOSED`.
  private _writeGone = false;

  constructor(setup: SyncConnectionSetup<Send, Recv>) {
    super();
    this.conId = setup.conId;
    this._broker = setup.broker;
    this._timer = setup.timer;
    this._descriptor = new BrokeredDescriptor(setup.broker, setup.fd);
    this._read = new ReadSide(setup.codec, setup.broker, setup.fd, this);
    this._sender = new FrameSender(setup.codec, this, setup);
    this._handshake = new HandshakeStepper(this);
    this._shared = setup.shared;
    if (setup.shared !== undefined) this._sender.shareWrites(setup.shared);
    this.codec = setup.codec;
    // Keep why a handshake failed, so that the error the caller gets says it.
    this.driver = driverFor(setup, this, (error) => void (this._reason ??= error));
  }

  /**
   * Calls `listener` once when the connection closes, however it closes; at once if it is closed
   * already. Listeners run in the order they were added.
   */
  onClose(listener: () => void): void {
    if (this._closed) listener();
    else this._closedListeners.push(listener);
  }

  /** True until the connection is closed. */
  get isOpen(): boolean {
    // Another thread may have closed the connection for all: one atomic load tells.
    if (!this._closed && this._shared?.isClosed === true) this._finish(undefined);
    return !this._closed;
  }

  /** Why the connection closed, if it closed with an error. */
  get reason(): NetError | undefined {
    return this._reason;
  }

  /** The descriptor (for watching while idle); -1 once closed. */
  get fd(): number {
    return this._descriptor.fd;
  }

  /** The broker thread that handed this descriptor over and alone closes it. */
  get broker(): SocketHost {
    return this._broker;
  }

  /** Runs due heartbeats and deadlines; called from every operation, so no event loop is needed. */
  pollTimers(): void {
    this._timer.poll();
  }

  /**
   * Sends `message`, retrying a full socket until `deadline` (a `performance.now()` time; `-1` for
   * a single attempt, `Infinity` for no bound); `parkWhenFull` as in {@link FrameSender.send}.
   * @returns true when the whole frame was written, false when none of it could be (would-block)
   * @throws NetError `NET_ERR_CLOSED`, `NET_ERR_BACKPRESSURE`, socket errors, encode errors
   */
  sendUntil(message: Send, deadline: number, parkWhenFull = false): boolean {
    if (!this.isOpen || this._writeGone) throw this._closedError();
    return this._sender.send(message, deadline, parkWhenFull);
  }

  /**
   * Sends `messages` as one write where the socket takes it (write coalescing: one system call
   * for many small frames), with the same rules as {@link sendUntil} for the whole batch.
   * @returns true when every frame was written, false when none of them could be
   */
  sendManyUntil(messages: readonly Send[], deadline: number, parkWhenFull = false): boolean {
    if (!this.isOpen || this._writeGone) throw this._closedError();
    return this._sender.sendMany(messages, deadline, parkWhenFull);
  }

  /**
   * One write attempt on the descriptor: the bytes written, 0 when the socket takes none now (its
   * {@link FrameSender} calls this; a send goes through {@link sendUntil}).
   * @throws NetError `NET_ERR_CLOSED` once closed, socket errors
   */
  writeSome(bytes: Uint8Array, offset: number, length: number): number {
    return this.usableIo().write(bytes, offset, length);
  }

  /** Parks until the descriptor has room or bytes; false where the host cannot (the broker thread's). */
  waitWritableOrReadable(): boolean {
    const host = this._broker;
    if (!canWaitReady(host)) return false;
    host.waitWritableOrReadable(this._descriptor.fd, Infinity);
    return true;
  }

  /**
   * Parks until the descriptor has bytes to read (or its end, or an error) or `timeoutMs` passed
   * (a whole number of ms; see {@link ReadyWait.waitReadable}): `'readable'`, `'timeout'`, or
   * `'unable'` where the host cannot park on one descriptor (the broker thread's) and the caller
   * must watch it instead.
   */
  waitReadable(timeoutMs: number): 'readable' | 'timeout' | 'unable' {
    const host = this._broker;
    if (!canWaitReady(host)) return 'unable';
    return host.waitReadable(this._descriptor.fd, timeoutMs) ? 'readable' : 'timeout';
  }

  /** Which path reads and writes take now (`ffi`, `wasi` or `fs`); `undefined` once closed. */
  get ioPath(): IoPath | undefined {
    return this._descriptor.io?.path;
  }

  /** True while the descriptor is in blocking mode (reads and writes park in the kernel). */
  get isBlocking(): boolean {
    return this._descriptor.isBlocking;
  }

  /** Puts the descriptor in blocking or non-blocking mode; see {@link BrokeredDescriptor.setBlocking}. */
  setBlocking(blocking: boolean): void {
    // A descriptor's mode is shared by every thread that uses it: once shared it stays
    // non-blocking, and a wait goes through the watch instead of a parked read.
    if (!this._closed && this._shared === undefined) this._descriptor.setBlocking(blocking);
  }

  /** How many threads hold the descriptor (1 until a side is handed to another thread). */
  get threadHolds(): number {
    return this._shared?.holds ?? (this._closed ? 0 : 1);
  }

  /** True once a side of this connection lives on another thread (see {@link shareHold}). */
  get isShared(): boolean {
    return this._shared !== undefined;
  }

  /**
   * The state this connection shares with other threads, made on first use: from then on the
   * descriptor stays non-blocking and is closed by the last thread to let go of it.
   */
  shareHold(): SharedHold {
    if (this._shared === undefined) {
      this._read.watch.stop();
      this._descriptor.setBlocking(false);
      this._shared = new SharedHold();
      this._sender.shareWrites(this._shared);
    }
    return this._shared;
  }

  /**
   * Hands one side to another thread: its calls here fail with `NET_ERR_CLOSED` from now on. For
   * the reading side, returns what was buffered and not yet taken, for the new reader to take first.
   */
  giveAway(side: 'read' | 'write'): { bytes: Uint8Array; held: { message: Recv } | undefined } {
    if (side === 'write') {
      this._writeGone = true;
      return { bytes: new Uint8Array(0), held: undefined };
    }
    this._readGone = true;
    return this._read.takeBuffered();
  }

  /**
   * Lets go of the connection on this thread: it closes when no other thread holds it, else this
   * thread's part detaches and the others go on.
   */
  letGo(): void {
    if (this._shared === undefined || this._shared.holds <= 1) this.close();
    else this._finish(undefined, false);
  }

  /** Marks the stream ended (the peer closed it): no last words; inside a frame it is `NET_ERR_TRUNCATED`. */
  endOfStream(): void {
    this._finish(this._read.receiver.endReason());
  }

  /**
   * Closes the connection. Without `reason` it is graceful: the protocol's last words go out first.
   * The descriptor goes back to the broker, which alone closes it.
   */
  close(reason?: NetError): void {
    if (this._closed) return;
    if (reason === undefined) this.driver.closing();
    this._finish(reason);
  }

  /** One step of the handshake, without waiting; see {@link HandshakeStepper.step}. */
  stepHandshake(watchAfterIdlePolls = Infinity): boolean {
    return this._handshake.step(watchAfterIdlePolls);
  }

  /** Ends a handshake taken forward by the caller's own receives; see {@link HandshakeStepper.settle}. */
  settleHandshake(early: Recv | undefined, failure: NetError | undefined): boolean {
    return this._handshake.settle(early, failure);
  }

  /** Closes a connection whose handshake failed; see {@link HandshakeStepper.fail}. */
  failHandshake(failure?: NetError): NetError {
    return this._handshake.fail(failure);
  }

  /**
   * The descriptor's reads and writes, for its read and write sides. Checked at every call: a
   * timer task run by this very call may have closed the connection, and a broker thread that
   * exited freed the number, which may already name another file.
   * @throws NetError `NET_ERR_CLOSED` once closed or once the broker stopped
   */
  usableIo(): DescriptorIo {
    const io = this._descriptor.io;
    if (io === undefined) throw this._closedError();
    if (this._broker.stopped) {
      const error = brokerStoppedError(this.conId);
      this._finish(error);
      throw error;
    }
    return io;
  }

  // `forAll`: the connection ends for every thread that holds it, not only for this one.
  private _finish(reason: NetError | undefined, forAll = true): void {
    if (this._closed) return;
    this._closed = true;
    this._read.watch.cancel();
    this._reason ??= reason;
    this._read.receiver.clear();
    this._sender.release();
    if (this._shared === undefined) this._descriptor.release();
    else releaseShared(this._shared, this._descriptor, this._broker, forAll);
    this.driver.closed(this._reason);
    for (const listener of this._closedListeners.splice(0)) listener();
  }

  protected _closedError(): NetError {
    const why = this._closed ? 'is closed' : 'has handed this side to another thread';
    return new NetError(ErrorCode.CLOSED, `${String(this.conId)} ${why}`, { cause: this._reason });
  }
}
