import { ErrorCode, HandshakeStep, NetError, type Protocol } from '@net/core';

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
}

/**
 * The client side of a login handshake (links' Auth protocol): `onConnect` sends the login, and the
 * handshake is done at `accepted`; `rejected` fails it with the service's reason in the message.
 */
export function clientLogin(options: ClientLoginOptions = {}): Protocol<CltMsg, SvcMsg> {
  const password = options.password ?? GOOD_PASSWORD;
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
  };
}

/** Options of the service side of the login protocol. */
export interface ServiceLoginOptions {
  readonly heartbeatInterval?: number;
  readonly peerSilenceIntervals?: number;
  /** Answer `ping` with `pong` through the `reply` hook. Default true. */
  readonly autoReply?: boolean;
  /** Last words on a graceful close. Default: an `eos` (end of session) message. */
  readonly goodbye?: boolean;
}

/**
 * The service side of the login handshake: `GOOD_PASSWORD` gets `accepted`, anything else gets
 * `rejected` and fails the handshake. Pings are answered with pongs by the `reply` hook.
 */
export function serviceLogin(options: ServiceLoginOptions = {}): Protocol<SvcMsg, CltMsg> {
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
            if (message.type === 'ping') sender.send({ type: 'pong', n: message.n });
          },
    onDisconnect: options.goodbye === false ? undefined : (sender) => sender.send({ type: 'eos' }),
  };
}
