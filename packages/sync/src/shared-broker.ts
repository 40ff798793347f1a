import { SocketBroker } from './socket-broker.js';

let shared: SocketBroker | undefined;

/**
 * This thread's broker, started on first use, and again when the last one has stopped (its
 * connections are gone with it; new ones go through the new broker).
 */
export function socketBroker(): SocketBroker {
  if (shared === undefined || shared.checkStopped()) shared = new SocketBroker();
  return shared;
}
