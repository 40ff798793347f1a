import type { ConId, NetError } from '@net/core';
import { DEFAULT_IDLE_POLLS_BEFORE_WATCH, DEFAULT_POLLER_MESSAGES_PER_PASS } from './limits.js';
import { checkIntegerOption } from '@net/core/internal';
import { END_OF_STREAM, WOULD_BLOCK } from '@net/sync';
import { connectionOf, socketBroker, type SyncConnection } from '@net/sync/internal';
import type { Clt } from './clt.js';
import type { Svc } from './svc.js';

/** Where a polled receiver's messages and end go. */
export interface ReceiverHandlers<Recv> {
  /** Each message, in order. */
  onMessage(message: Recv, conId: ConId): void;
  /** The connection ended: `reason` undefined for a clean end. */
  onEnd?(reason: NetError | undefined, conId: ConId): void;
  /** A frame did not decode (`NET_ERR_DECODE`); the connection goes on. Default: ignored. */
  onError?(error: NetError, conId: ConId): void;
}

interface PolledReceiver {
  readonly conId: ConId;
  /** One receive attempt; true when it delivered something or ended. */
  step(): boolean;
  readonly open: boolean;
}

interface PolledAcceptor {
  readonly conId: ConId;
  step(): boolean;
  /** False once the service is closed: the poller lets it go. */
  readonly open: boolean;
}

/** Passes with no work after which a spawned poller waits for the broker instead of spinning the event loop. */
const IDLE_PASSES_BEFORE_WAIT = 128;
/**
 * Period of the timer that holds the process alive for a spawned poller (the longest setTimeout
 * takes). It only has to exist: the poller's own waits hold nothing (an `Atomics.waitAsync` does
 * not count as pending work on the event loop, and the direct path's looks are unref'd), so this
 * one handle, made and cleared only when the poller starts or stops having something to poll, is
 * what a listening server's socket is to node:net.
 */
const KEEP_ALIVE_PERIOD_MS = 2 ** 31 - 1;
const keepAlive = (): void => {};

/** Options of a {@link Poller}. */
export interface PollerOptions {
  /**
   * Messages (or ends) taken from one receiver in one pass before the pass moves on, at least 1.
   * A busy connection still gets many per pass, so it does not wait a pass per message, but a peer
   * that sends faster than the thread reads cannot keep the pass, and with it every other
   * connection, timer and send of the thread, waiting. Default 64
   * (`DEFAULT_POLLER_MESSAGES_PER_PASS`).
   */
  readonly messagesPerPass?: number;
}

/**
 * Drives the receive side of many connections and the accepting of many services from one place
 * (links' PollHandler): each pass makes one attempt on each and calls the handlers. Call
 * {@link pollOnce} from your own loop, or {@link spawn} it onto this thread's event loop, where it
 * spins while there is traffic and, once idle, waits for the broker thread to report bytes, so an
 * idle poller costs no CPU. Senders stay synchronous in your hands.
 *
 * Like a listening `net.Server`, a spawned poller keeps the process alive while it has a receiver
 * or an acceptor to poll: a service served only by a spawned poller runs until it is closed.
 * {@link shutdown}, and the last receiver or acceptor going (removed, or closed: the poller drops
 * closed ones at its next pass), let the process exit; adding one again holds it again.
 * {@link unref} lets the process exit while the poller still polls.
 */
export class Poller {
  private readonly _receivers: PolledReceiver[] = [];
  private readonly _acceptors: PolledAcceptor[] = [];
  private readonly _messagesPerPass: number;
  private _spawned = false;
  private _stopped = false;
  private _refed = true;
  private _hold: ReturnType<typeof setInterval> | undefined;

  /** @throws NetError `NET_ERR_INVALID_ARGUMENT` for a `messagesPerPass` that is not an integer of at least 1 */
  constructor(options: PollerOptions = {}) {
    this._messagesPerPass = checkIntegerOption(
      'messagesPerPass',
      options.messagesPerPass ?? DEFAULT_POLLER_MESSAGES_PER_PASS,
      1,
      2 ** 31 - 1,
    );
  }

  /** Receivers and acceptors being polled. */
  get size(): number {
    return this._receivers.length + this._acceptors.length;
  }

  /** Polls `clt`'s receive side; its messages go to `handlers`. */
  addReceiver<Send, Recv>(clt: Clt<Send, Recv>, handlers: ReceiverHandlers<Recv>): void {
    const connection: SyncConnection<Send, Recv> = connectionOf(clt);
    const receiver: PolledReceiver = {
      conId: connection.conId,
      get open() {
        return connection.isOpen;
      },
      step: () => {
        let result;
        try {
          // Heartbeats and silence checks are timer tasks: a connection that only receives through
          // the poller must still run them on time.
          connection.pollTimers();
          result = connection.recvOnce(DEFAULT_IDLE_POLLS_BEFORE_WATCH);
        } catch (error) {
          if (connection.isOpen) handlers.onError?.(error as NetError, connection.conId);
          else handlers.onEnd?.(error as NetError, connection.conId);
          return true;
        }
        if (result === WOULD_BLOCK) return false;
        if (result === END_OF_STREAM) handlers.onEnd?.(connection.reason, connection.conId);
        else handlers.onMessage(result, connection.conId);
        return true;
      },
    };
    this._receivers.push(receiver);
    this._updateHold();
  }

  /** Accepts on `svc` at every pass; each new connection goes to `onAccepted`. */
  addAcceptor<Send, Recv>(svc: Svc<Send, Recv>, onAccepted: (clt: Clt<Send, Recv>) => void): void {
    this._acceptors.push({
      conId: svc.conId,
      get open() {
        return !svc.isClosed;
      },
      step: () => {
        const result = svc.accept();
        if (result === WOULD_BLOCK) return false;
        if (typeof result !== 'symbol') onAccepted(result);
        return true;
      },
    });
    this._updateHold();
  }

  /**
   * One pass: an accept attempt on every acceptor, and on every receiver attempts until it would
   * block, ends, or has given `messagesPerPass` messages. Returns how many things it delivered.
   */
  pollOnce(): number {
    let worked = 0;
    for (let i = 0; i < this._acceptors.length; i++) {
      const acceptor = this._acceptors[i];
      if (!acceptor.open) {
        this._acceptors.splice(i--, 1);
        this._updateHold();
      } else if (acceptor.step()) worked++;
    }
    const budget = this._messagesPerPass;
    for (let i = 0; i < this._receivers.length; i++) {
      const receiver = this._receivers[i];
      for (let taken = 0; taken < budget && receiver.step(); taken++) {
        worked++;
        if (!receiver.open) break;
      }
      if (!receiver.open) {
        this._receivers.splice(i--, 1);
        this._updateHold();
      }
    }
    return worked;
  }

  /**
   * Runs passes on this thread's event loop until {@link shutdown}. While it has a receiver or an
   * acceptor to poll it keeps the process alive, unless {@link unref}'d.
   */
  spawn(): this {
    if (this._spawned) return this;
    this._spawned = true;
    this._updateHold();
    void this._run();
    return this;
  }

  /**
   * Lets the process exit even while this spawned poller has receivers or acceptors to poll (as
   * `unref()` does for a server or a timer): it goes on polling for as long as something else keeps
   * the process alive. Returns the poller.
   */
  unref(): this {
    this._refed = false;
    this._updateHold();
    return this;
  }

  /** Undoes {@link unref}: a spawned poller with something to poll keeps the process alive again. Returns the poller. */
  ref(): this {
    this._refed = true;
    this._updateHold();
    return this;
  }

  /**
   * True while this poller keeps the process alive: spawned, not shut down, not {@link unref}'d,
   * and with a receiver or an acceptor to poll.
   */
  hasRef(): boolean {
    return this._hold !== undefined;
  }

  /**
   * Stops polling: with a connection's `conId`, only its receiver; with a service's, its acceptor
   * and the receivers of the connections it accepted; without, everything, and a spawned poller
   * stops. A spawned poller left with nothing to poll no longer keeps the process alive.
   */
  shutdown(conId?: ConId): void {
    if (conId === undefined) {
      this._stopped = true;
      this._receivers.length = 0;
      this._acceptors.length = 0;
      this._updateHold();
      return;
    }
    // A service's id (no peer) also matches the connections it accepted; a connection's id only itself.
    const matches = (other: ConId) =>
      other.serial === conId.serial || (conId.peer === undefined && other.sameLineage(conId));
    for (let i = this._receivers.length - 1; i >= 0; i--)
      if (matches(this._receivers[i].conId)) this._receivers.splice(i, 1);
    for (let i = this._acceptors.length - 1; i >= 0; i--)
      if (matches(this._acceptors[i].conId)) this._acceptors.splice(i, 1);
    this._updateHold();
  }

  // Called only where what decides it changes (adds, removals, spawn, stop, ref), never per pass.
  private _updateHold(): void {
    const hold = this._spawned && !this._stopped && this._refed && this.size > 0;
    if (hold === (this._hold !== undefined)) return;
    if (hold) {
      this._hold = setInterval(keepAlive, KEEP_ALIVE_PERIOD_MS);
    } else {
      clearInterval(this._hold);
      this._hold = undefined;
    }
  }

  private async _run(): Promise<void> {
    const broker = socketBroker();
    let idlePasses = 0;
    while (!this._stopped) {
      const seen = broker.eventCount;
      if (this.pollOnce() > 0) idlePasses = 0;
      else idlePasses++;
      if (idlePasses < IDLE_PASSES_BEFORE_WAIT) await new Promise<void>((resolve) => setImmediate(resolve));
      // Idle: wait for the broker (a watched receiver got bytes, a connection was accepted), but
      // look again at least every few milliseconds for heartbeats and receivers not yet watched.
      else await broker.whenEvent(seen, 5);
    }
  }
}
