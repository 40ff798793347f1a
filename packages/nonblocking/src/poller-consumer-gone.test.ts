import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanups } from '../../../test-support/cleanups.mjs';
import { Clt, jsonCodec, PollerThread, Svc } from './index.js';

type Msg = { n: number };
const codec = () => jsonCodec<Msg>();
const CONSUMER_WORKER = new URL('./test-support/inbox-consumer-worker.mjs', import.meta.url);
const cleanups = new Cleanups();
afterEach(() => cleanups.run());

/** Waits (bounded) for `condition`, which another thread makes true, letting the event loop run. */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2_000; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('PollerThread: a consumer whose thread is gone', () => {
  it.each([
    ['ended by itself', false],
    ['terminated', true],
  ] as const)(
    'lets go of the connection of a consumer whose thread %s without closing its inbox',
    async (_how, terminate) => {
      const poller = PollerThread.start();
      cleanups.add(() => poller.close());
      const svc = cleanups.close(Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: codec() }));
      const clt = cleanups.close(Clt.connect<Msg, Msg>({ port: svc.port }, { codec: codec() }));
      const peer = svc.acceptBusywaitTimeout(10_000);
      if (typeof peer !== 'object') throw new Error('no connection accepted');
      cleanups.close(peer);
      const inbox = poller.add(clt.split().receiver, { framer: codec().framer });
      const consumer = new Worker(CONSUMER_WORKER, { workerData: { inbox, stay: terminate } });
      const exited = once(consumer, 'exit');
      if (terminate) cleanups.add(() => consumer.terminate());
      expect((await once(consumer, 'message'))[0]).toBe('attached');
      await until(() => poller.connections === 1, 'the poller to take the connection');
      // Either way the consumer never closes its side, and Deno reports a terminated thread on no port.
      // A consumer that ends by itself is told when: ended before the poller took the connection,
      // it would be let go at once, before this thread could see it taken.
      if (terminate) await consumer.terminate();
      else consumer.postMessage('end');
      await exited;
      peer.sendBusywait({ n: 1 });
      await until(() => poller.connections === 0, 'the poller to let the connection go');
      expect(poller.connections).toBe(0);
    },
    30_000,
  );
});
