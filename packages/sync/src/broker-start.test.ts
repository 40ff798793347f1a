import { MessageChannel, Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanups } from '../../../test-support/cleanups.mjs';
import { socketHostKind } from '@net/sync';
import { BrokerChannel, type BrokerReply } from './broker-channel.js';
import { type BrokerEvent, SIGNAL_LENGTH } from './broker-messages.js';

const cleanups = new Cleanups();
afterEach(() => cleanups.run());

/** A channel that asks one request with a timeout of the test's choosing. */
class Probe extends BrokerChannel {
  protected _dispatch(event: BrokerEvent): void {
    if ('id' in event) this._replies.set(event.id, event);
  }

  ping(timeoutMs: number): BrokerReply {
    return this._request({ op: 'ping', id: this._nextId++ }, timeoutMs);
  }
}

/**
 * A stand-in broker thread that says who it is only after `startMs` (as a real one loading its
 * modules on a busy machine), then answers every request on the port.
 */
const SLOW_BROKER = `
const { workerData } = require('node:worker_threads');
const { port, signal, startMs } = workerData;
const words = new Int32Array(signal);
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, startMs);
Atomics.store(words, 2, -1);
port.on('message', (request) => {
  port.postMessage({ op: 'pong', id: request.id });
  Atomics.add(words, 0, 1);
  Atomics.notify(words, 0);
});
`;

// The broker thread is the Node path; a runtime that calls the C library directly has none.
describe.skipIf(socketHostKind() !== 'broker')('a broker thread slow to start', () => {
  it("is waited for: a request's timeout runs from the thread's start, not the request's", async () => {
    const { port1, port2 } = new MessageChannel();
    const signal = new SharedArrayBuffer(SIGNAL_LENGTH * Int32Array.BYTES_PER_ELEMENT);
    const thread = new Worker(SLOW_BROKER, {
      eval: true,
      workerData: { port: port2, signal, startMs: 1_500 },
      transferList: [port2],
    });
    cleanups.add(() => thread.terminate());
    const probe = new Probe({ port: port1, signal });
    cleanups.add(() => port1.close());
    // A timeout well under the start: the request used to give up on the thread as never started.
    const reply = probe.ping(300);
    expect(reply).toMatchObject({ id: 1 });
    expect(probe.stopped).toBe(false);
  });
});
