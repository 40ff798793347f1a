import { parentPort, workerData } from 'node:worker_threads';
import { type Callbacks, type ConId, ErrorCode, NetError } from '@net/core';
import { RingQueue } from '@net/core/internal';
import { socketBroker } from '@net/sync/internal';
import '../recipes/core-factories.js';
import '../scenarios/protocols.js';
import '../scenarios/burst-protocols.js';
import { fromWire } from '../recipes/recipe.js';
import {
  blockingDriver,
  type FlavourDriver,
  type HostClt,
  type HostSvc,
  nonblockingDriver,
  type ReceiveSink,
} from './flavour-drivers.js';
import { detach, type HostCommand, type HostEvent, wireConId, wireError, type WireOptions } from './wire.js';

// The thread a synchronous flavour runs in during the conformance suite. It takes commands from
// the suite's thread, makes one attempt at each per pass (a send that would block waits its turn,
// in order, per connection), reads every connection in the background the way an application's
// reader loop would, and posts what happened home in one batch per pass.

/** Passes in a row with nothing done after which the host waits for the broker instead of spinning. */
const IDLE_PASSES_BEFORE_WAIT = 64;
/** Longest idle wait: timers (heartbeats, deadlines) are looked at least this often. */
const IDLE_WAIT_MS = 2;

const port = parentPort!;
const driver: FlavourDriver =
  (workerData as { flavour: string }).flavour === 'blocking' ? blockingDriver() : nonblockingDriver();
const broker = socketBroker();
let out: HostEvent[] = [];

type Pending = { readonly id: number; readonly op: 'send' | 'offer' | 'close'; readonly message?: unknown };
interface CltEntry {
  readonly kind: 'clt';
  readonly clt: HostClt;
  readonly queue: RingQueue<Pending>;
  connected: boolean;
  ended: boolean;
}
interface Waiter {
  readonly id: number;
  readonly op: 'accept' | 'acceptIntoPool';
  readonly deadline: number;
}
interface SvcEntry {
  readonly kind: 'svc';
  readonly svc: HostSvc;
  readonly unclaimed: HostClt[];
  readonly waiters: Waiter[];
  readonly sends: RingQueue<{ readonly id: number; readonly conId?: ConId; readonly message: unknown }>;
  readonly conIds: Map<string, ConId>;
}

const handles = new Map<number, CltEntry | SvcEntry>();
let nextHandle = 1;

function reply(id: number, value?: unknown): void {
  out.push({ kind: 'reply', id, value });
}

function fail(id: number, error: unknown): void {
  out.push({ kind: 'reply', id, error: wireError(error) });
}

function forwardingCallbacks(spec: WireOptions['callbacks']): Callbacks<unknown, unknown> | undefined {
  if (spec === undefined) return undefined;
  const callbacks: Record<string, (conId: ConId, arg?: unknown) => void> = {};
  for (const event of spec.events) {
    callbacks[event] = (conId, arg) => {
      const carriesReason = event === 'onDisconnected' || event === 'onRejected';
      out.push({
        kind: 'callback',
        owner: spec.owner,
        event,
        conId: wireConId(conId),
        ...(carriesReason ? { reason: arg === undefined ? undefined : wireError(arg) } : { value: detach(arg) }),
      });
    };
  }
  return callbacks;
}

function buildOptions(wire: WireOptions): object {
  const report = (id: number, args: unknown[]) => out.push({ kind: 'report', id, args });
  return {
    ...wire,
    codec: fromWire(wire.codec, report),
    protocol: wire.protocol === undefined ? undefined : fromWire(wire.protocol, report),
    callbacks: forwardingCallbacks(wire.callbacks),
  };
}

function sinkFor(handle: number): ReceiveSink {
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

function addClt(clt: HostClt): number {
  const handle = nextHandle++;
  handles.set(handle, { kind: 'clt', clt, queue: new RingQueue(), connected: true, ended: false });
  return handle;
}

function run(command: HostCommand): void {
  switch (command.op) {
    case 'connect': {
      const handle = nextHandle;
      const clt = driver.connect(command.address as never, buildOptions(command.options), sinkFor(handle));
      addClt(clt);
      reply(command.id, { handle, conId: wireConId(clt.conId) });
      return;
    }
    case 'bind': {
      const handle = nextHandle++;
      const svc = driver.bind(
        command.address,
        buildOptions(command.options),
        (conId, message) => out.push({ kind: 'pooled', handle, conId: wireConId(conId), message: detach(message) }),
        (error) => out.push({ kind: 'poolError', handle, error: wireError(error) }),
      );
      handles.set(handle, { kind: 'svc', svc, unclaimed: [], waiters: [], sends: new RingQueue(), conIds: new Map() });
      reply(command.id, { handle, conId: wireConId(svc.conId), port: svc.port });
      return;
    }
    default:
      break;
  }
  const entry = handles.get(command.handle);
  // Closing twice is not an error, as with every flavour's close.
  if (entry === undefined && command.op === 'close') return reply(command.id);
  if (entry === undefined) throw new NetError(ErrorCode.CLOSED, `handle ${command.handle} is closed`);
  if (entry.kind === 'clt') {
    if (command.op !== 'send' && command.op !== 'offer' && command.op !== 'close')
      throw new Error(`${command.op} is not a client command`);
    entry.queue.push(command);
    return;
  }
  switch (command.op) {
    case 'accept':
    case 'acceptIntoPool':
      entry.waiters.push({
        id: command.id,
        op: command.op,
        deadline: performance.now() + (command.timeoutMs ?? Infinity),
      });
      return;
    case 'svcSend':
      entry.sends.push({ id: command.id, message: command.message });
      return;
    case 'sendTo': {
      const conId = entry.conIds.get(command.conId);
      if (conId === undefined) throw new NetError(ErrorCode.NOT_CONNECTED, `${command.conId} is not in the pool`);
      entry.sends.push({ id: command.id, conId, message: command.message });
      return;
    }
    case 'broadcast':
      reply(command.id, entry.svc.broadcast(command.message));
      return;
    case 'svcState':
      // Rejections happen as the acceptor runs: run it first, as a thread asking its own service would.
      driver.poll();
      reply(command.id, { size: entry.svc.size, rejected: entry.svc.rejectedCount });
      return;
    case 'close':
      closeSvc(command.handle, entry);
      reply(command.id);
      return;
    default:
      throw new Error(`${command.op} is not a service command`);
  }
}

function closeSvc(handle: number, entry: SvcEntry): void {
  entry.svc.close();
  driver.forget(entry.svc.conId);
  handles.delete(handle);
  const closed = new NetError(ErrorCode.CLOSED, 'service is closed');
  for (const waiter of entry.waiters.splice(0)) fail(waiter.id, closed);
  for (let send = entry.sends.shift(); send !== undefined; send = entry.sends.shift()) fail(send.id, closed);
}

/** Moves a client's queue along in order; returns true when something moved. */
function stepClt(handle: number, entry: CltEntry): boolean {
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
function stepSvc(entry: SvcEntry, now: number): boolean {
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

let inbox: HostCommand[] = [];
let scheduled = false;
let idlePasses = 0;

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setImmediate(pass);
}

function pass(): void {
  scheduled = false;
  const seen = broker.eventCount;
  let moved = inbox.length > 0;
  const commands = inbox;
  inbox = [];
  for (const command of commands) {
    try {
      run(command);
    } catch (error) {
      fail(command.id, error);
    }
  }
  try {
    moved = driver.poll() > 0 || moved;
    const now = performance.now();
    for (const [handle, entry] of handles)
      moved = (entry.kind === 'clt' ? stepClt(handle, entry) : stepSvc(entry, now)) || moved;
  } catch (error) {
    // A flavour that throws where it should not is a failure the suite must see, not a dead host.
    out.push({ kind: 'hostError', error: wireError(error), stack: error instanceof Error ? error.stack : undefined });
  }
  if (out.length > 0) {
    const batch = out;
    out = [];
    port.postMessage(batch);
  }
  idlePasses = moved ? 0 : idlePasses + 1;
  // With nothing open there is nothing to look at until the next command arrives.
  if (handles.size === 0) return;
  if (idlePasses < IDLE_PASSES_BEFORE_WAIT) schedule();
  else void broker.whenEvent(seen, IDLE_WAIT_MS).then(schedule);
}

port.on('message', (batch: HostCommand[]) => {
  inbox = inbox.length === 0 ? batch : inbox.concat(batch);
  idlePasses = 0;
  schedule();
});
