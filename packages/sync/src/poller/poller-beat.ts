import { ErrorCode, NetError } from '@net/core';
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
 */
export class PollerBeat {
  private readonly _beat: HeartbeatTransfer;
  private readonly _shared: SharedHold;
  private readonly _silenceMs: number;
  private _lastRecvAt: number;
  // Bytes of a beat already written while the socket was full (-1: no beat in progress). The
  // write lock stays taken until the rest is written, so no other frame lands inside it.
  private _written = -1;

  constructor(beat: HeartbeatTransfer, shared: SharedHold) {
    this._beat = beat;
    this._shared = shared;
    this._silenceMs = beat.intervalMs * beat.silenceIntervals;
    this._lastRecvAt = sharedClock();
  }

  /** Bytes came from the peer at `now` ({@link sharedClock}). */
  received(now: number): void {
    this._lastRecvAt = now;
  }

  /**
   * Beats when due and checks the peer's silence at `now`: the error that ends the connection, or
   * `undefined`. Sets {@link dueIn}.
   * @throws NetError from `write` (the connection failed)
   */
  tick(now: number, write: BeatWrite, conId: string): NetError | undefined {
    const beat = this._beat;
    const silentMs = (now - this._lastRecvAt) | 0;
    if (this._silenceMs > 0 && silentMs > this._silenceMs) {
      if (this._written >= 0) this._shared.abandonWrite();
      this._written = -1;
      return new NetError(
        ErrorCode.PEER_SILENT,
        `${conId}: nothing received for ${silentMs} ms (limit ${this._silenceMs} ms)`,
        { details: { conId, silentMs, limitMs: this._silenceMs } },
      );
    }
    if (this._written < 0 && beat.frame.length > 0 && ((now - this._shared.lastSendAt) | 0) >= beat.intervalMs) {
      // Taken by a thread in the middle of a frame: that frame is a send, so no beat is due.
      if (this._shared.tryLockWrite()) this._written = 0;
    }
    if (this._written >= 0) {
      const frame = beat.frame;
      this._written += write(frame, this._written, frame.length - this._written);
      if (this._written === frame.length) {
        this._written = -1;
        this._shared.unlockWrite(now);
      }
    }
    return undefined;
  }

  /**
   * Milliseconds from `now` until this connection needs its next {@link tick}: the next beat or
   * silence check, at least 1 (1 too while a beat waits for room in the socket).
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
