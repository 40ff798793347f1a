import { type Codec, ErrorCode, MessageWriter, NetError } from '@net/core';
import type { InboundWhileSending } from './ready-wait.js';
import { SendBatch } from './send-batch.js';
import { type IdleStrategy, idleStep } from './status.js';
import { sharedClock } from './transfer/shared-clock.js';
import type { SharedHold } from './transfer/shared-hold.js';

/**
 * Failed attempts of a spinning, unbounded send between two reads of the clock: at a few µs per
 * attempt (a write and a read), the stall limit is still checked every few hundred µs.
 */
const CLOCK_EVERY = 64;

/** The messages of a write without hooks: none are kept, so this one stays empty and is shared. */
const NO_FINALS = new SendBatch<never>();

/** First size of a connection's output buffer, in bytes; it grows up to `maxBatchBytes`. */
const INITIAL_CAPACITY = 4096;

/** What a {@link FrameSender} needs of its connection: the descriptor's writes and its mode. */
export interface SenderPort<Send> {
  /** The connection's id, for error messages. */
  readonly conId: { toString(): string };
  /** True while the descriptor is in blocking mode (a write parks until the kernel takes bytes). */
  readonly isBlocking: boolean;
  /** Bytes written, 0 when the socket takes none now. @throws NetError when the connection is gone */
  writeSome(bytes: Uint8Array, offset: number, length: number): number;
  /** Puts the descriptor in blocking mode. */
  setBlocking(blocking: true): void;
  /** Runs due timer tasks while a frame waits. */
  pollTimers(): void;
  /**
   * Takes in what the peer sent while a send waits for room (`'stopped'` where the read side is
   * not this thread's); see `ReadSide.readWhileSending`.
   */
  readWhileSending(): InboundWhileSending;
  /** Parks until the descriptor has room or bytes to read; false when its host cannot park so. */
  waitWritableOrReadable(): boolean;
  /** The protocol's hooks around each frame (the connection's `ConnectionDriver`). */
  readonly driver: SendHooks<Send>;
  /** Ends the connection after a send that failed midway (the stream can no longer be trusted). */
  close(reason: NetError): void;
}

/** The protocol's hooks a send runs, in the order the `ConnectionDriver` defines. */
export interface SendHooks<Send> {
  /** False when none of the hooks below does anything: a send then skips them, per batch. */
  readonly hasSendHooks: boolean;
  beforeSend(message: Send): Send;
  afterSent(message: Send): void;
  afterWouldBlock(message: Send): void;
  afterSendError(message: Send, error: NetError): void;
}

/** Limits of a {@link FrameSender}. */
export interface FrameSenderOptions {
  /** Largest frame or batch encoded at once, in bytes. */
  readonly maxBatchBytes: number;
  /** How long the peer may take no byte of a waiting frame, in ms, before `NET_ERR_BACKPRESSURE`. */
  readonly writeStallTimeout: number;
  /** How a send waits between attempts on a full socket. */
  readonly idleStrategy: IdleStrategy;
}

/**
 * The write side of one synchronous connection. Frames are encoded once into one reused buffer
 * and written whole: a would-block send writes none of its frames, and a frame written in part is
 * always finished, because half a frame on the wire would corrupt the stream for every later
 * message. What bounds that is the write stall limit: once the peer has taken no byte of a waiting
 * frame for `writeStallTimeout`, across calls, the send fails with `NET_ERR_BACKPRESSURE` and the
 * connection ends. A synchronous connection queues nothing, so without it a peer that stops
 * reading would hold the thread forever.
 *
 * A send that must wait takes in what the peer sent meanwhile, where this thread reads the
 * connection too: two peers that each stream to the other on one thread would otherwise both wait
 * to finish a frame that only the other's next read lets through.
 */
export class FrameSender<Send> {
  private readonly _port: SenderPort<Send>;
  private readonly _options: FrameSenderOptions;
  private readonly _writer: MessageWriter<Send>;
  // The messages of the write in progress, as the protocol's onSend made them (reused).
  private readonly _finals = new SendBatch<Send>();
  private _finalsInUse = false;
  // When the peer last stopped taking bytes of a waiting frame (-1: it takes them), across calls.
  private _stalledSince = -1;
  // Set once the connection is shared across threads: every write then takes the shared write lock.
  private _shared: SharedHold | undefined;

  constructor(codec: Codec<Send, unknown>, port: SenderPort<Send>, options: FrameSenderOptions) {
    this._port = port;
    this._options = options;
    // A limit below the usual first capacity (it may be as low as 64 bytes) caps that too.
    this._writer = new MessageWriter(codec, {
      initialCapacity: Math.min(INITIAL_CAPACITY, options.maxBatchBytes),
      maxBytes: options.maxBatchBytes,
    });
  }

  /**
   * Writes `message`, retrying a full socket until `deadline` (a `performance.now()` time; `-1` for
   * one attempt, `Infinity` for no bound). With `parkWhenFull`, a non-blocking descriptor that
   * finds the socket full is switched to blocking mode, so the rest is written by a parked `write`.
   * @returns true when the whole frame was written, false when none of it could be
   */
  send(message: Send, deadline: number, parkWhenFull: boolean): boolean {
    // Through the hooks whatever they are: a send of one message without them skips little, and
    // on Node 26 its own path there boxed `deadline` once per send where the caller was inlined.
    const finals = this._takeFinals();
    this._encode(message, finals);
    return this._flush(finals, deadline, parkWhenFull);
  }

  /** Writes `messages` as one write where the socket takes it, with the rules of {@link send}. */
  sendMany(messages: readonly Send[], deadline: number, parkWhenFull: boolean): boolean {
    if (!this._port.driver.hasSendHooks) {
      this._encodeAllBare(messages);
      return this._flush(NO_FINALS, deadline, parkWhenFull);
    }
    const finals = this._takeFinals();
    // Indexed: an iterator's result objects are garbage per frame until the JIT removes them.
    for (let i = 0; i < messages.length; i++) this._encode(messages[i], finals);
    return this._flush(finals, deadline, parkWhenFull);
  }

  /**
   * From now on every frame or batch is written under `shared`'s write lock, and its end is noted
   * in `shared`'s last-send word: another thread (a poller's heartbeat) writes to this descriptor too.
   */
  shareWrites(shared: SharedHold): void {
    this._shared = shared;
  }

  /** Gives the output buffer back to its pool (the connection closed). */
  release(): void {
    this._writer.release();
  }

  // A hook run after a write may send again: it gets a batch of its own.
  private _takeFinals(): SendBatch<Send> {
    if (this._finalsInUse) return new SendBatch<Send>();
    this._finalsInUse = true;
    this._finals.clear();
    return this._finals;
  }

  private _done(finals: SendBatch<Send>): void {
    this._writer.out.clear();
    if (finals === this._finals) this._finalsInUse = false;
  }

  private _encode(message: Send, finals: SendBatch<Send>): void {
    const hooks = this._port.driver;
    const final = hooks.beforeSend(message);
    try {
      this._writer.write(final);
    } catch (error) {
      this._done(finals);
      hooks.afterSendError(final, error as NetError);
      throw error;
    }
    finals.push(final);
  }

  // One try for the whole batch: a frame that fails leaves none of the batch in the buffer.
  private _encodeAllBare(messages: readonly Send[]): void {
    const writer = this._writer;
    try {
      for (let i = 0; i < messages.length; i++) writer.write(messages[i]);
    } catch (error) {
      writer.out.clear();
      throw error;
    }
  }

  /** Writes what {@link _encode} put in the buffer; afterwards the buffer is empty again. */
  private _flush(finals: SendBatch<Send>, deadline: number, parkWhenFull: boolean): boolean {
    const port = this._port;
    const out = this._writer.out;
    const total = out.position;
    const shared = this._shared;
    // A connection on one thread takes no lock: one check, no atomic.
    let locked = shared === undefined;
    let written = 0;
    try {
      for (let attempt = 0; ; attempt++) {
        // Another thread's frame in progress counts as a full socket: nothing is written yet.
        if (!locked) locked = (shared as SharedHold).tryLockWrite();
        const count = locked ? port.writeSome(out.bytes, written, total - written) : 0;
        written += count;
        if (count > 0) this._stalledSince = -1;
        if (written === total) break;
        if (count === 0 && parkWhenFull && !port.isBlocking) {
          // A parked write could not read: while there is room for what the peer sends, the
          // thread parks until the socket has room or bytes instead, and takes the bytes in.
          const inbound = port.readWhileSending();
          if (inbound === 'read') continue;
          if (inbound === 'nothing') {
            if (!port.waitWritableOrReadable()) idleStep('spin-park', attempt);
            continue;
          }
          port.setBlocking(true);
          // A descriptor other threads use stays non-blocking: this send waits as a bounded one.
          if (port.isBlocking) continue;
        }
        // An unbounded send that spins reads the clock (for the stall limit) once per CLOCK_EVERY
        // attempts: each read boxes its result, garbage per attempt while the socket is full.
        const timed = deadline !== Infinity || this._options.idleStrategy !== 'spin' || attempt % CLOCK_EVERY === 0;
        const now = timed ? performance.now() : 0;
        if (count === 0 && timed) this._checkStall(now, total - written);
        if (written === 0 && deadline !== Infinity && now >= deadline) {
          if (shared !== undefined && locked) shared.abandonWrite();
          this._done(finals);
          for (let i = 0; i < finals.length; i++) port.driver.afterWouldBlock(finals.at(i));
          return false;
        }
        // A partial frame is finished whatever the deadline says.
        port.pollTimers();
        // Bytes taken in may be what lets the peer take ours: try again at once.
        if (port.readWhileSending() !== 'read') idleStep(this._options.idleStrategy, attempt);
      }
    } catch (error) {
      // Half a frame may be on the wire: the connection closes, and the lock goes with it.
      if (shared !== undefined && locked) shared.abandonWrite();
      this._done(finals);
      const netError = error as NetError;
      for (let i = 0; i < finals.length; i++) port.driver.afterSendError(finals.at(i), netError);
      port.close(netError);
      throw netError;
    }
    if (shared !== undefined) shared.unlockWrite(sharedClock());
    out.clear();
    try {
      for (let i = 0; i < finals.length; i++) port.driver.afterSent(finals.at(i));
    } finally {
      if (finals === this._finals) this._finalsInUse = false;
    }
    return true;
  }

  /**
   * The first attempt that writes nothing starts the clock (a refused send keeps it running into
   * later calls; any byte taken stops it); past `writeStallTimeout` the send fails.
   */
  private _checkStall(now: number, unwritten: number): void {
    if (this._stalledSince < 0) {
      this._stalledSince = now;
      return;
    }
    const limit = this._options.writeStallTimeout;
    if (now - this._stalledSince < limit) return;
    throw new NetError(
      ErrorCode.BACKPRESSURE,
      `${String(this._port.conId)}: the peer took no byte for ${limit} ms while a frame waited to be written (writeStallTimeout)`,
      {
        details: { writeStallTimeoutMs: limit, unwrittenBytes: unwritten },
      },
    );
  }
}
