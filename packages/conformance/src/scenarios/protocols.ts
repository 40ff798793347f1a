import { ErrorCode, HandshakeStep, NetError, type Protocol } from '@net/core';
import { remotable } from '../recipes/recipe.js';

/** What a client of the login protocol sends. */
export type CltMsg =
  | { type: 'login'; user: string; password: string }
  | { type: 'ping'; n: number }
  | { type: 'data'; n: number }
  | { type: 'hb' }
  | { type: 'bye' };

/** What a service of the login protocol sends. */
export type SvcMsg =
  | { type: 'accepted' }
  | { type: 'rejected'; reason: string }
  | { type: 'pong'; n: number }
  | { type: 'data'; n: number }
  | { type: 'hb' }
  | { type: 'eos' };

/** The password {@link serviceLogin} accepts. */
export const GOOD_PASSWORD = 'secret';

/** Options of the client side of the login protocol. */
export interface ClientLoginOptions {
  readonly password?: string;
  readonly heartbeatInterval?: number;
  readonly peerSilenceIntervals?: number;
  /** Last words on a graceful close. Default: a `bye` message. */
  readonly goodbye?: boolean;
  /** Replace every `data` message on its way out with one numbered from here on (an `onSend` hook). */
  readonly stampDataFrom?: number;
}

/**
 * The client side of a login handshake (links' Auth protocol): `onConnect` sends the login, and the
 * handshake is done at `accepted`; `rejected` fails it with the service's reason in the message.
 */
export const clientLogin = remotable('clientLogin', (options: ClientLoginOptions = {}): Protocol<CltMsg, SvcMsg> => {
  const password = options.password ?? GOOD_PASSWORD;
  let stamp = options.stampDataFrom;
  return {
    heartbeatInterval: options.heartbeatInterval,
    peerSilenceIntervals: options.peerSilenceIntervals,
    onConnect: (connection) => connection.send({ type: 'login', user: 'u1', password }),
    onHandshakeRecv(message) {
      if (message.type === 'accepted') return HandshakeStep.Done;
      if (message.type === 'rejected') throw new NetError(ErrorCode.HANDSHAKE, `login rejected: ${message.reason}`);
      return HandshakeStep.Continue;
    },
    sendHeartbeat: (sender) => sender.send({ type: 'hb' }),
    onDisconnect: options.goodbye === false ? undefined : (sender) => sender.send({ type: 'bye' }),
    onSend:
      stamp === undefined
        ? undefined
        : (_conId, message) => (message.type === 'data' ? { type: 'data', n: stamp!++ } : undefined),
  };
});

/** Options of the service side of the login protocol. */
export interface ServiceLoginOptions {
  readonly heartbeatInterval?: number;
  readonly peerSilenceIntervals?: number;
  /** Answer `ping` with `pong` through the `reply` hook. Default true. */
  readonly autoReply?: boolean;
  /** Last words on a graceful close. Default: an `eos` (end of session) message. */
  readonly goodbye?: boolean;
  /** The `reply` hook throws on a `data` message with a negative number (a failing hook). */
  readonly failOnNegativeData?: boolean;
  /** Called by the `onRecv` hook with the number of each `data` message, before it is delivered. */
  readonly onDataRecv?: (n: number) => void;
}

/**
 * The service side of the login handshake: `GOOD_PASSWORD` gets `accepted`, anything else gets
 * `rejected` and fails the handshake. Pings are answered with pongs by the `reply` hook.
 */
export const serviceLogin = remotable('serviceLogin', (options: ServiceLoginOptions = {}): Protocol<SvcMsg, CltMsg> => {
  const onDataRecv = options.onDataRecv;
  return {
    heartbeatInterval: options.heartbeatInterval,
    peerSilenceIntervals: options.peerSilenceIntervals,
    onHandshakeRecv(message, connection) {
      if (message.type !== 'login') return HandshakeStep.Continue;
      if (message.password !== GOOD_PASSWORD) {
        connection.send({ type: 'rejected', reason: 'bad password' });
        throw new NetError(ErrorCode.HANDSHAKE, 'bad password');
      }
      connection.send({ type: 'accepted' });
      return HandshakeStep.Done;
    },
    sendHeartbeat: (sender) => sender.send({ type: 'hb' }),
    reply:
      options.autoReply === false
        ? undefined
        : (message, sender) => {
            if (options.failOnNegativeData === true && message.type === 'data' && message.n < 0)
              throw new Error('negative data');
            if (message.type === 'ping') sender.send({ type: 'pong', n: message.n });
          },
    onRecv:
      onDataRecv === undefined
        ? undefined
        : (_conId, message) => void (message.type === 'data' && onDataRecv(message.n)),
    onDisconnect: options.goodbye === false ? undefined : (sender) => sender.send({ type: 'eos' }),
  };
});
