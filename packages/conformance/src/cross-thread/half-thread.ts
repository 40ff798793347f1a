import { parentPort } from 'node:worker_threads';
import * as blocking from '@net/blocking';
import { ErrorCode, NetError, type SharedFrameInbox } from '@net/core';
import * as nonblocking from '@net/nonblocking';
import { connectionOf } from '@net/sync/internal';
import type { Seq } from '../scenarios/helpers.js';
import type { HalfRequest, HalfSide, SyncFlavour } from './half-thread-wire.js';

// A thread of the cross-thread scenarios: it holds a synchronous client (or one half of one that
// another thread gave away) and runs whole loops on it when the suite's thread asks, so that a
// send or receive spins or parks this thread only, as an application's worker would.

const port = parentPort!;
const PAYLOAD = 'x'.repeat(100);

/** One half as the loops below use it, whatever the flavour: failures throw a `NetError`. */
interface Half {
  send(message: Seq, timeoutMs: number): void;
  /** The next message, or undefined at the end of stream. */
  recv(timeoutMs: number): Seq | undefined;
  transfer(): blocking.HalfTransfer;
  close(): void;
}

function timedOut(what: string, timeoutMs: number): NetError {
  return new NetError(ErrorCode.TIMEOUT, `${what} took longer than ${timeoutMs} ms`);
}

function blockingHalves(clt: blocking.Clt<Seq, Seq>): Record<HalfSide, Half> {
  const { sender, receiver } = clt.split();
  return { sender: blockingSender(sender), receiver: blockingReceiver(receiver) };
}

function blockingSender(sender: blocking.CltSender<Seq, Seq>): Half {
  return {
    // A blocking send waits for room; the write-stall timeout bounds a peer that takes nothing.
    send: (message) => sender.send(message),
    recv: () => {
      throw new Error('a sender does not receive');
    },
    transfer: () => sender.transfer(),
    close: () => sender.close(),
  };
}

function blockingReceiver(receiver: blocking.CltReceiver<Seq, Seq>): Half {
  return {
    send: () => {
      throw new Error('a receiver does not send');
    },
    recv: (timeoutMs) => receiver.recv({ timeout: timeoutMs }),
    transfer: () => receiver.transfer(),
    close: () => receiver.close(),
  };
}

function nonblockingHalves(clt: nonblocking.Clt<Seq, Seq>): Record<HalfSide, Half> {
  const { sender, receiver } = clt.split();
  return { sender: nonblockingSender(sender), receiver: nonblockingReceiver(receiver) };
}

function nonblockingSender(sender: nonblocking.CltSender<Seq, Seq>): Half {
  return {
    send: (message, timeoutMs) => {
      if (sender.sendBusywaitTimeout(message, timeoutMs) !== 'completed') throw timedOut('a send', timeoutMs);
    },
    recv: () => {
      throw new Error('a sender does not receive');
    },
    transfer: () => sender.transfer(),
    close: () => sender.close(),
  };
}

function nonblockingReceiver(receiver: nonblocking.CltReceiver<Seq, Seq>): Half {
  return {
    send: () => {
      throw new Error('a receiver does not send');
    },
    recv: (timeoutMs) => {
      const message = receiver.recvBusywaitTimeout(timeoutMs);
      if (message === nonblocking.WOULD_BLOCK) throw timedOut('a receive', timeoutMs);
      return message;
    },
    transfer: () => receiver.transfer(),
    close: () => receiver.close(),
  };
}

function adopt(flavour: SyncFlavour, side: HalfSide, value: unknown): Half {
  const codec = { codec: blocking.jsonCodec<Seq>() };
  if (flavour === 'blocking')
    return side === 'sender'
      ? blockingSender(blocking.CltSender.adopt<Seq, Seq>(value, codec))
      : blockingReceiver(blocking.CltReceiver.adopt<Seq, Seq>(value, codec));
  return side === 'sender'
    ? nonblockingSender(nonblocking.CltSender.adopt<Seq, Seq>(value, codec))
    : nonblockingReceiver(nonblocking.CltReceiver.adopt<Seq, Seq>(value, codec));
}

/** An inbox read as a receiver: spinning (`@net/nonblocking`) or parked (`@net/blocking`). */
function inboxReceiver(flavour: SyncFlavour, inbox: SharedFrameInbox): Half {
  const onlyReceives = () => {
    throw new Error('an inbox only receives');
  };
  if (flavour === 'blocking') {
    const receiver = blocking.InboxReceiver.attach<Seq>(inbox, { codec: blocking.jsonCodec<Seq>() });
    return {
      send: onlyReceives,
      recv: (timeoutMs) => receiver.recv({ timeout: timeoutMs }),
      transfer: onlyReceives,
      close: () => receiver.close(),
    };
  }
  const receiver = nonblocking.InboxReceiver.attach<Seq>(inbox, { codec: nonblocking.jsonCodec<Seq>() });
  return {
    send: onlyReceives,
    recv: (timeoutMs) => {
      const message = receiver.recvBusywaitTimeout(timeoutMs);
      if (message === nonblocking.WOULD_BLOCK) throw timedOut('a receive from the inbox', timeoutMs);
      return message;
    },
    transfer: onlyReceives,
    close: () => receiver.close(),
  };
}

let clt: blocking.Clt<Seq, Seq> | nonblocking.Clt<Seq, Seq> | undefined;
const halves = new Map<HalfSide, Half>();

function half(side: HalfSide): Half {
  const found = halves.get(side);
  if (found === undefined) throw new NetError(ErrorCode.CLOSED, `this thread holds no ${side}`);
  return found;
}

/** Receives `count` numbered messages; the first sequence problem, or undefined when all came in order. */
function recvInOrder(request: Extract<HalfRequest, { op: 'recvN' }>): string | undefined {
  const receiver = half('receiver');
  for (let expected = 0; expected < request.count; expected++) {
    if (expected === request.noticeAt) port.postMessage({ notice: 'progress', received: expected });
    let message: Seq | undefined;
    try {
      message = receiver.recv(request.timeoutMs);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`${request.who} had ${expected} of ${request.count} messages when a receive failed: ${reason}`, {
        cause: error,
      });
    }
    if (message === undefined) return `end of stream after ${expected} of ${request.count} messages`;
    if (message.seq !== expected) return `expected seq ${expected}, got ${message.seq}`;
  }
  return undefined;
}

function codeOf(run: () => unknown): string {
  try {
    run();
    return 'none';
  } catch (error) {
    return error instanceof NetError ? error.code : String(error);
  }
}

function run(request: HalfRequest): Record<string, unknown> | undefined {
  switch (request.op) {
    case 'connect': {
      const address = { host: '127.0.0.1', port: request.port };
      if (request.flavour === 'blocking') {
        const made = blocking.Clt.connect<Seq, Seq>(address, { codec: blocking.jsonCodec<Seq>() });
        clt = made;
        for (const [side, value] of Object.entries(blockingHalves(made))) halves.set(side as HalfSide, value);
      } else {
        const made = nonblocking.Clt.connect<Seq, Seq>(address, { codec: nonblocking.jsonCodec<Seq>() });
        clt = made;
        for (const [side, value] of Object.entries(nonblockingHalves(made))) halves.set(side as HalfSide, value);
      }
      return undefined;
    }
    case 'transfer': {
      const value = half(request.side).transfer();
      halves.delete(request.side);
      return { value };
    }
    case 'adopt':
      halves.set(request.side, adopt(request.flavour, request.side, request.value));
      return undefined;
    case 'attachInbox':
      halves.set('receiver', inboxReceiver(request.flavour, request.inbox));
      return undefined;
    case 'recvN':
      return { problem: recvInOrder(request) };
    case 'sendN':
      for (let seq = 0; seq < request.count; seq++) half('sender').send({ seq, text: PAYLOAD }, request.timeoutMs);
      return undefined;
    case 'recvEnd': {
      // Told before the receive starts, so that the suite's thread closes while it waits here.
      port.postMessage({ notice: 'receiving' });
      const message = half('receiver').recv(request.timeoutMs);
      return { end: message === undefined ? 'END_OF_STREAM' : `message ${JSON.stringify(message)}` };
    }
    case 'sendOne':
      return { code: codeOf(() => half('sender').send({ seq: request.seq }, request.timeoutMs)) };
    case 'closeHalf':
      halves.get(request.side)?.close();
      halves.delete(request.side);
      return undefined;
    case 'closeClt':
      clt?.close();
      return undefined;
    case 'state':
      return clt === undefined ? {} : { threadHolds: connectionOf(clt).threadHolds, isClosed: clt.isClosed };
    case 'closeAll':
      for (const held of halves.values()) held.close();
      halves.clear();
      clt?.close();
      clt = undefined;
      return undefined;
  }
}

port.on('message', (request: HalfRequest) => {
  try {
    const answer: Record<string, unknown> = { id: request.id, ok: true, ...run(request) };
    const value = answer.value as blocking.HalfTransfer | undefined;
    port.postMessage(answer, value === undefined ? [] : [...value.transferList]);
  } catch (error) {
    const code = error instanceof NetError ? error.code : undefined;
    port.postMessage({ id: request.id, ok: false, code, message: String((error as Error).message ?? error) });
  }
});
port.postMessage({ notice: 'ready' });
