import { parentPort } from 'node:worker_threads';
import { type Callbacks, type ConId, ErrorCode, NetError } from '@net/core';
import { RingQueue } from '@net/core/internal';
import { socketBroker } from '@net/sync/internal';
import '../recipes/core-factories.js';
import '../scenarios/protocols.js';
import '../scenarios/burst-protocols.js';
import '../scenarios/throwing-protocols.js';
import '../scenarios/silence-watch.js';
import { fromWire } from '../recipes/recipe.js';
import {
  addClt,
  closeSvc,
  driver,
  fail,
  handles,
  newHandle,
  nextHandle,
  out,
  reply,
  sinkFor,
  stepClt,
  stepSvc,
  takeEvents,
} from './host-handles.js';
import { detach, type HostCommand, wireConId, wireError, type WireOptions } from './wire.js';

// The thread a synchronous flavour runs in during the conformance suite. It takes commands from
// the suite's thread, makes one attempt at each per pass (a send that would block waits its turn,
// in order, per connection), reads every connection in the background the way an application's
// reader loop would, and posts what happened home in one batch per pass.

/** Passes in a row with nothing done after which the host waits for the broker instead of spinning. */
const IDLE_PASSES_BEFORE_WAIT = 64;
/** Longest idle wait: timers (heartbeats, deadlines) are looked at least this often. */
const IDLE_WAIT_MS = 2;

const port = parentPort!;
const broker = socketBroker();

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
      const handle = newHandle();
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
  if (out.length > 0) port.postMessage(takeEvents());
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
