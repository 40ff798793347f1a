import { fromSocketError, type NetError } from '@net/core';
import { brokerStoppedError } from './brokered-descriptor.js';
import type { SocketBroker, WatchReport } from './socket-broker.js';

/** What an {@link IdleWatch} uses of the broker thread (a `SocketBroker`, or a stand-in for one). */
export type WatchBroker = Pick<
  SocketBroker,
  'eventCount' | 'stopped' | 'watch' | 'unwatch' | 'takeWatchReport' | 'checkStopped'
>;

/** What an {@link IdleWatch} tells its connection when the watch reports. */
export interface WatchedConnection {
  /** The connection's id, for error messages. */
  readonly conId: { toString(): string };
  /** Takes the bytes the broker read as if they had been read from the descriptor. */
  feed(bytes: Uint8Array): void;
  /** As {@link feed}, for `bytes[offset, offset + length)` of a buffer written again next: copies them. */
  feedCopy(bytes: Uint8Array, offset: number, length: number): void;
  /** The peer ended the stream. */
  endOfStream(): void;
  /** Ends the connection with `reason`. */
  close(reason: NetError): void;
}

const now = (): number => performance.now();

/** Mask of idle polls of a watched descriptor between two looks for the broker thread (every 1,024th). */
const WATCH_POLLS_PER_LIVENESS_CHECK = 1_023;

/**
 * The idle watch of one connection's descriptor. An empty poll of a socket is still a system call
 * (1-2 µs through WASI); a connection that keeps finding nothing is handed to the broker thread,
 * which watches the descriptor with its event loop and reports the first bytes, the end of the
 * stream, or an error. Until the broker posts something, asking whether the watch has ended costs
 * one atomic load instead of a system call, and a parked thread can wait on the broker's event
 * count to be woken by the report.
 *
 * The report is handed on to the connection: bytes to decode, the end of the stream, or a failure
 * (a reset while watched, or the broker thread gone and the descriptor with it).
 */
export class IdleWatch {
  private readonly _broker: WatchBroker;
  private readonly _fd: number;
  private readonly _connection: WatchedConnection;
  // Before a watch: empty polls in a row. During one: looks at it since it began (for the
  // occasional liveness check of the broker thread).
  private _polls = 0;
  private _active = false;
  // The broker's event count at the last look: while it is unchanged nothing was posted anywhere.
  private _seen = -1;
  // When the run of empty polls began (ms, the clock's), for a watch that waits a time.
  private _idleSince = 0;
  private readonly _clock: () => number;

  /** `clock` (ms) is `performance.now` but in tests. */
  constructor(broker: WatchBroker, fd: number, connection: WatchedConnection, clock: () => number = now) {
    this._broker = broker;
    this._fd = fd;
    this._connection = connection;
    this._clock = clock;
  }

  /** True while the broker thread watches the descriptor (it must not be read directly then). */
  get active(): boolean {
    return this._active;
  }

  /**
   * A read found nothing: the `limit`th such read in a row starts the watch, once the first of
   * them is at least `afterMs` ago (0: at once). A count alone hands a connection over sooner the
   * faster its caller goes round, though its peer answers no sooner; a watch costs the broker
   * thread a read and two messages, many empty reads. The clock is read at the first empty read
   * and from the `limit`th on, not at each one.
   */
  idlePoll(limit: number, afterMs = 0): void {
    const polls = ++this._polls;
    if (polls === 1 && afterMs > 0) this._idleSince = this._clock();
    if (polls >= limit && (afterMs <= 0 || this._clock() - this._idleSince >= afterMs)) this.start();
  }

  /** A read found bytes or the end of the stream: the run of empty polls is over. */
  sawActivity(): void {
    this._polls = 0;
  }

  /** Hands the descriptor to the broker thread to watch now. */
  start(): void {
    this._active = true;
    this._polls = 0;
    this._seen = this._broker.eventCount;
    this._broker.watch(this._fd);
  }

  /**
   * Looks for the broker's report on an active watch and hands it to the connection: true once the
   * watch is over (the descriptor is read directly again), false while it goes on.
   */
  takeReport(): boolean {
    const broker = this._broker;
    const seen = broker.eventCount;
    // One atomic load while nothing happened anywhere: no port read, no system call. Now and
    // then (by count, so a busy poll loop pays for no clock) the broker thread is looked for too:
    // one ended without its exit handler would otherwise leave this watch waiting forever.
    if (seen === this._seen) {
      if ((++this._polls & WATCH_POLLS_PER_LIVENESS_CHECK) === 0) broker.checkStopped();
      return false;
    }
    this._seen = seen;
    const report = broker.takeWatchReport(this._fd);
    if (report === undefined) return false;
    this._active = false;
    this._handOn(report);
    return true;
  }

  /**
   * Ends an active watch. A report the broker posted before it stopped watching still goes to the
   * connection: the bytes in it were taken from the descriptor and must not be lost.
   */
  stop(): void {
    if (!this._active) return;
    // Still active if the broker does not answer: the watch may yet report.
    this._broker.unwatch(this._fd);
    this._active = false;
    // The broker answers after any report it posted first, so that report is here by now.
    const report = this._broker.takeWatchReport(this._fd);
    if (report !== undefined) this._handOn(report);
  }

  /** Forgets the watch without asking the broker: the descriptor is being handed back to it. */
  cancel(): void {
    this._active = false;
  }

  private _handOn(report: WatchReport): void {
    const connection = this._connection;
    if (report.kind === 'shared') {
      try {
        connection.feedCopy(report.bytes, report.offset, report.length);
      } finally {
        report.release();
      }
    } else if (report.kind === 'data') connection.feed(report.bytes);
    else if (report.kind === 'eof') connection.endOfStream();
    else if (this._broker.stopped) connection.close(brokerStoppedError(connection.conId));
    // The connection failed while the broker watched it (a reset): it ends with that reason.
    else connection.close(fromSocketError(Object.assign(new Error(report.message), { code: report.code }), 'read'));
  }
}
