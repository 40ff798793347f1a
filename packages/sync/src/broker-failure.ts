import { ErrorCode, fromSocketError, NetError } from '@net/core';
import type { BrokerEvent, BrokerFailure } from './broker-messages.js';

const KNOWN_CODES: ReadonlySet<string> = new Set(Object.values(ErrorCode));

/**
 * The error for a broker's answer that is not the one `what` asked for: its failure, with the
 * system error mapped to a `NET_ERR_*` code (`EADDRINUSE` is `NET_ERR_SOCKET`, ...).
 */
export function brokerFailure(reply: Extract<BrokerEvent, { id: number }>, what: string): NetError {
  const failure: BrokerFailure =
    reply.op === 'failed' ? reply.failure : { code: 'ERR', message: `unexpected ${reply.op}` };
  // A NetError raised in the broker thread (a Node without the internals: NET_ERR_UNSUPPORTED)
  // keeps its code across the thread; only system errors are mapped.
  if (KNOWN_CODES.has(failure.code)) return new NetError(failure.code as ErrorCode, `${what}: ${failure.message}`);
  return fromSocketError(Object.assign(new Error(failure.message), { code: failure.code }), what);
}
