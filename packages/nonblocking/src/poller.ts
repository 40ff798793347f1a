import { type ConId, DEFAULT_IDLE_POLLS_BEFORE_WATCH, DEFAULT_POLLER_MESSAGES_PER_PASS, type NetError } from '@net/core';
import { checkIntegerOption } from '@net/core/internal';
import { END_OF_STREAM, socketBroker, type SyncConnection, WOULD_BLOCK } from '@net/sync';
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
 */
export class Poller {
  private readonly _receivers: PolledReceiver[] = [];
  private readonly _acceptors: PolledAcceptor[] = [];
  private readonly _messagesPerPass: number;
  private _spawned = false;
  private _stopped = false;

  /** @throws NetError `NET_ERR_INVALID_ARGUMENT` for a `messagesPerPass` that is not an integer of at least 1 */
  constructor(options: PollerOptions = {}) {
    this._messagesPerPass = checkIntegerOption('messagesPerPass', options.messagesPerPass ?? DEFAULT_POLLER_MESSAGES_PER_PASS, 1, 2 ** 31 - 1);
  }

  /** Receivers and acceptors being polled. */
  get size(): number {
    return this._receivers.length + this._acceptors.length;
  }

  /** Polls `clt`'s receive side; its messages go to `handlers`. */
  addReceiver<Send, Recv>(clt: Clt<Send, Recv>, handlers: ReceiverHandlers<Recv>): void {
    const connection: SyncConnection<Send, Recv> = clt.connection;
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
  }

  /**
   * One pass: an accept attempt on every acceptor, and on every receiver attempts until it would
   * block, ends, or has given `messagesPerPass` messages. Returns how many things it delivered.
   */
  pollOnce(): number {
    let worked = 0;
    for (let i = 0; i < this._acceptors.length; i++) {
      const acceptor = this._acceptors[i]!;
      if (!acceptor.open) this._acceptors.splice(i--, 1);
      else if (acceptor.step()) worked++;
    }
    const budget = this._messagesPerPass;
    for (let i = 0; i < this._receivers.length; i++) {
      const receiver = this._receivers[i]!;
      for (let taken = 0; taken < budget && receiver.step(); taken++) {
        worked++;
        if (!receiver.open) break;
      }
      if (!receiver.open) this._receivers.splice(i--, 1);
    }
    return worked;
  }

  /** Runs passes on this thread's event loop until {@link shutdown}. */
  spawn(): this {
    if (this._spawned) return this;
    this._spawned = true;
    void this._run();
    return this;
  }

  /**
   * Stops polling: with a connection's `conId`, only its receiver; with a service's, its acceptor
   * and the receivers of the connections it accepted; without, everything, and a spawned poller
   * stops.
   */
  shutdown(conId?: ConId): void {
    if (conId === undefined) {
      this._stopped = true;
      this._receivers.length = 0;
      this._acceptors.length = 0;
      return;
    }
    // A service's id (no peer) also matches the connections it accepted; a connection's id only itself.
    const matches = (other: ConId) => other.serial === conId.serial || (conId.peer === undefined && other.sameLineage(conId));
    for (let i = this._receivers.length - 1; i >= 0; i--) if (matches(this._receivers[i]!.conId)) this._receivers.splice(i, 1);
    for (let i = this._acceptors.length - 1; i >= 0; i--) if (matches(this._acceptors[i]!.conId)) this._acceptors.splice(i, 1);
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
