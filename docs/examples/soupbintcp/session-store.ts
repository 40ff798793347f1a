import { type ConId, ErrorCode, MessageLog, NetError, type ProtocolSender } from '@net/core';
import { checkWholeNumber } from './options.js';
import {
  type ClientPacket,
  checkPayload,
  checkTextField,
  parseSequence,
  parseSession,
  RejectReason,
  type ServerPacket,
} from './packets.js';

type LoginRequest = Extract<ClientPacket, { type: 'L' }>;

/** The outcome of a Login Request: where the client's sequenced data starts, or why it is refused. */
export type LoginDecision =
  | { readonly accepted: true; readonly nextSequence: number }
  | { readonly accepted: false; readonly reason: RejectReason };

/** One logged-in connection: who it is and the next sequenced message it gets. */
export interface Subscriber {
  readonly conId: ConId;
  readonly username: string;
  /** The next sequence number to send to it. */
  next: number;
  /** How the protocol reaches this connection (for closing it in the synchronous flavours). */
  readonly sender: ProtocolSender<ServerPacket>;
  /** True once the service took it into its pool, so that data can be sent to it. */
  attached: boolean;
  /** True once its close has started (logout, end of session). */
  closing: boolean;
}

/**
 * A SoupBinTCP session on the server: its name, the credentials table, the numbered store of
 * sequenced messages for replay, and the logged-in connections with how far each has got. One
 * store is shared by every connection of a server (the protocol holds it as @net `SessionState`);
 * everything here runs on the server's one thread, so no locking is needed.
 */
export class SessionStore {
  /** The session's name, as Login Accepted carries it. */
  readonly name: string;
  /** The sequenced messages, numbered from 1; bounded, so the oldest can be gone. */
  readonly log: MessageLog<Uint8Array>;
  private readonly _credentials: Map<string, string>;
  private readonly _subscribers = new Map<number, Subscriber>();
  private _ended = false;

  /** @throws NetError `NET_ERR_INVALID_ARGUMENT` for a bad session name, credential or capacity */
  constructor(name: string, credentials: Readonly<Record<string, string>>, capacity = 1_000_000) {
    if (checkTextField('session', name) === '')
      throw new NetError(ErrorCode.INVALID_ARGUMENT, 'the session name must not be blank');
    this.name = name;
    this.log = new MessageLog(checkWholeNumber('storeCapacity', capacity, 1, 1 << 30));
    this._credentials = new Map();
    for (const [username, password] of Object.entries(credentials)) {
      this._credentials.set(
        checkTextField('username', username).toUpperCase(),
        checkTextField('password', password).toUpperCase(),
      );
    }
  }

  /** True once {@link end} was called: no more data, no more logins. */
  get ended(): boolean {
    return this._ended;
  }

  /**
   * Decides a Login Request. The requested sequence number is clamped to what the store holds:
   * past the newest message it means "from the next one", and before the oldest kept one it can
   * only start at the oldest (Login Accepted tells the client where it really starts).
   */
  decide(request: LoginRequest): LoginDecision {
    const expected = this._credentials.get(request.username.toUpperCase());
    if (expected === undefined || expected !== request.password.toUpperCase())
      return { accepted: false, reason: RejectReason.NotAuthorized };
    const session = parseSession(request.session);
    if (this._ended || (session !== '' && session !== this.name))
      return { accepted: false, reason: RejectReason.SessionNotAvailable };
    let requested: number;
    try {
      requested = parseSequence(request.sequence);
    } catch {
      // The spec has no reason for a malformed request; refusing it as unauthorized tells the client no.
      return { accepted: false, reason: RejectReason.NotAuthorized };
    }
    const log = this.log;
    const nextSequence =
      requested === 0 ? log.nextSequence : Math.min(Math.max(requested, log.firstSequence), log.nextSequence);
    return { accepted: true, nextSequence };
  }

  /** Records a connection that has just logged in (not yet in the service's pool). */
  subscribe(conId: ConId, username: string, next: number, sender: ProtocolSender<ServerPacket>): void {
    this._subscribers.set(conId.serial, { conId, username, next, sender, attached: false, closing: false });
  }

  /** The connection is in the service's pool now: sequenced data may flow to it. */
  attach(conId: ConId): Subscriber | undefined {
    const subscriber = this._subscribers.get(conId.serial);
    if (subscriber !== undefined) subscriber.attached = true;
    return subscriber;
  }

  /** Forgets a connection that ended; returns what was known of it. */
  unsubscribe(conId: ConId): Subscriber | undefined {
    const subscriber = this._subscribers.get(conId.serial);
    this._subscribers.delete(conId.serial);
    return subscriber;
  }

  /** The logged-in connection with this id, if any. */
  subscriber(conId: ConId): Subscriber | undefined {
    return this._subscribers.get(conId.serial);
  }

  /** Every logged-in connection. */
  subscribers(): IterableIterator<Subscriber> {
    return this._subscribers.values();
  }

  /**
   * Stores a sequenced message and returns its sequence number. The payload is kept as given, so
   * the caller must not change it afterwards.
   * @throws NetError `NET_ERR_CLOSED` once the session ended, `NET_ERR_INVALID_ARGUMENT` for a bad payload
   */
  append(payload: Uint8Array): number {
    if (this._ended) throw new NetError(ErrorCode.CLOSED, `session ${this.name} has ended`);
    return this.log.append(checkPayload(payload));
  }

  /** Ends the session: no more data is stored and later logins are refused. */
  end(): void {
    this._ended = true;
  }
}
