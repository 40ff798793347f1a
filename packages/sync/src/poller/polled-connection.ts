import {
  type Codec,
  ErrorCode,
  type FrameSlice,
  FrameInbox,
  framerFromDescription,
  type InboxProducer,
  NetError,
} from '@net/core';
import { END_OF_STREAM, WOULD_BLOCK } from '../status.js';
import type { SyncConnection } from '../sync-connection.js';
import { adoptHalf } from '../transfer/half-transfer.js';
import { SharedHold } from '../transfer/shared-hold.js';
import { ConsumerLiveness } from './consumer-liveness.js';
import { PollerBeat } from './poller-beat.js';
import type { AddCommand } from './poller-control.js';

/** Empty reads in a row after which a connection is watched (one poll of many descriptors) instead of read. */
const WATCH_AFTER_IDLE_POLLS = 4;

/**
 * What one turn of {@link PolledConnection.pump} came to: frames went into the inbox (`moved`),
 * nothing was there to read (`idle`), the inbox is full and a frame waits for room, the connection
 * unread meanwhile (`stalled`), or the connection and its inbox are done with: ended, failed, or
 * the consumer closed (`done`).
 */
export type Pump = 'moved' | 'idle' | 'stalled' | 'done';

/**
 * One connection the poller thread reads: its adopted receiving half, read with a codec whose
 * "messages" are the frames' bodies as the framer cuts them (lent in place, never copied into an
 * object), and the producer side of the consumer's inbox they are copied into.
 */
export class PolledConnection {
  private readonly _connection: SyncConnection<never, FrameSlice>;
  private readonly _producer: InboxProducer;
  private readonly _consumer: ConsumerLiveness;
  // A frame the inbox had no room for: still in the connection's buffer, which is not read again
  // until it went in, so nothing is dropped or reordered and TCP pushes back on the peer.
  private _pending: FrameSlice | undefined;
  // The connection's heartbeat and peer-silence check, when its protocol has them.
  private readonly _beat: PollerBeat | undefined;
  private readonly _writeBeat = (bytes: Uint8Array, offset: number, length: number): number =>
    this._connection.writeSome(bytes, offset, length);

  /**
   * Adopts the half in `command` on this thread.
   * @throws NetError as `adoptHalf` and `framerFromDescription` (the inbox is failed with it first)
   */
  constructor(command: AddCommand) {
    this._producer = FrameInbox.attach(command.inbox, 'producer');
    this._consumer = new ConsumerLiveness(command.inbox);
    try {
      const framer = framerFromDescription(command.framer);
      const codec: Codec<never, FrameSlice> = {
        framer,
        borrowsFrame: true,
        usesView: false,
        encode() {
          throw new NetError(ErrorCode.UNSUPPORTED, 'a polled connection only receives');
        },
        decode: (frame) => frame,
      };
      this._connection = adoptHalf<never, FrameSlice>(command.transfer, 'receiver', { codec }).connection;
      const heartbeat = command.transfer.heartbeat;
      const shared = new SharedHold(command.transfer.state);
      this._beat = typeof heartbeat === 'object' ? new PollerBeat(heartbeat, shared) : undefined;
      if (this._beat !== undefined) shared.takeBeats();
    } catch (error) {
      this._producer.fail(asNetError(error));
      throw error;
    }
  }

  /** True while the connection is read directly (not watched, not waiting for room). */
  get readable(): boolean {
    return this._pending === undefined && !this._connection.isWatched;
  }

  /** Hands the idle descriptor to the host's watch, so a parked thread wakes when bytes come. */
  watch(): void {
    if (this._pending === undefined) this._connection.watch();
  }

  /** Milliseconds from `now` (`sharedClock()`) until the heartbeat needs a turn; Infinity without one. */
  dueIn(now: number): number {
    return this._beat === undefined ? Number.POSITIVE_INFINITY : this._beat.dueIn(now);
  }

  /**
   * Writes the heartbeat if due at `now` (`sharedClock()`), moves up to `budget` frames from the
   * connection into the inbox, then checks the peer's silence.
   */
  pump(budget: number, now: number): Pump {
    // A consumer whose thread was ended from outside never closes its side: it is gone all the same.
    if (this._producer.consumerClosed || this._consumer.gone(now)) return this._drop();
    const beat = this._beat;
    if (beat !== undefined) {
      try {
        beat.beat(now, this._writeBeat);
      } catch (error) {
        return this._fail(asNetError(error));
      }
    }
    const turn = this._read(budget);
    // The turn's frames were staged: one store of the inbox's cursor shows them all to the consumer.
    if (turn !== 'done') this._producer.publish();
    if (beat === undefined || turn === 'done') return turn;
    // A stalled connection is not read, so its peer's silence cannot be told: it counts as heard.
    if (turn !== 'idle') beat.received(now);
    const silent = beat.silence(now, this._connection.conId);
    if (silent === undefined) return turn;
    // As on the connection's own thread: the connection ends for every thread that holds it,
    // before the consumer hears of it, so a send made on the news fails too.
    this._connection.close(silent);
    this._producer.fail(silent);
    return this._drop();
  }

  private _read(budget: number): Pump {
    const producer = this._producer;
    let moved = false;
    const pending = this._pending;
    if (pending !== undefined) {
      const wrote = this._write(pending);
      if (wrote !== true) return wrote;
      this._pending = undefined;
      moved = true;
    }
    for (let i = 0; i < budget; i++) {
      let got: FrameSlice | typeof WOULD_BLOCK | typeof END_OF_STREAM;
      try {
        got = this._connection.recvOnce(WATCH_AFTER_IDLE_POLLS);
      } catch (error) {
        return this._fail(asNetError(error));
      }
      if (got === WOULD_BLOCK) return moved ? 'moved' : 'idle';
      if (got === END_OF_STREAM) {
        producer.close();
        return this._drop();
      }
      const wrote = this._write(got);
      if (wrote !== true) {
        if (wrote === 'stalled') this._pending = got;
        return wrote;
      }
      moved = true;
    }
    return 'moved';
  }

  /** Ends the inbox with `error` and lets go of the connection (the poller closes). */
  stop(error: NetError): void {
    this._producer.fail(error);
    this._drop();
  }

  private _write(frame: FrameSlice): true | 'stalled' | 'done' {
    try {
      return this._producer.tryStage(frame.bytes, frame.offset, frame.length) ? true : 'stalled';
    } catch (error) {
      // The consumer closed, or a frame over the inbox's maxFrameBytes: the stream cannot go on.
      if (this._producer.consumerClosed) return this._drop();
      return this._fail(asNetError(error));
    }
  }

  private _fail(error: NetError): 'done' {
    this._producer.fail(error);
    return this._drop();
  }

  /** Lets go of this thread's hold; the descriptor closes once no thread holds it. */
  private _drop(): 'done' {
    this._pending = undefined;
    this._beat?.stop();
    this._producer.close();
    this._connection.letGo();
    return 'done';
  }
}

function asNetError(error: unknown): NetError {
  if (NetError.isNetError(error)) return error;
  return new NetError(ErrorCode.SOCKET, `polled connection failed: ${String(error)}`, { cause: error });
}
