import { receiveMessageOnPort } from 'node:worker_threads';
import { ErrorCode, NetError } from '@net/core';
import { LibcSocketHost } from '../libc/libc-socket-host.js';
import { socketBroker, socketHostKind } from '../shared-broker.js';
import type { SocketHost } from '../socket-host.js';
import { plain } from './plain-error.js';
import { ReadyPoll } from './ready-poll.js';
import { SERVED_DONE, ServedConnection } from './served-connection.js';
import { settleHost } from './settle-host.js';
import {
  type AdoptCommand,
  T_COMMANDS,
  T_CONNECTIONS,
  T_HANDLER_ERRORS,
  T_MESSAGES_HI,
  T_MESSAGES_LO,
  T_STOP,
  T_STOPPED,
  type SvcThreadData,
  type SvcThreadReport,
} from './svc-thread-control.js';
import type { ThreadHandler } from './thread-handler.js';

/** The longest a parked thread waits in `poll(2)` before it looks for commands (C-library path). */
const PARK_MS = 10;
/** The first and the longest wait of the broker path's back-off (ms), as the poller thread's. */
const BACKOFF_FIRST_MS = 0.05;
const BACKOFF_MAX_MS = 1;

/**
 * A service thread's loop: it takes the connections its owner hands it, and each pass hands every
 * connection's waiting messages to the handler, a few per connection in turn, until `close()`.
 * On the C-library path a pass serves only the connections that may have messages (see
 * {@link ServedConnection.ready}) and ends with one `poll(2)` over every descriptor, which finds
 * the next pass's; with none ready that poll is where the thread parks. On the broker path a pass
 * tries every connection (idle ones cost an atomic load once the broker thread watches them), and
 * a pass that found nothing parks in a short back-off of `Atomics.wait` (the broker thread, which
 * sees the sockets, cannot wake this one).
 */
export function runServiceThread(
  data: SvcThreadData,
  handler: ThreadHandler<unknown, unknown>,
  served: ServedConnection[],
): void {
  const control = new Int32Array(data.control);
  const host: SocketHost | undefined = socketHostKind() === 'broker' ? undefined : socketBroker();
  const readyPoll = host instanceof LibcSocketHost ? new ReadyPoll(host) : undefined;
  let seenCommands = 0;
  let backoff = BACKOFF_FIRST_MS;
  let messages = 0;
  const drop = (i: number): void => {
    served.splice(i, 1);
    Atomics.sub(control, T_CONNECTIONS, 1);
  };
  while (Atomics.load(control, T_STOP) === 0) {
    const commands = Atomics.load(control, T_COMMANDS);
    if (commands !== seenCommands) {
      seenCommands = commands;
      takeCommands(data, handler, served, control);
    }
    let moved = false;
    let ready = 0;
    for (let i = 0; i < served.length;) {
      const connection = served[i];
      if (readyPoll !== undefined && !connection.ready && connection.isOpen) {
        i++;
        continue;
      }
      let count: number;
      try {
        count =
          readyPoll === undefined
            ? connection.serve(data.messagesPerTurn, data.idlePollsBeforeWatch, data.idleMsBeforeWatch)
            : connection.serveReady(data.messagesPerTurn);
      } catch (error) {
        Atomics.add(control, T_HANDLER_ERRORS, 1);
        const reason = handlerError(connection, error);
        report(data, { op: 'error', conId: String(connection.conId), error: plain(reason) });
        endQuietly(connection, reason);
        count = SERVED_DONE;
      }
      if (count === SERVED_DONE || !connection.isOpen) {
        drop(i);
        moved = true;
        continue;
      }
      if (count > 0) {
        moved = true;
        messages += count;
      }
      // A turn that used its whole budget may have left messages buffered, which no poll reports.
      connection.ready = count === data.messagesPerTurn;
      if (connection.ready) ready++;
      i++;
    }
    if (moved) {
      Atomics.store(control, T_MESSAGES_LO, messages | 0);
      Atomics.store(control, T_MESSAGES_HI, Math.floor(messages / 0x1_0000_0000));
      backoff = BACKOFF_FIRST_MS;
    }
    if (readyPoll !== undefined) {
      // Every pass looks, so a connection that had bytes waits one pass at most behind busy ones.
      readyPoll.poll(served, ready > 0 ? 0 : PARK_MS);
    } else if (!moved) {
      Atomics.wait(control, T_COMMANDS, seenCommands, backoff);
      backoff = Math.min(backoff * 2, BACKOFF_MAX_MS);
    }
  }
  takeCommands(data, handler, served, control);
  for (const connection of served.splice(0)) {
    endQuietly(connection, undefined);
    Atomics.sub(control, T_CONNECTIONS, 1);
  }
  // A process on its way out (stop word 2) does not wait for the peers to close their side.
  if (host !== undefined && Atomics.load(control, T_STOP) === 1) settleHost(host);
  Atomics.store(control, T_STOPPED, 1);
  Atomics.notify(control, T_STOPPED);
}

function takeCommands(
  data: SvcThreadData,
  handler: ThreadHandler<unknown, unknown>,
  served: ServedConnection[],
  control: Int32Array,
): void {
  for (
    let message = receiveMessageOnPort(data.port);
    message !== undefined;
    message = receiveMessageOnPort(data.port)
  ) {
    const command = message.message as AdoptCommand;
    if (command.op !== 'adopt') continue;
    let connection: ServedConnection;
    try {
      connection = new ServedConnection(command, handler, data.index, data.sendTimeout);
    } catch {
      // Closed before it got here: nothing to serve.
      Atomics.sub(control, T_CONNECTIONS, 1);
      continue;
    }
    try {
      connection.start();
    } catch (error) {
      Atomics.add(control, T_HANDLER_ERRORS, 1);
      const reason = handlerError(connection, error);
      report(data, { op: 'error', conId: String(connection.conId), error: plain(reason) });
      endQuietly(connection, reason);
    }
    if (connection.isOpen) served.push(connection);
    else Atomics.sub(control, T_CONNECTIONS, 1);
  }
}

function handlerError(connection: ServedConnection, error: unknown): NetError {
  return new NetError(ErrorCode.PROTOCOL, `${String(connection.conId)}: the handler threw: ${String(error)}`, {
    cause: error,
    details: { thread: connection.thread },
  });
}

/** Closes `connection`; a throw of its `onDisconnect` is not the other connections' concern. */
export function endQuietly(connection: ServedConnection, reason: NetError | undefined): void {
  try {
    connection.end(reason);
  } catch {
    // The connection is closed before onDisconnect runs: nothing is left open.
  }
}

function report(data: SvcThreadData, message: SvcThreadReport): void {
  try {
    data.reports.postMessage(message);
  } catch {
    // The owner closed its end: nobody is listening any more.
  }
}
