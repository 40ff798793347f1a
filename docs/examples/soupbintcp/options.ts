import { type ConId, ErrorCode, NetError } from '@net/core';
import { checkTextField, type RejectReason } from './packets.js';

/** The spec's heartbeat interval: a side that sent nothing for this long sends a heartbeat. */
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 1_000;
/** The spec's silence limit: a side that received nothing for this long considers the link lost. */
export const DEFAULT_SILENCE_TIMEOUT_MS = 15_000;
/** How long a login may take from connect to Login Accepted. */
export const DEFAULT_LOGIN_TIMEOUT_MS = 5_000;

/** Timings both sides take; the defaults are the spec's, tests shorten them. */
export interface SoupTimings {
  /** Milliseconds without sending after which a heartbeat goes out. Default 1,000. */
  readonly heartbeatInterval?: number;
  /** Milliseconds without receiving after which the link counts as lost. Default 15,000. */
  readonly silenceTimeout?: number;
  /** Milliseconds from connect to the end of the login exchange. Default 5,000. */
  readonly loginTimeout?: number;
}

/** Timings after defaults, in the terms of @net's `Protocol`. */
export interface ResolvedTimings {
  readonly heartbeatInterval: number;
  /** The silence limit as a whole number of heartbeat intervals (rounded up). */
  readonly peerSilenceIntervals: number;
  readonly loginTimeout: number;
}

const MAX_MS = 2 ** 31 - 1;

/**
 * `value` when it is a whole number from `min` to `max`.
 * @throws NetError `NET_ERR_INVALID_ARGUMENT` naming the option, as @net's own options do
 */
export function checkWholeNumber(name: string, value: number, min: number, max: number): number {
  if (Number.isInteger(value) && value >= min && value <= max) return value;
  throw new NetError(
    ErrorCode.INVALID_ARGUMENT,
    `${name} must be a whole number from ${min} to ${max}, got ${String(value)}`,
    { details: { option: name, value, min, max } },
  );
}

/**
 * Applies the spec's defaults and checks the ranges.
 * @throws NetError `NET_ERR_INVALID_ARGUMENT`
 */
export function resolveTimings(timings: SoupTimings): ResolvedTimings {
  const heartbeatInterval = checkWholeNumber(
    'heartbeatInterval',
    timings.heartbeatInterval ?? DEFAULT_HEARTBEAT_INTERVAL_MS,
    1,
    MAX_MS,
  );
  const silenceTimeout = checkWholeNumber(
    'silenceTimeout',
    timings.silenceTimeout ?? DEFAULT_SILENCE_TIMEOUT_MS,
    1,
    MAX_MS,
  );
  if (silenceTimeout < heartbeatInterval) {
    throw new NetError(
      ErrorCode.INVALID_ARGUMENT,
      `silenceTimeout (${silenceTimeout} ms) must be at least heartbeatInterval (${heartbeatInterval} ms)`,
    );
  }
  return {
    heartbeatInterval,
    // @net counts silence in heartbeat intervals; rounding up never cuts a link early.
    peerSilenceIntervals: Math.ceil(silenceTimeout / heartbeatInterval),
    loginTimeout: checkWholeNumber('loginTimeout', timings.loginTimeout ?? DEFAULT_LOGIN_TIMEOUT_MS, 1, MAX_MS),
  };
}

/** What a server reports as it runs; every member is optional. */
export interface ServerListener {
  /** A client logged in; its sequenced data starts at `nextSequence`. */
  onLogin?(conId: ConId, username: string, nextSequence: number): void;
  /** A Login Request was refused with `reason`. */
  onLoginRejected?(conId: ConId, username: string, reason: RejectReason): void;
  /** A client asked to log out; the server closes its connection. */
  onLogout?(conId: ConId): void;
  /** A client sent Unsequenced Data. */
  onUnsequenced?(conId: ConId, payload: Uint8Array): void;
  /** A Client Heartbeat arrived. */
  onClientHeartbeat?(conId: ConId): void;
  /** A logged-in connection ended; `reason` is undefined for a clean close. */
  onDisconnected?(conId: ConId, reason: NetError | undefined): void;
  /** Something went wrong that the server survived (a packet that did not decode, a client that broke the protocol). */
  onError?(error: NetError): void;
}

/** Options of a SoupBinTCP server, in every flavour. */
export interface SoupServerOptions extends SoupTimings {
  /** The session's name: at most 10 characters. */
  readonly session: string;
  /** Who may log in: user name to password (compared without regard to case, as the spec says). */
  readonly credentials: Readonly<Record<string, string>>;
  /** Most sequenced messages kept for replay; older ones are dropped. Default 1,000,000. */
  readonly storeCapacity?: number;
  /** Name shown in connection ids. Default `'soup-server'`. */
  readonly name?: string;
  /** Most clients at once. Default 1,024 (@net's default). */
  readonly maxConnections?: number;
  /** Observer of logins, logouts, client data and disconnects. */
  readonly listener?: ServerListener;
}

/** Options of a SoupBinTCP client, in every flavour. */
export interface SoupClientOptions extends SoupTimings {
  /** At most 6 characters. */
  readonly username: string;
  /** At most 10 characters. */
  readonly password: string;
  /** The session to join; blank (the default) joins the server's current session. */
  readonly session?: string;
  /**
   * The sequence number to ask for at the first login: 1 replays the session from its start, 0
   * (the default) asks only for messages published from now on. Later logins ask for the next
   * message not yet received, whatever this says.
   */
  readonly sequence?: number;
  /** Give up connecting after this many ms. Default 1,000 (@net's default). */
  readonly connectTimeout?: number;
  /** Pause between connect attempts in ms. Default 200 (@net's default). */
  readonly retryAfter?: number;
  /** Name shown in connection ids. Default `'soup-client'`. */
  readonly name?: string;
  /** Called for each Server Heartbeat the application's receive passes over (they are not returned as events). */
  readonly onServerHeartbeat?: () => void;
}

/** Checks the text fields of client options. @throws NetError `NET_ERR_INVALID_ARGUMENT` */
export function checkClientOptions(options: SoupClientOptions): void {
  checkTextField('username', options.username);
  checkTextField('password', options.password);
  checkTextField('session', options.session ?? '');
  if (options.sequence !== undefined) checkWholeNumber('sequence', options.sequence, 0, Number.MAX_SAFE_INTEGER);
}
