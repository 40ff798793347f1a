import { type ConId, ErrorCode, NetError } from '@net/core';
import type { HeartbeatTransfer } from '../transfer/heartbeat-transfer.js';
import { sharedClock } from '../transfer/shared-clock.js';
import type { SharedHold } from '../transfer/shared-hold.js';

/** Writes bytes to the connection: how many the socket took (0 when full). */
export type BeatWrite = (bytes: Uint8Array, offset: number, length: number) => number;

/**
 * The heartbeat of one polled connection, run by the poller thread so that it never waits for the
 * thread that sends: a beat (the bytes the giving thread encoded) once no thread has written a
 * frame for an interval, under the connection's shared write lock, and `NET_ERR_PEER_SILENT` once
 * nothing came from the peer for `silenceIntervals` intervals. Times are on the
 * {@link sharedClock}, which every thread reads alike.
 *
 * Beats keep to a schedule: a beat written late is recorded as sent when it was due, so the next
 * one is due an interval after that, not an interval after the late write. Timed from the write,
 * every wake-up that comes a little late (a park rounded up, a thread scheduled late) would push
 * all later beats back, and the gaps the peer sees would grow past the interval it expects.
 */
export class PollerBeat {
  private readonly _beat: HeartbeatTransfer;
  private readonly _shared: SharedHold;
  private readonly _silenceMs: number;
  private _lastRecvAt: number;
  // Bytes of a beat already written while the socket was full (-1: no beat in progress). The
  // write lock stays taken until the rest is written, so no other frame lands inside it.
  private _written = -1;
  // When the beat in progress was due: what its write is recorded as, if it is not an interval late.
  private _dueAt = 0;

  /** `now`: when the connection was handed over ({@link sharedClock}); its peer's silence counts from here. */
  constructor(beat: HeartbeatTransfer, shared: SharedHold, now: number = sharedClock()) {
    this._beat = beat;
    this._shared = shared;
    this._silenceMs = beat.intervalMs * beat.silenceIntervals;
    this._lastRecvAt = now;
  }

  /** Bytes came from the peer at `now` ({@link sharedClock}). */
  received(now: number): void {
    this._lastRecvAt = now;
  }

  /**
   * Writes the beat, or the rest of it, when due at `now`: before the connection's frames are
   * read, so a busy connection's reads never hold a beat back.
   * @throws NetError from `write` (the connection failed)
   */
  beat(now: number, write: BeatWrite): void {
    const beat = this._beat;
    if (this._written < 0 && beat.frame.length > 0) {
      const dueAt = (this._shared.lastSendAt + beat.intervalMs) | 0;
      // Taken by a thread in the middle of a frame: that frame is a send, so no beat is due.
      if (((now - dueAt) | 0) >= 0 && this._shared.tryLockWrite()) {
        this._written = 0;
        this._dueAt = dueAt;
      }
    }
    if (this._written < 0) return;
    const frame = beat.frame;
    this._written += write(frame, this._written, frame.length - this._written);
    if (this._written < frame.length) return;
    this._written = -1;
    // More than an interval behind (the thread did not run for that long): the schedule starts
    // again from now rather than send the missed beats back to back.
    const late = ((now - this._dueAt) | 0) >= beat.intervalMs;
    this._shared.unlockWrite(late ? now : this._dueAt);
  }

  /**
   * Checks the peer's silence at `now`, after the connection was read: the error that ends the
   * connection, or `undefined`.
   */
  silence(now: number, conId: ConId): NetError | undefined {
    const silentMs = (now - this._lastRecvAt) | 0;
    if (this._silenceMs === 0 || silentMs <= this._silenceMs) return undefined;
    this.stop();
    const id = String(conId);
    return new NetError(
      ErrorCode.PEER_SILENT,
      `${id}: nothing received for ${silentMs} ms (limit ${this._silenceMs} ms)`,
      { details: { conId: id, silentMs, limitMs: this._silenceMs } },
    );
  }

  /**
   * Milliseconds from `now` until this connection needs its next turn: the next beat's due time
   * or silence check, at least 1 (1 too while a beat waits for room in the socket). The poller's
   * park ends then.
   */
  dueIn(now: number): number {
    if (this._written >= 0) return 1;
    const interval = this._beat.intervalMs;
    const nextBeat = this._beat.frame.length > 0 ? interval - ((now - this._shared.lastSendAt) | 0) : interval;
    const nextCheck =
      this._silenceMs > 0 ? this._silenceMs + 1 - ((now - this._lastRecvAt) | 0) : Number.POSITIVE_INFINITY;
    return Math.max(1, Math.min(nextBeat, nextCheck));
  }

  /** Gives the lock back if a beat was cut short (the connection is let go). */
  stop(): void {
    if (this._written >= 0) this._shared.abandonWrite();
    this._written = -1;
  }
}
