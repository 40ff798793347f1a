import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { ErrorCode } from '../errors/error-codes.js';
import { NetError } from '../errors/net-error.js';
import type { Endpoint } from './endpoint.js';

/** Resolves a host name to one address, as `dns.promises.lookup(host)` does. */
export type HostLookup = (host: string) => Promise<{ address: string }>;

/**
 * Resolves a host name to one IP address, once, so a connection id shows the address actually used
 * and retries do not look the name up again. IP literals and Unix paths are returned as they are.
 * @param lookup the resolver; default `dns.promises.lookup`, replaceable for a custom resolver or a test
 * @throws NetError `NET_ERR_RESOLVE` with the resolver's error as `cause`
 */
export async function resolveEndpoint(endpoint: Endpoint, lookup: HostLookup = dnsLookup): Promise<Endpoint> {
  if (endpoint.kind === 'unix' || isIP(endpoint.host) !== 0) return endpoint;
  try {
    const { address } = await lookup(endpoint.host);
    return { kind: 'tcp', host: address, port: endpoint.port };
  } catch (error) {
    throw new NetError(ErrorCode.RESOLVE, `cannot resolve host "${endpoint.host}"`, {
      cause: error,
      details: { host: endpoint.host },
    });
  }
}
