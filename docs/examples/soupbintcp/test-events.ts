import type { ConId } from '@net/core';
import type { SoupEvent } from './client-session.js';
import type { ServerListener } from './options.js';

// The events the tests wait on, one shape for every flavour: the synchronous hosts post them from
// their threads, the async runners push them on the test's own thread.

/** One thing that happened to a server or client under test. */
export type HostEvent = { readonly kind: string } & Readonly<Record<string, unknown>>;

const text = new TextDecoder();

/** The listener whose reports become events. */
export function listenerPosting(postEvent: (event: HostEvent) => void): ServerListener {
  return {
    onLogin: (conId: ConId, username, nextSequence) =>
      postEvent({ kind: 'login', serial: conId.serial, username, nextSequence }),
    onLoginRejected: (_conId, username, reason) => postEvent({ kind: 'loginRejected', username, reason }),
    onLogout: () => postEvent({ kind: 'logout' }),
    onUnsequenced: (_conId, payload) => postEvent({ kind: 'unsequenced', text: text.decode(payload) }),
    onClientHeartbeat: () => postEvent({ kind: 'clientHeartbeat' }),
    onDisconnected: (_conId, reason) => postEvent({ kind: 'disconnected', code: reason?.code }),
    onError: (error) => postEvent({ kind: 'error', code: error.code }),
  };
}

/** The event for what a client application received. */
export function clientEvent(event: SoupEvent): HostEvent {
  switch (event.type) {
    case 'sequenced':
      return { kind: 'sequenced', sequence: event.sequence, text: text.decode(event.payload) };
    case 'unsequenced':
      return { kind: 'unsequenced', text: text.decode(event.payload) };
    case 'debug':
      return { kind: 'debug', text: text.decode(event.text) };
    default:
      return { kind: 'endOfSession' };
  }
}
