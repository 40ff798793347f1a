import { MessageChannel, type MessagePort, threadId } from 'node:worker_threads';
import { ConId, type ConnectionRole, type Endpoint, ErrorCode, NetError } from '@net/core';
import { LibcSocketHost } from '../libc/libc-socket-host.js';
import { socketBroker } from '../shared-broker.js';
import { SocketBroker } from '../socket-broker.js';
import type { SocketHost } from '../socket-host.js';
import type { SyncConnection } from '../sync-connection.js';
import {
  newSyncConnection,
  resolveSyncOptions,
  type ResolvedSyncOptions,
  type SyncConnectionOptions,
} from '../sync-options.js';
import { type HeartbeatHandOver, takeHeartbeat } from './heartbeat-transfer.js';
import { kernelThreadId } from '../broker-worker-support.js';
import { claimTicket, isTicket, newTicket, noteHolderThread, releaseHolder } from './holder-ticket.js';
import { watchHolder } from './holder-watch.js';
import { sharedClock } from './shared-clock.js';
import { isSharedHoldBuffer, SharedHold } from './shared-hold.js';

/** Which half a transfer value carries. */
export type HalfSide = 'receiver' | 'sender';

/**
 * What an adopted half takes: a connection's options but its protocol, which stays with the
 * thread that made the connection (its handshake is over; heartbeats and replies are that
 * thread's). The codec must read and write the frames the giving thread's did.
 */
export type AdoptOptions<Send, Recv> = Omit<SyncConnectionOptions<Send, Recv>, 'protocol'>;

/** Marks a value made by {@link transferHalf}. */
const KIND = '@net/sync half transfer';

/**
 * One half of a synchronous connection on its way to another thread of the same process: post it
 * with `worker.postMessage(value, value.transferList)` and adopt it there with the flavour's
 * `CltReceiver.adopt` or `CltSender.adopt`. Everything in it is structured-clone-able; the
 * message ports in it must travel in the transfer list, which {@link transferList} lists.
 */
export interface HalfTransfer {
  /** Tells a transfer value from anything else. */
  readonly kind: typeof KIND;
  /** Which half this is. */
  readonly side: HalfSide;
  /** The process it was made in: a descriptor's number means nothing in another process. */
  readonly pid: number;
  /** The thread that gave it: adopting it there is refused. */
  readonly threadId: number;
  /** The descriptor's number. */
  readonly fd: number;
  /** The connection's id, as plain data. */
  readonly conId: {
    readonly name: string;
    readonly role: ConnectionRole;
    readonly local: Endpoint | undefined;
    readonly peer: Endpoint | undefined;
  };
  /** The state the holding threads share (see `SharedHold`). */
  readonly state: SharedArrayBuffer;
  /** This transfer's ticket (see `holder-ticket.ts`). */
  readonly ticket: SharedArrayBuffer;
  /** Bytes the giving receiver had read and not yet handed out: the adopter decodes them first. */
  readonly buffered: Uint8Array;
  /**
   * A receiving half's heartbeat, which a `PollerThread` that adopts it runs (see
   * `heartbeat-transfer.ts`); the giving thread stops its own beats and silence check once it does.
   */
  readonly heartbeat: HeartbeatHandOver;
  /** A message the giving receiver had been given back, handed out first. */
  readonly held: { readonly message: unknown } | undefined;
  /** Broker path: the channel to the broker thread that owns the socket. */
  readonly broker: { readonly port: MessagePort; readonly signal: SharedArrayBuffer } | undefined;
  /** C-library path: the giving thread hears the adopting thread exit through this port. */
  readonly liveness: MessagePort | undefined;
  /** What `postMessage` must transfer with the value (its message ports). */
  readonly transferList: MessagePort[];
}

/**
 * Hands one side of `connection` to another thread: the side's calls here fail with
 * `NET_ERR_CLOSED` from now on, and the thread that adopts the value holds the connection too.
 * @throws NetError `NET_ERR_CLOSED` for a closed connection, or one whose broker stopped
 */
export function transferHalf<Send, Recv>(connection: SyncConnection<Send, Recv>, side: HalfSide): HalfTransfer {
  if (!connection.isOpen) throw closed(String(connection.conId), 'a half of a closed connection cannot be transferred');
  // First, while nothing is changed yet: a protocol hook may throw.
  const heartbeat = side === 'receiver' ? takeHeartbeat(connection) : undefined;
  const fd = connection.fd;
  const host = connection.broker;
  const shared = connection.shareHold();
  const ticket = newTicket();
  let broker: HalfTransfer['broker'];
  let liveness: MessagePort | undefined;
  if (host instanceof SocketBroker) {
    broker = host.share(fd, shared.buffer, ticket);
  } else {
    const { port1, port2 } = new MessageChannel();
    // The adopter closes its end when it lets go; its thread's exit closes it too. Either way,
    // the hold taken for it is given up once, and the last hold closes the descriptor.
    const adopterGone = (): void => {
      port2.close();
      if (releaseHolder(ticket, shared.buffer)) closeAdopted(host, fd);
    };
    port2.once('close', adopterGone);
    port2.unref();
    // Deno fires no 'close' for a terminated thread: its thread's end is watched too.
    watchHolder(ticket, adopterGone);
    liveness = port1;
  }
  shared.take();
  if (typeof heartbeat === 'object') {
    shared.noteSend(sharedClock());
    // A poller thread that adopts the half beats for it, and checks the silence of its own reads;
    // adopted by another thread, the half leaves the beats here, as before.
    connection.driver.handOverHeartbeatsWhen(() => shared.beatsTaken);
  }
  const { bytes, held } = connection.giveAway(side === 'receiver' ? 'read' : 'write');
  const conId = connection.conId;
  return {
    kind: KIND,
    side,
    pid: process.pid,
    threadId,
    fd,
    conId: { name: conId.name, role: conId.role, local: conId.local, peer: conId.peer },
    state: shared.buffer,
    ticket,
    buffered: bytes,
    heartbeat,
    held,
    broker,
    liveness,
    transferList: broker !== undefined ? [broker.port] : liveness !== undefined ? [liveness] : [],
  };
}

/**
 * A connection on this thread for the half in `value`, made by {@link transferHalf} on another
 * thread of this process, with what the giving receiver had buffered fed in first.
 * @throws NetError `NET_ERR_INVALID_ARGUMENT` (not a transfer value, the wrong half, another
 * process, the thread that gave it, adopted already), `NET_ERR_CLOSED` (the connection closed, or
 * its broker thread stopped)
 */
export function adoptHalf<Send, Recv>(
  value: unknown,
  side: HalfSide,
  options: AdoptOptions<Send, Recv>,
): { connection: SyncConnection<Send, Recv>; resolved: ResolvedSyncOptions } {
  const transfer = checkTransfer(value, side);
  const resolved = resolveSyncOptions(options);
  if (!claimTicket(transfer.ticket))
    throw new NetError(
      ErrorCode.INVALID_ARGUMENT,
      `this ${side} was adopted already: a transfer value is adopted once`,
    );
  const shared = new SharedHold(transfer.state, transfer.ticket);
  const what = `${transfer.conId.name} ${side}`;
  let host: SocketHost;
  if (transfer.broker !== undefined) {
    const broker = new SocketBroker(transfer.broker);
    if (broker.checkStopped()) throw closed(what, 'the socket broker thread that owns it stopped');
    host = broker;
  } else {
    host = socketBroker();
    if (host instanceof LibcSocketHost) host.adoptOpen(transfer.fd);
  }
  if (shared.isClosed) {
    if (shared.release()) host.close(transfer.fd);
    else host.forget(transfer.fd);
    transfer.liveness?.close();
    throw closed(what, 'the connection was closed before it was adopted');
  }
  const { name, role, local, peer } = transfer.conId;
  const connection = newSyncConnection<Send, Recv>(
    transfer.fd,
    new ConId(role, name, local, peer),
    { ...options, protocol: undefined },
    resolved,
    host,
    shared,
  );
  if (transfer.liveness !== undefined) {
    noteHolderThread(transfer.ticket, kernelThreadId());
    const liveness = transfer.liveness;
    connection.onClose(() => liveness.close());
  }
  // No protocol, so no handshake to wait for: it completes as it starts.
  connection.driver.start();
  if (!connection.settleHandshake(undefined, undefined)) throw connection.failHandshake();
  if (transfer.buffered.length > 0) connection.feed(transfer.buffered);
  if (transfer.held !== undefined) connection.unread(transfer.held.message as Recv);
  return { connection, resolved };
}

function closeAdopted(host: SocketHost, fd: number): void {
  if (host instanceof LibcSocketHost) host.adoptOpen(fd);
  host.close(fd);
}

function closed(what: string, why: string): NetError {
  return new NetError(ErrorCode.CLOSED, `${what}: ${why}`);
}

function checkTransfer(value: unknown, side: HalfSide): HalfTransfer {
  const transfer = value as Partial<HalfTransfer> | null;
  if (
    typeof transfer !== 'object' ||
    transfer === null ||
    transfer.kind !== KIND ||
    !isSharedHoldBuffer(transfer.state) ||
    !isTicket(transfer.ticket) ||
    !Number.isInteger(transfer.fd) ||
    !(transfer.buffered instanceof Uint8Array) ||
    typeof transfer.conId !== 'object'
  )
    throw new NetError(
      ErrorCode.INVALID_ARGUMENT,
      `not a transfer value: adopt takes what ${side}.transfer() returned`,
    );
  if (transfer.side !== side)
    throw new NetError(
      ErrorCode.INVALID_ARGUMENT,
      `this transfer value carries a ${String(transfer.side)}, not a ${side}`,
    );
  if (transfer.pid !== process.pid)
    throw new NetError(
      ErrorCode.INVALID_ARGUMENT,
      `this transfer value comes from another process (${String(transfer.pid)}): a descriptor's number means nothing here`,
    );
  if (transfer.threadId === threadId)
    throw new NetError(
      ErrorCode.INVALID_ARGUMENT,
      'a half is adopted on another thread than the one that transferred it; on this thread, use share()',
    );
  return transfer as HalfTransfer;
}
