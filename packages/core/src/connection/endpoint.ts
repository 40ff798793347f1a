import { isIP } from 'node:net';
import { ErrorCode } from '../errors/error-codes.js';
import { NetError } from '../errors/net-error.js';

/** A TCP endpoint: a host (name or IP literal) and a port. */
export interface TcpEndpoint {
  readonly kind: 'tcp';
  /** Host name or IP literal, without brackets. */
  readonly host: string;
  /** Port, 0 to 65535 (0 asks the system for a free port when binding). */
  readonly port: number;
}

/** A Unix domain socket endpoint. */
export interface UnixEndpoint {
  readonly kind: 'unix';
  /** Filesystem path of the socket. */
  readonly path: string;
}

/** Where a connection goes or a service listens. */
export type Endpoint = TcpEndpoint | UnixEndpoint;

/**
 * What users may pass as an address: `'host:port'`, `'[::1]:port'`, a Unix socket path (anything
 * containing `/`), `{ host, port }` or `{ path }`.
 */
export type AddressInput = string | { readonly host?: string; readonly port: number } | { readonly path: string };

/**
 * Parses an address the user gave into an {@link Endpoint}. Host names are kept as given (each
 * flavour resolves them once, when it connects or binds); a malformed address is a
 * `NET_ERR_INVALID_ARGUMENT`, never a crash.
 */
export function parseEndpoint(input: AddressInput): Endpoint {
  if (typeof input === 'object' && input !== null) {
    if ('path' in input) return unixEndpoint(input.path);
    return tcpEndpoint(input.host ?? '127.0.0.1', input.port, input);
  }
  if (typeof input !== 'string' || input.length === 0)
    throw invalid(input, 'expected "host:port", a socket path, { host, port } or { path }');
  if (input.includes('/')) return unixEndpoint(input);
  const bracketed = /^\[([^\]]+)\]:(\d+)$/.exec(input);
  if (bracketed) return tcpEndpoint(bracketed[1], Number(bracketed[2]), input);
  const colon = input.lastIndexOf(':');
  if (colon <= 0 || input.indexOf(':') !== colon)
    throw invalid(input, 'expected "host:port" (write IPv6 hosts as "[::1]:port")');
  const port = input.slice(colon + 1);
  if (!/^\d+$/.test(port)) throw invalid(input, 'the port must be a number');
  return tcpEndpoint(input.slice(0, colon), Number(port), input);
}

/** Renders an endpoint the way users write it (`host:port`, `[v6]:port` or the socket path). */
export function formatEndpoint(endpoint: Endpoint): string {
  if (endpoint.kind === 'unix') return endpoint.path;
  return isIP(endpoint.host) === 6 ? `[${endpoint.host}]:${endpoint.port}` : `${endpoint.host}:${endpoint.port}`;
}

function tcpEndpoint(host: string, port: number, input: unknown): TcpEndpoint {
  if (typeof host !== 'string' || host.length === 0 || /\s/.test(host))
    throw invalid(input, 'the host must be a non-empty name or IP address');
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw invalid(input, 'the port must be a whole number from 0 to 65535');
  return { kind: 'tcp', host, port };
}

function unixEndpoint(path: string): UnixEndpoint {
  if (typeof path !== 'string' || path.length === 0) throw invalid(path, 'the socket path must not be empty');
  return { kind: 'unix', path };
}

function invalid(input: unknown, why: string): NetError {
  const shown = typeof input === 'string' ? `"${input}"` : (JSON.stringify(input) ?? String(input));
  return new NetError(ErrorCode.INVALID_ARGUMENT, `invalid address ${shown}: ${why}`, { details: { address: shown } });
}
