import { receiveMessageOnPort } from 'node:worker_threads';
import { ErrorCode, NetError } from '@net/core';
import { socketBroker, socketHostKind } from '../shared-broker.js';
import type { SocketHost } from '../socket-host.js';
import { sharedClock } from '../transfer/shared-clock.js';
import { PolledConnection } from './polled-connection.js';
import {
  type AddCommand,
  C_COMMANDS,
  C_CONNECTIONS,
  C_STOP,
  C_STOPPED,
  type PollerWorkerData,
} from './poller-control.js';

/**
 * The longest a parked poller waits in `poll(2)` before it looks for commands (C-library path): a
 * connection added or a `close()` waits at most this long; bytes on a polled connection wake it
 * at once.
 */
export const POLLER_PARK_MS = 10;
/** The first wait of the back-off of the broker path, and of a poller whose inboxes are full (ms). */
const BACKOFF_FIRST_MS = 0.05;
/**
 * The longest wait of the back-off (ms). On the broker path the sockets are watched by the broker
 * threads of the threads that gave them, which cannot wake this thread, so a poller idle for a
 * while takes up to this long to see the first frame that comes; it is woken at once by commands.
 */
export const POLLER_BACKOFF_MAX_MS = 1;

/**
 * The poller thread's loop: each pass reads every connection into its own buffer, cuts its frames
 * and copies each into that connection's inbox, until `close()`. A pass that moved nothing parks
 * (`idle: 'park'`) or goes round again (`'spin'`).
 */
export function runPoller(data: PollerWorkerData): void {
  const control = new Int32Array(data.control);
  // Only the C-library path has one host for every adopted connection, and a `poll(2)` to park in.
  const host: SocketHost | undefined = socketHostKind() === 'broker' ? undefined : socketBroker();
  const polled: PolledConnection[] = [];
  let seenCommands = 0;
  let backoff = BACKOFF_FIRST_MS;
  while (Atomics.load(control, C_STOP) === 0) {
    const commands = Atomics.load(control, C_COMMANDS);
    if (commands !== seenCommands) {
      seenCommands = commands;
      takeCommands(data, polled);
      Atomics.store(control, C_CONNECTIONS, polled.length);
    }
    let moved = false;
    let stalled = false;
    // One clock read a pass: the heartbeats of every connection are timed from it.
    const now = sharedClock();
    for (let i = 0; i < polled.length;) {
      const turn = polled[i].pump(data.framesPerTurn, now);
      if (turn === 'done') {
        polled.splice(i, 1);
        Atomics.store(control, C_CONNECTIONS, polled.length);
        continue;
      }
      if (turn === 'moved') moved = true;
      else if (turn === 'stalled') stalled = true;
      i++;
    }
    if (moved || data.idle === 'spin') {
      backoff = BACKOFF_FIRST_MS;
      continue;
    }
    // The park ends in time for the next heartbeat, whatever the consumers do.
    let dueIn = Number.POSITIVE_INFINITY;
    for (const connection of polled) {
      connection.watch();
      dueIn = Math.min(dueIn, connection.dueIn(now));
    }
    if (host !== undefined && !stalled) {
      host.waitForEvent(host.eventCount, Math.min(POLLER_PARK_MS, dueIn));
    } else {
      // Stalled inboxes are looked at again after a short wait, so their consumers' reads are seen soon.
      Atomics.wait(control, C_COMMANDS, seenCommands, Math.min(backoff, dueIn));
      backoff = Math.min(backoff * 2, POLLER_BACKOFF_MAX_MS);
    }
  }
  takeCommands(data, polled);
  const closed = new NetError(ErrorCode.CLOSED, 'the poller thread was closed');
  for (const connection of polled) connection.stop(closed);
  polled.length = 0;
  Atomics.store(control, C_CONNECTIONS, 0);
  Atomics.store(control, C_STOPPED, 1);
  Atomics.notify(control, C_STOPPED);
}

function takeCommands(data: PollerWorkerData, polled: PolledConnection[]): void {
  for (
    let message = receiveMessageOnPort(data.port);
    message !== undefined;
    message = receiveMessageOnPort(data.port)
  ) {
    const command = message.message as AddCommand;
    if (command.op !== 'add') continue;
    try {
      polled.push(new PolledConnection(command));
    } catch {
      // The inbox was failed with the reason: its consumer sees it on its next receive.
    }
  }
}
