import { type Endpoint, formatEndpoint } from './endpoint.js';

/** Which side opened the connection: the client that connected, or the service that accepted. */
export type ConnectionRole = 'initiator' | 'acceptor';

let nextSerial = 1;

/**
 * The identity of one connection: a name (shared by every connection of one `Clt` or `Svc`), its
 * role, and its local and peer addresses, filled in as they become known. Readable in logs:
 * `clt@127.0.0.1:5000->127.0.0.1:8080`, `svc@127.0.0.1:8080<-127.0.0.1:5000`, `pending` where an
 * address is not known yet.
 */
export class ConId {
  /** The name given to the `Clt` or `Svc` (default `'clt'` or `'svc'`). */
  readonly name: string;
  /** Which side this is. */
  readonly role: ConnectionRole;
  /** A process-wide unique number, stable for the connection's life: the key for `sendTo`. */
  readonly serial: number;
  /** Local address, once known. */
  local: Endpoint | undefined;
  /** Peer address, once known. */
  peer: Endpoint | undefined;

  constructor(role: ConnectionRole, name?: string, local?: Endpoint, peer?: Endpoint) {
    this.role = role;
    this.name = name ?? (role === 'initiator' ? 'clt' : 'svc');
    this.serial = nextSerial++;
    this.local = local;
    this.peer = peer;
  }

  /** An id for a connecting client. */
  static initiator(name: string | undefined, peer: Endpoint, local?: Endpoint): ConId {
    return new ConId('initiator', name, local, peer);
  }

  /** An id for a connection a service accepted. */
  static acceptor(name: string | undefined, local: Endpoint, peer?: Endpoint): ConId {
    return new ConId('acceptor', name, local, peer);
  }

  /** True when both ids were accepted by the same listener (same name and local address). */
  sameLineage(other: ConId): boolean {
    return (
      this.role === 'acceptor' &&
      other.role === 'acceptor' &&
      this.name === other.name &&
      this.local !== undefined &&
      other.local !== undefined &&
      formatEndpoint(this.local) === formatEndpoint(other.local)
    );
  }

  toString(): string {
    const local = this.local === undefined ? 'pending' : formatEndpoint(this.local);
    const peer = this.peer === undefined ? 'pending' : formatEndpoint(this.peer);
    return this.role === 'initiator' ? `${this.name}@${local}->${peer}` : `${this.name}@${local}<-${peer}`;
  }
}
