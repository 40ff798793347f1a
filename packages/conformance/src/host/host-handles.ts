import { workerData } from 'node:worker_threads';
import { type ConId, ErrorCode, NetError } from '@net/core';
import { RingQueue } from '@net/core/internal';
import {
  blockingDriver,
  type FlavourDriver,
  type HostClt,
  type HostSvc,
  nonblockingDriver,
  type ReceiveSink,
} from './flavour-drivers.js';
import { detach, type HostEvent, wireConId, wireError } from './wire.js';

// What the synchronous host thread holds (see `sync-host.ts`): the flavour it runs, its open
// clients and services by handle, and the events it owes home; and how one pass moves each handle
// along: a client's queued sends in order, a service's accepts and pool sends.

/** The flavour this host thread runs, as its creator asked. */
export const driver: FlavourDriver =
  (workerData as { flavour: string }).flavour === 'blocking' ? blockingDriver() : nonblockingDriver();
/** What happened since the last batch went home; {@link takeEvents} starts the next one. */
export let out: HostEvent[] = [];

/** The events of this pass, for posting home in one batch; later ones go into a new batch. */
export function takeEvents(): HostEvent[] {
  const batch = out;
  out = [];
  return batch;
}

/** A command a client carries out in its turn, in order. */
export type Pending = { readonly id: number; readonly op: 'send' | 'offer' | 'close'; readonly message?: unknown };
/** A client the host holds: its queue of commands, and what the suite last heard of its state. */
export interface CltEntry {
  readonly kind: 'clt';
  readonly clt: HostClt;
  readonly queue: RingQueue<Pending>;
  connected: boolean;
  ended: boolean;
}
/** An accept waiting for a connection, until its deadline. */
export interface Waiter {
  readonly id: number;
  readonly op: 'accept' | 'acceptIntoPool';
  readonly deadline: number;
}
/** A service the host holds: accepted connections nobody claimed yet, waiting accepts, queued pool sends. */
export interface SvcEntry {
  readonly kind: 'svc';
  readonly svc: HostSvc;
  readonly unclaimed: HostClt[];
  readonly waiters: Waiter[];
  readonly sends: RingQueue<{ readonly id: number; readonly conId?: ConId; readonly message: unknown }>;
  readonly conIds: Map<string, ConId>;
}

/** Every open client and service, by the handle the suite knows it by. */
export const handles = new Map<number, CltEntry | SvcEntry>();
/** The handle the next client or service gets (read-only outside this module: {@link newHandle} takes it). */
export let nextHandle = 1;

/** Takes the next handle, for a service. */
export function newHandle(): number {
  return nextHandle++;
}

/** Answers command `id`. */
export function reply(id: number, value?: unknown): void {
  out.push({ kind: 'reply', id, value });
}

/** Answers command `id` with an error. */
export function fail(id: number, error: unknown): void {
  out.push({ kind: 'reply', id, error: wireError(error) });
}

/** Where the messages read on `handle` go: home, as events. */
export function sinkFor(handle: number): ReceiveSink {
  return {
    message: (message) => out.push({ kind: 'message', handle, message: detach(message) }),
    decodeError: (error) => out.push({ kind: 'decodeError', handle, error: wireError(error) }),
    end(reason) {
      const entry = handles.get(handle);
      if (entry?.kind === 'clt') entry.ended = true;
      out.push({ kind: 'end', handle, reason: reason === undefined ? undefined : wireError(reason) });
    },
  };
}

/** Holds an open client under the next handle; returns the handle. */
export function addClt(clt: HostClt): number {
  const handle = nextHandle++;
  handles.set(handle, { kind: 'clt', clt, queue: new RingQueue(), connected: true, ended: false });
  return handle;
}

/** Closes a service and fails whatever still waited on it. */
export function closeSvc(handle: number, entry: SvcEntry): void {
  entry.svc.close();
  driver.forget(entry.svc.conId);
  handles.delete(handle);
  const closed = new NetError(ErrorCode.CLOSED, 'service is closed');
  for (const waiter of entry.waiters.splice(0)) fail(waiter.id, closed);
  for (let send = entry.sends.shift(); send !== undefined; send = entry.sends.shift()) fail(send.id, closed);
}

/** Moves a client's queue along in order; returns true when something moved. */
export function stepClt(handle: number, entry: CltEntry): boolean {
  let moved = false;
  for (let head = entry.queue.peek(); head !== undefined; head = entry.queue.peek()) {
    try {
      if (head.op === 'close') {
        entry.clt.close();
        driver.forget(entry.clt.conId);
        handles.delete(handle);
        if (!entry.ended) out.push({ kind: 'end', handle, reason: undefined });
        entry.queue.shift();
        const closed = new NetError(ErrorCode.CLOSED, 'connection is closed');
        for (let rest = entry.queue.shift(); rest !== undefined; rest = entry.queue.shift()) fail(rest.id, closed);
        reply(head.id);
        return true;
      }
      if (head.op === 'offer') {
        // One attempt in its turn, answered either way: a refusal is the result, not a wait.
        reply(head.id, entry.clt.trySend(head.message) ? 'taken' : 'refused');
      } else {
        if (!entry.clt.trySend(head.message)) return moved;
        reply(head.id);
      }
    } catch (error) {
      fail(head.id, error);
    }
    entry.queue.shift();
    moved = true;
  }
  const connected = entry.clt.isConnected();
  if (connected !== entry.connected) {
    entry.connected = connected;
    out.push({ kind: 'connected', handle, connected });
  }
  return moved;
}

/** Hands accepted connections to waiting accepts and moves pool sends along. */
export function stepSvc(entry: SvcEntry, now: number): boolean {
  let moved = false;
  entry.unclaimed.push(...entry.svc.takeAccepted());
  while (entry.waiters.length > 0 && entry.unclaimed.length > 0) {
    const waiter = entry.waiters.shift()!;
    const clt = entry.unclaimed.shift()!;
    if (waiter.op === 'acceptIntoPool') {
      const conId = entry.svc.intoPool(clt);
      entry.conIds.set(String(conId), conId);
      reply(waiter.id, wireConId(conId));
    } else {
      const accepted = addClt(clt);
      entry.svc.receive(clt, sinkFor(accepted));
      reply(waiter.id, { handle: accepted, conId: wireConId(clt.conId) });
    }
    moved = true;
  }
  for (let i = 0; i < entry.waiters.length; i++) {
    if (entry.waiters[i].deadline > now) continue;
    fail(entry.waiters[i].id, new NetError(ErrorCode.TIMEOUT, 'no connection within the timeout'));
    entry.waiters.splice(i--, 1);
  }
  for (let head = entry.sends.peek(); head !== undefined; head = entry.sends.peek()) {
    try {
      const sent =
        head.conId === undefined ? entry.svc.trySend(head.message) : entry.svc.trySendTo(head.conId, head.message);
      if (!sent) break;
      reply(head.id);
    } catch (error) {
      fail(head.id, error);
    }
    entry.sends.shift();
    moved = true;
  }
  return moved;
}
