import { ErrorCode } from '../errors/error-codes.js';
import { NetError } from '../errors/net-error.js';
import { DEFAULT_PEER_SILENCE_INTERVALS } from '../limits.js';
import type { DriverScheduler } from './driver-options.js';
import { protocolError } from './hook-errors.js';
import type { Protocol, ProtocolSender } from './protocol.js';

/**
 * The heartbeats of one connection whose protocol has a `heartbeatInterval`: a beat when the send
 * side has been idle for a whole interval, and `NET_ERR_PEER_SILENT` when the peer has sent
 * nothing for `peerSilenceIntervals` intervals.
 *
 * One pending task per connection: it fires when the send side has been idle for a whole interval
 * (it is pushed back, not repeated, while traffic flows, so a late timer never sends a burst of
 * catch-up beats) and checks the peer's silence each time. The driver stores the send time in
 * {@link lastSendAt} (one clock read per send) and marks each read that brought bytes in
 * {@link seen} (one field store, no clock read); a check that finds the mark dates those bytes at
 * itself, so a silent peer is dropped at most one interval late, never early.
 */
export class Heartbeat<Send, Recv> {
  /** When the last message was sent, on the scheduler's clock. */
  lastSendAt = 0;
  /** When bytes were last seen received, on the scheduler's clock (as of the last check). */
  lastRecvAt = 0;
  /** Set by every read that brought bytes; the next check clears it and moves {@link lastRecvAt}. */
  seen = false;
  private _task: { cancel(): void } | undefined;
  // True once another thread beats for this connection: this one stops at its next due time.
  private _elsewhere: (() => boolean) | undefined;

  /**
   * @param isReady whether the connection is still up (checked before each beat and after it)
   * @param close closes the connection with the error that ends it
   */
  constructor(
    private readonly _scheduler: DriverScheduler,
    private readonly _protocol: Protocol<Send, Recv>,
    private readonly _sender: ProtocolSender<Send>,
    private readonly _isReady: () => boolean,
    private readonly _close: (error: NetError) => void,
  ) {}

  /** Counts both directions from `now` (the connection is up; its handshake starts). */
  reset(now: number): void {
    this.lastSendAt = now;
    this.lastRecvAt = now;
    this.seen = false;
  }

  /** Starts beating (the handshake is done). */
  start(): void {
    const interval = this._protocol.heartbeatInterval;
    if (interval !== undefined) this._arm(interval);
  }

  /** Stops beating (the connection is closing or gone, or another thread beats for it). */
  stop(): void {
    this._task?.cancel();
    this._task = undefined;
  }

  /**
   * The receiving side went to another thread: no more silence checks here (this thread no longer
   * sees what arrives), and no more beats from the first due time at which `elsewhere()` says
   * another thread beats instead.
   */
  handOverWhen(elsewhere: () => boolean): void {
    this._elsewhere = elsewhere;
  }

  /**
   * The messages one beat sends, collected instead of sent (for a thread that beats for this
   * connection): `sendHeartbeat` runs with a sender that only records them.
   * @throws NetError `NET_ERR_PROTOCOL` when `sendHeartbeat` threw or tried to close the connection
   */
  capture(): Send[] {
    const messages: Send[] = [];
    const collector: ProtocolSender<Send> = {
      conId: this._sender.conId,
      send: (message) => void messages.push(message),
      close: () => {
        throw new NetError(ErrorCode.PROTOCOL, 'sendHeartbeat closed the connection while its beat was taken');
      },
    };
    try {
      this._protocol.sendHeartbeat?.(collector);
    } catch (error) {
      throw protocolError('sendHeartbeat', error);
    }
    return messages;
  }

  private _arm(delay: number): void {
    this._task = this._scheduler.once(delay, () => this._due());
  }

  private _due(): void {
    this._task = undefined;
    if (this._elsewhere?.() === true) return;
    const protocol = this._protocol;
    if (!this._isReady() || protocol.heartbeatInterval === undefined) return;
    const interval = protocol.heartbeatInterval;
    const now = this._scheduler.now();
    if (this.seen) {
      this.seen = false;
      this.lastRecvAt = now;
    }
    const silenceLimit =
      this._elsewhere === undefined ? interval * (protocol.peerSilenceIntervals ?? DEFAULT_PEER_SILENCE_INTERVALS) : 0;
    if (silenceLimit > 0 && now - this.lastRecvAt > silenceLimit) {
      this._close(
        new NetError(
          ErrorCode.PEER_SILENT,
          `nothing received for ${Math.round(now - this.lastRecvAt)} ms (limit ${silenceLimit} ms)`,
          {
            details: { conId: String(this._sender.conId), silentMs: now - this.lastRecvAt, limitMs: silenceLimit },
          },
        ),
      );
      return;
    }
    const idle = now - this.lastSendAt;
    if (idle >= interval && protocol.sendHeartbeat !== undefined) {
      try {
        protocol.sendHeartbeat(this._sender);
      } catch (error) {
        this._close(protocolError('sendHeartbeat', error));
        return;
      }
    }
    if (!this._isReady()) return;
    const sinceSend = now - this.lastSendAt;
    const nextBeat = sinceSend >= interval ? interval : interval - sinceSend;
    const nextSilenceCheck = silenceLimit > 0 ? Math.max(1, this.lastRecvAt + silenceLimit - now + 1) : Infinity;
    this._arm(Math.max(1, Math.min(nextBeat, nextSilenceCheck)));
  }
}
