import { setImmediate as nextTurn } from 'node:timers/promises';
import type { MessagePort } from 'node:worker_threads';
import { ConId, parseEndpoint } from '@net/core';
import { LibcSocketHost } from '../libc/libc-socket-host.js';
import { socketBroker, socketHostKind } from '../shared-broker.js';
import type { SocketHost } from '../socket-host.js';
import { newSyncConnection, resolveSyncOptions } from '../sync-options.js';
import { transferHalf } from '../transfer/half-transfer.js';
import { plain } from './plain-error.js';
import { settleHost } from './settle-host.js';
import {
  A_REJECTED,
  A_STOP,
  A_STOPPED,
  A_LOOKS,
  type AcceptorData,
  type AcceptorReport,
  type AdoptCommand,
  T_ACCEPTED,
  T_COMMANDS,
  T_CONNECTIONS,
  T_EXITED,
} from './svc-thread-control.js';
import type { ThreadHandler } from './thread-handler.js';

// How long the accepting thread waits for its listener at a time before it looks at its stop word.
const ACCEPT_WAIT_MS = 20;

interface Target {
  readonly words: Int32Array;
  readonly port: MessagePort;
}

/**
 * The accepting thread's work: it listens, takes each connection the kernel accepted and hands it
 * whole (both halves) to the live service thread that serves the fewest, or closes it at once
 * when `maxConnections` are served already. It waits on its event loop, so that the ports of the
 * halves it gave stay watched: a service thread that dies gives its connections' holds up there.
 */
export async function runAcceptor(data: AcceptorData, handler: ThreadHandler<unknown, unknown>): Promise<void> {
  const control = new Int32Array(data.control);
  const post = (report: AcceptorReport): void => data.reports.postMessage(report);
  let host: SocketHost;
  let serverId: number;
  try {
    host = socketBroker();
    const listening = host.listen(parseEndpoint(data.address), {
      backlog: data.backlog,
      noDelay: data.noDelay,
      blocking: false,
    });
    serverId = listening.serverId;
    post({ op: 'listening', local: listening.local });
  } catch (error) {
    post({ op: 'failed', error: plain(error) });
    return;
  }
  const targets: Target[] = data.threads.map((t) => ({ words: new Int32Array(t.control), port: t.port }));
  const codec = handler.codec;
  const resolved = resolveSyncOptions({ codec });
  const accept = (): void => {
    for (let socket = host.takeAccepted(serverId); socket !== undefined; socket = host.takeAccepted(serverId)) {
      const target = leastLoaded(targets);
      if (target === undefined || served(targets) >= data.maxConnections) {
        // Closed at once, so the peer sees the end of the stream rather than a silent socket.
        host.close(socket.fd);
        Atomics.add(control, A_REJECTED, 1);
        continue;
      }
      const conId = ConId.acceptor(data.name, socket.local, socket.peer);
      const connection = newSyncConnection(socket.fd, conId, { codec }, resolved, host);
      connection.driver.start();
      if (!connection.stepHandshake()) throw connection.failHandshake();
      const receiver = transferHalf(connection, 'receiver');
      const sender = transferHalf(connection, 'sender');
      connection.letGo();
      Atomics.add(target.words, T_CONNECTIONS, 1);
      Atomics.add(target.words, T_ACCEPTED, 1);
      const command: AdoptCommand = { op: 'adopt', receiver, sender };
      target.port.postMessage(command, [...receiver.transferList, ...sender.transferList]);
      Atomics.add(target.words, T_COMMANDS, 1);
      Atomics.notify(target.words, T_COMMANDS);
    }
  };
  while (Atomics.load(control, A_STOP) === 0) {
    const seen = host.eventCount;
    try {
      accept();
    } catch (error) {
      post({ op: 'error', error: plain(error) });
      if (host.checkStopped()) break;
    }
    await waitForConnections(host, seen);
    if (host instanceof LibcSocketHost) Atomics.store(control, A_LOOKS, host.looks);
  }
  if (!host.checkStopped()) host.unlisten(serverId);
  if (socketHostKind() !== 'broker' && Atomics.load(control, A_STOP) === 1) settleHost(host);
  Atomics.store(control, A_STOPPED, 1);
  Atomics.notify(control, A_STOPPED);
}

/**
 * Waits up to {@link ACCEPT_WAIT_MS} for the host's next event after `seen` (a connection). Where
 * the runtime calls the C library the thread parks in `poll(2)` on its listener, then lets its
 * event loop run once: the host's `whenEvent` would look every millisecond instead, a thousand
 * wake-ups a second that took the service's cores while no connection came. The broker path's
 * `whenEvent` parks until the broker thread posts, so it is kept.
 */
async function waitForConnections(host: SocketHost, seen: number): Promise<void> {
  if (host instanceof LibcSocketHost) {
    host.waitForEvent(seen, ACCEPT_WAIT_MS);
    await nextTurn();
  } else {
    await host.whenEvent(seen, ACCEPT_WAIT_MS);
  }
}

function leastLoaded(targets: readonly Target[]): Target | undefined {
  let best: Target | undefined;
  let fewest = Infinity;
  for (const target of targets) {
    if (Atomics.load(target.words, T_EXITED) !== 0) continue;
    const connections = Atomics.load(target.words, T_CONNECTIONS);
    if (connections < fewest) {
      best = target;
      fewest = connections;
    }
  }
  return best;
}

function served(targets: readonly Target[]): number {
  let sum = 0;
  for (const target of targets) sum += Atomics.load(target.words, T_CONNECTIONS);
  return sum;
}
