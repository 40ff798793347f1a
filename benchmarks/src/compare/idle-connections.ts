import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { type ClientJob, target } from './client-job.js';

/**
 * Connections a client opens to its service and leaves silent: the idle suites' load. They are
 * plain node:net sockets whatever the subject, since only the service's side of them is measured,
 * and they stay open while the process runs on (a synchronous client blocking the event loop does
 * not close them).
 */

/** Connects in flight at once: enough to open thousands quickly, few enough for any accept queue. */
const CONNECTING_AT_ONCE = 128;

/** Opens `count` connections to the job's service and resolves once every one is connected. */
export async function openIdleConnections(job: ClientJob, count: number): Promise<Socket[]> {
  const sockets: Socket[] = [];
  let started = 0;
  const opener = async (): Promise<void> => {
    while (started < count) {
      started++;
      const socket = connect(target(job));
      // An idle connection that a service ends when it is ended is no failure of the client.
      socket.on('error', () => undefined);
      sockets.push(socket);
      await once(socket, 'connect');
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONNECTING_AT_ONCE, count) }, opener));
  return sockets;
}

/** Ends idle connections at once. */
export function closeIdleConnections(sockets: readonly Socket[]): void {
  for (const socket of sockets) socket.destroy();
}
