import { type Codec, ErrorCode, NetError, SessionState } from '@net/core';
import { type ClientTracking, SoupClientProtocol } from './client-protocol.js';
import { checkClientOptions, resolveTimings, type ResolvedTimings, type SoupClientOptions } from './options.js';
import { type ClientPacket, checkPayload, clientCodec, type ServerPacket } from './packets.js';

/** What a client application receives: the data packets and the end of the session, numbered. */
export type SoupEvent =
  | { readonly type: 'sequenced'; readonly sequence: number; readonly payload: Uint8Array }
  | { readonly type: 'unsequenced'; readonly payload: Uint8Array }
  | { readonly type: 'debug'; readonly text: Uint8Array }
  | { readonly type: 'endOfSession' };

/**
 * Everything a client is apart from its flavour: the options, the tracking that survives
 * reconnects, the protocol, and the numbering of sequenced data as the application takes it.
 * Each flavour's client holds one and adds only the waiting.
 *
 * The tracked sequence number moves when the application takes a message, not when it is decoded:
 * a message decoded but never taken before a disconnect is asked for again at the next login.
 */
export class ClientSession {
  /** The codec every flavour's connection uses. */
  readonly codec: Codec<ClientPacket, ServerPacket> = clientCodec;
  /** The protocol hooks (login, heartbeats) to pass to `Clt.connect`. */
  readonly protocol: SoupClientProtocol;
  /** Timings after defaults. */
  readonly timings: ResolvedTimings;
  /** The options as given. */
  readonly options: SoupClientOptions;
  private readonly _tracking: SessionState<ClientTracking>;
  private _heartbeats = 0;

  /** @throws NetError `NET_ERR_INVALID_ARGUMENT` for bad options */
  constructor(options: SoupClientOptions) {
    checkClientOptions(options);
    this.options = options;
    this.timings = resolveTimings(options);
    this._tracking = new SessionState<ClientTracking>({
      session: options.session ?? '',
      nextSequence: options.sequence ?? 0,
    });
    this.protocol = new SoupClientProtocol(
      { username: options.username, password: options.password },
      this._tracking,
      this.timings,
    );
  }

  /** The session joined (blank before the first login when none was named). */
  get session(): string {
    return this._tracking.value.session;
  }

  /** The sequence number of the next sequenced message expected, and asked for at the next login. */
  get nextSequence(): number {
    return this._tracking.value.nextSequence;
  }

  /** Server Heartbeats received so far, over every connection. */
  get heartbeatsReceived(): number {
    return this._heartbeats;
  }

  /** The `Clt.connect` options shared by every flavour. */
  connectOptions(): {
    codec: Codec<ClientPacket, ServerPacket>;
    protocol: SoupClientProtocol;
    name: string;
    handshakeTimeout: number;
    timeout?: number;
    retryAfter?: number;
  } {
    const { connectTimeout, retryAfter } = this.options;
    return {
      codec: this.codec,
      protocol: this.protocol,
      name: this.options.name ?? 'soup-client',
      handshakeTimeout: this.timings.loginTimeout,
      ...(connectTimeout === undefined ? {} : { timeout: connectTimeout }),
      ...(retryAfter === undefined ? {} : { retryAfter }),
    };
  }

  /**
   * Turns a packet the application took into its event, numbering sequenced data; a heartbeat
   * gives `undefined` (it only proves the link is alive).
   * @throws NetError `NET_ERR_PROTOCOL` for a login answer after the login
   */
  take(packet: ServerPacket): SoupEvent | undefined {
    switch (packet.type) {
      case 'S':
        return { type: 'sequenced', sequence: this._tracking.value.nextSequence++, payload: packet.message };
      case 'U':
        return { type: 'unsequenced', payload: packet.message };
      case 'H':
        this._heartbeats++;
        this.options.onServerHeartbeat?.();
        return undefined;
      case 'Z':
        return { type: 'endOfSession' };
      case '+':
        return { type: 'debug', text: packet.text };
      default:
        throw new NetError(ErrorCode.PROTOCOL, `packet type '${packet.type}' is only valid during login`, {
          details: { type: packet.type },
        });
    }
  }

  /** The Unsequenced Data packet for `payload`. @throws NetError `NET_ERR_INVALID_ARGUMENT` */
  unsequenced(payload: Uint8Array): ClientPacket {
    return { type: 'U', message: checkPayload(payload) };
  }
}
