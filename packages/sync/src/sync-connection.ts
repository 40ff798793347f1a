import { type Callbacks, type Codec, type ConId, ErrorCode, fromSocketError, type Logger, MessageReader, NetError, type Protocol, type Timer } from '@net/core';
import { ConnectionDriver } from '@net/core/internal';
import { createDescriptorIo, createFsDescriptorIo, type DescriptorIo } from './descriptor-io.js';
import { WOULD_BLOCK_IO } from './node-internals.js';
import type { SocketBroker } from './socket-broker.js';
import { FrameSender } from './frame-sender.js';
import { END_OF_STREAM, type IdleStrategy, type RecvResult, WOULD_BLOCK } from './status.js';

/** Everything a {@link SyncConnection} is made of. */
export interface SyncConnectionSetup<Send, Recv> {
  readonly fd: number;
  readonly conId: ConId;
  readonly codec: Codec<Send, Recv>;
  /** The per-connection protocol instance. */
  readonly protocol: Protocol<Send, Recv> | undefined;
  readonly callbacks: Callbacks<Send, Recv> | undefined;
  readonly logger: Logger;
  /** This thread's timer, polled from the connection's own calls (no event loop). */
  readonly timer: Timer;
  readonly broker: SocketBroker;
  readonly handshakeTimeout: number;
  /** Bound in ms on sends the protocol makes itself (handshake, heartbeats, replies, last words). */
  readonly protocolSendTimeout: number;
  readonly idleStrategy: IdleStrategy;
  /** Largest frame this connection may hold encoded at once (its output buffer's limit). */
  readonly maxBufferedBytes: number;
  /** How long the peer may take no byte while a frame waits, in ms, before `NET_ERR_BACKPRESSURE` closes it. */
  readonly writeStallTimeout: number;
}

/** Mask of idle polls of a watched connection between two looks for the broker thread (every 1,024th). */
const WATCH_POLLS_PER_LIVENESS_CHECK = 1_023;

/**
 * One connection driven by the calling thread's own system calls on the descriptor: no event loop,
 * no worker hop on the data path. Shared by `@net/nonblocking` (descriptor in non-blocking mode:
 * a read finds data or returns at once) and `@net/blocking` (blocking mode: a read parks in the
 * kernel until data arrives).
 *
 * Sends are written whole: a frame is encoded once, and a partly written frame is always finished
 * before the call returns (within its deadline); a would-block send writes nothing.
 */
export class SyncConnection<Send, Recv> {
  readonly conId: ConId;
  readonly driver: ConnectionDriver<Send, Recv>;
  // Told once when the connection closes, however it closes (a service frees its slot, a pool
  // lets the connection go), in the order they were added.
  private readonly _closedListeners: (() => void)[] = [];
  private readonly _setup: SyncConnectionSetup<Send, Recv>;
  private readonly _reader: MessageReader<Recv>;
  private readonly _sender: FrameSender<Send>;
  private _fd: number;
  // The reads and writes for the descriptor's current mode (WASI while non-blocking, fs while
  // blocking), and the other mode's, kept for the next switch. Both are dropped at close.
  private _io: DescriptorIo | undefined;
  private _otherModeIo: DescriptorIo | undefined;
  private _closed = false;
  private _reason: NetError | undefined;
  private _idlePolls = 0;
  private _watched = false;
  private _blocking = false;
  private _watchSeen = -1;
  // A message the handshake's wait decoded after the handshake completed (the peer sent it in the
  // same read as its last handshake message): the next receive hands it out first.
  private _heldBack: { readonly message: Recv } | undefined;

  constructor(setup: SyncConnectionSetup<Send, Recv>) {
    this._setup = setup;
    this._fd = setup.fd;
    this._io = createDescriptorIo(setup.fd);
    this.conId = setup.conId;
    this._reader = new MessageReader(setup.codec, { initialCapacity: 16 * 1024, minReadSize: 16 * 1024 });
    this._sender = new FrameSender(setup.codec, this, setup);
    this.driver = new ConnectionDriver<Send, Recv>({
      conId: setup.conId,
      protocol: setup.protocol,
      callbacks: setup.callbacks,
      logger: setup.logger,
      scheduler: setup.timer,
      handshakeTimeout: setup.handshakeTimeout,
      transport: {
        send: (message) => {
          if (!this.sendUntil(message, performance.now() + setup.protocolSendTimeout)) {
            throw new NetError(ErrorCode.TIMEOUT, `${String(this.conId)}: protocol send not written within ${setup.protocolSendTimeout} ms`);
          }
        },
        close: (reason) => this.close(reason),
      },
      // Keep why a handshake failed, so that the error the caller gets says it.
      onFailed: (error) => void (this._reason ??= error),
    });
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
    return !this._closed;
  }

  /** Why the connection closed, if it closed with an error. */
  get reason(): NetError | undefined {
    return this._reason;
  }

  /** The descriptor (for watching while idle). */
  get fd(): number {
    return this._fd;
  }

  /** Runs due heartbeats and deadlines; called from every operation, so no event loop is needed. */
  pollTimers(): void {
    this._setup.timer.poll();
  }

  /**
   * Sends `message`, retrying a full socket until `deadline` (a `performance.now()` time; `-1` for
   * a single attempt, `Infinity` for no bound). With `parkWhenFull` (no deadline, `@net/blocking`),
   * a non-blocking descriptor that finds the socket full is switched to blocking mode, so the rest
   * is written by a parked `write` instead of a spin. See {@link FrameSender}.
   * @returns true when the whole frame was written, false when none of it could be (would-block)
   * @throws NetError `NET_ERR_CLOSED`, `NET_ERR_BACKPRESSURE`, socket errors, encode errors
   */
  sendUntil(message: Send, deadline: number, parkWhenFull = false): boolean {
    if (this._closed) throw this._closedError();
    return this._sender.send(message, deadline, parkWhenFull);
  }

  /**
   * Sends `messages` as one write where the socket takes it (write coalescing: one system call
   * for many small frames), with the same rules as {@link sendUntil} for the whole batch.
   * @returns true when every frame was written, false when none of them could be
   */
  sendManyUntil(messages: readonly Send[], deadline: number, parkWhenFull = false): boolean {
    if (this._closed) throw this._closedError();
    return this._sender.sendMany(messages, deadline, parkWhenFull);
  }

  /**
   * One write attempt on the descriptor: the bytes written, 0 when the socket takes none now (its
   * {@link FrameSender} calls this; a send goes through {@link sendUntil}).
   * @throws NetError `NET_ERR_CLOSED` once closed, socket errors
   */
  writeSome(bytes: Uint8Array, offset: number, length: number): number {
    const io = this._io;
    // Closed meanwhile (a timer task run by this very send, say): the descriptor is gone.
    if (io === undefined) throw this._closedError();
    if (this._setup.broker.stopped) throw this._brokerStopped();
    return io.write(bytes, offset, length);
  }

  private _readSome(bytes: Uint8Array, offset: number, length: number): number {
    const io = this._io;
    if (io === undefined) throw this._closedError();
    if (this._setup.broker.stopped) throw this._brokerStopped();
    return io.read(bytes, offset, length);
  }

  /** Which path reads and writes take now (`wasi` or `fs`); `undefined` once closed. */
  get ioPath(): 'wasi' | 'fs' | undefined {
    return this._io?.path;
  }

  /** True while the descriptor is in blocking mode (reads and writes park in the kernel). */
  get isBlocking(): boolean {
    return this._blocking;
  }

  /**
   * Puts the descriptor in blocking or non-blocking mode. The switch is a round trip to the broker
   * thread, so it happens only when the mode changes: a run of bounded calls switches once.
   */
  setBlocking(blocking: boolean): void {
    if (this._blocking === blocking || this._closed) return;
    this._setup.broker.setBlocking(this._fd, blocking);
    this._blocking = blocking;
    const next = this._otherModeIo ?? (blocking ? createFsDescriptorIo(this._fd) : createDescriptorIo(this._fd));
    this._otherModeIo = this._io;
    this._io = next;
  }

  /** True while the broker thread watches this idle connection for us. */
  get isWatched(): boolean {
    return this._watched;
  }

  /**
   * One receive attempt: a message, {@link WOULD_BLOCK} when nothing is there yet (non-blocking
   * descriptors), or {@link END_OF_STREAM}. On a blocking descriptor the read parks until data.
   *
   * An empty poll of a socket is still a system call (1-2 µs through WASI). Callers that poll many
   * connections pass `watchAfterIdlePolls`: after that many empty polls in a row the connection is
   * handed to the broker thread, which watches it with its event loop, and until the broker reports
   * bytes an attempt costs one atomic load instead of a system call.
   * @throws NetError a decode error (the next call goes on), or the reason the connection failed
   */
  recvOnce(watchAfterIdlePolls = Infinity): RecvResult<Recv> {
    if (this._watched && !this._takeWatchReport()) return WOULD_BLOCK;
    for (;;) {
      const message = this._nextDecoded();
      if (message !== undefined) return message;
      if (this._closed) {
        if (this._reason !== undefined) throw this._reason;
        return END_OF_STREAM;
      }
      const accumulator = this._reader.accumulator;
      const room = accumulator.reserve();
      let count: number;
      try {
        count = this._readSome(accumulator.buffer, accumulator.end, room);
      } catch (error) {
        this.close(error as NetError);
        throw error;
      }
      if (count === WOULD_BLOCK_IO) {
        if (++this._idlePolls >= watchAfterIdlePolls) this._startWatch();
        return WOULD_BLOCK;
      }
      this._idlePolls = 0;
      if (count === 0) {
        this._endOfStream();
        continue;
      }
      accumulator.commit(count);
    }
  }

  /**
   * Takes bytes that arrived another way (a watch report) as if they had been read: whole frames
   * in them are decoded in place, only a frame cut at their end is copied.
   */
  feed(bytes: Uint8Array): void {
    this._reader.accumulator.push(bytes);
  }

  /** Marks the stream ended (a watch report of end of stream). */
  endOfStream(): void {
    this._endOfStream();
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

  /**
   * Decodes what is already buffered, without reading: a message, or `undefined`. For callers
   * that must not read (a blocking descriptor that would park the thread).
   * @throws NetError a decode error, or the reason the connection failed once nothing is left
   */
  decodeBuffered(): Recv | undefined {
    return this._nextDecoded();
  }

  /** Hands the descriptor to the broker to watch now (no read first); see {@link takeWatchReport}. */
  watch(): void {
    if (!this._watched && !this._closed) this._startWatch();
  }

  /**
   * Moves the handshake forward by what has arrived, without waiting: true once it succeeded,
   * false while it goes on. `watchAfterIdlePolls` as in {@link recvOnce}.
   * @throws NetError `NET_ERR_HANDSHAKE` when it failed (the connection is closed then)
   */
  stepHandshake(watchAfterIdlePolls = Infinity): boolean {
    let failure: NetError | undefined;
    try {
      while (this.driver.state === 'handshaking') {
        const result = this.recvOnce(watchAfterIdlePolls);
        if (result === WOULD_BLOCK || result === END_OF_STREAM) break;
        // Only a message after the handshake is ever returned here: it is the user's.
        this.unread(result);
      }
    } catch (error) {
      failure = error as NetError;
    }
    const state = this.driver.state;
    if (state === 'ready' && !this._closed) return true;
    if (state === 'handshaking' && !this._closed && failure === undefined) return false;
    throw this.failHandshake(failure);
  }

  /**
   * Closes a connection whose handshake did not succeed and returns the error to throw: the
   * handshake's own `NET_ERR_HANDSHAKE`, or one that wraps what ended it (`failure`, or the close).
   */
  failHandshake(failure?: NetError): NetError {
    const reason = failure ?? this._reason;
    this.close(new NetError(ErrorCode.HANDSHAKE, `${String(this.conId)}: handshake failed`, { cause: reason }));
    if (reason?.code === ErrorCode.HANDSHAKE) return reason;
    return new NetError(ErrorCode.HANDSHAKE, `${String(this.conId)}: handshake failed${reason === undefined ? ' (peer closed)' : `: ${reason.message}`}`, { cause: reason });
  }

  /** Ends a watch in progress, taking in what the broker read before it stopped. */
  unwatch(): void {
    if (!this._watched) return;
    this._setup.broker.unwatch(this._fd);
    this._watchSeen = -1;
    if (!this._takeWatchReport()) this._watched = false;
  }

  /**
   * Takes the watch report in if it has come: true when the watch is over (bytes fed, or the end
   * seen) and the descriptor may be read directly again.
   */
  takeWatchReport(): boolean {
    return !this._watched || this._takeWatchReport();
  }

  private _startWatch(): void {
    this._watched = true;
    this._idlePolls = 0;
    this._watchSeen = this._setup.broker.eventCount;
    this._setup.broker.watch(this._fd);
  }

  /** True when the watch has ended (its report was taken in); false while it goes on. */
  private _takeWatchReport(): boolean {
    const broker = this._setup.broker;
    const seen = broker.eventCount;
    // One atomic load while nothing happened anywhere: no port read, no system call. Now and
    // then (by count, so a busy poll loop pays for no clock) the broker thread is looked for too:
    // one ended without its exit handler would otherwise leave this watch waiting forever.
    if (seen === this._watchSeen) {
      if ((++this._idlePolls & WATCH_POLLS_PER_LIVENESS_CHECK) === 0) broker.checkStopped();
      return false;
    }
    this._watchSeen = seen;
    const report = broker.takeWatchReport(this._fd);
    if (report === undefined) return false;
    this._watched = false;
    if (report.kind === 'data') this.feed(report.bytes);
    else if (report.kind === 'eof') this._endOfStream();
    else if (broker.stopped) this._brokerStopped();
    // The connection failed while the broker watched it (a reset): it ends with that reason.
    else this.close(fromSocketError(Object.assign(new Error(report.message), { code: report.code }), 'read'));
    return true;
  }

  /**
   * Gives back a message that a handshake's wait received after the handshake completed, so that
   * the next receive returns it before anything else.
   */
  unread(message: Recv): void {
    this._heldBack = { message };
  }

  private _nextDecoded(): Recv | undefined {
    const held = this._heldBack;
    if (held !== undefined) {
      this._heldBack = undefined;
      return held.message;
    }
    for (;;) {
      let message: Recv | undefined;
      try {
        message = this._reader.next();
      } catch (error) {
        const netError = error as NetError;
        if (netError.code !== ErrorCode.DECODE) this.close(netError);
        throw netError;
      }
      if (message === undefined) return undefined;
      let deliver: boolean;
      try {
        deliver = this.driver.received(message);
      } catch (error) {
        this.close(error as NetError);
        throw error;
      }
      if (deliver) return message;
    }
  }

  private _endOfStream(): void {
    const pending = this._reader.accumulator.pending;
    // The peer is gone, so there are no last words; a clean end is still a clean end.
    this._finish(
      pending > 0
        ? new NetError(ErrorCode.TRUNCATED, `${String(this.conId)}: the stream ended inside a frame (${pending} bytes dropped)`, { details: { pendingBytes: pending } })
        : undefined,
    );
  }

  private _finish(reason: NetError | undefined): void {
    if (this._closed) return;
    this._closed = true;
    this._watched = false;
    this._reason ??= reason;
    this._reader.accumulator.clear();
    this._sender.release();
    this._setup.broker.close(this._fd);
    this._fd = -1;
    // Its WASI streams are this descriptor's number, which the system may now give to another.
    this._io = undefined;
    this._otherModeIo = undefined;
    this.driver.closed(this._reason);
    for (const listener of this._closedListeners.splice(0)) listener();
  }

  /**
   * The broker thread exited and its sockets closed with it: this descriptor's number is free and
   * may already name another file, so it must never be read or written again. One atomic load per
   * call keeps that true.
   */
  private _brokerStopped(): NetError {
    const error = new NetError(ErrorCode.CLOSED, `${String(this.conId)}: the socket broker thread stopped and its sockets closed with it`);
    this._finish(error);
    return error;
  }

  /** The broker thread that handed this descriptor over and alone closes it. */
  get broker(): SocketBroker {
    return this._setup.broker;
  }

  private _closedError(): NetError {
    return new NetError(ErrorCode.CLOSED, `${String(this.conId)} is closed`, { cause: this._reason });
  }
}
