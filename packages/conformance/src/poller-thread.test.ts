import * as asyncNet from '@net/async';
import type { HalfTransfer } from '@net/blocking';
import type { SharedFrameInbox } from '@net/core';
import { PollerThread } from '@net/nonblocking';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { Cleanups } from '../../../test-support/cleanups.mjs';
import type { FlavourAdapter } from './adapter.js';
import { asyncAdapter } from './async-adapter.js';
import type { HalfThread } from './cross-thread/half-thread-client.js';
import { HalfThreadPair } from './cross-thread/half-thread-pair.js';
import { terminateWhileReceiving } from './cross-thread/terminate-while-receiving.js';
import type { SyncFlavour } from './cross-thread/half-thread-wire.js';
import { jsonCodec } from './recipes/core-factories.js';
import { hostedAdapter } from './remote-adapter.js';
import type { Seq } from './scenarios/helpers.js';
import { recvInOrder, sendWindowed } from './scenarios/messaging.js';

// A synchronous client whose receiving half a PollerThread reads, against every service flavour:
// the client lives on a thread of its own (the "owner", which keeps and uses the sender), the
// poller thread copies each frame into an inbox, and a consumer reads that inbox with its
// flavour's InboxReceiver, on a worker or (for @net/async) on the suite's thread. The service runs
// here or on a host thread, so that no loop parks a thread whose event loop another side needs.

const COUNT = 100_000;
/** Per receive or send: a stall fails with how far the stream got, not with the test's timeout. */
const STEP_MS = 10_000;
const services = ['async', 'nonblocking', 'blocking'] as const;

/** Who reads the inbox: the client's own flavour on a worker, or `@net/async` on the suite's thread. */
type ConsumerFlavour = SyncFlavour | 'async';
interface Pair {
  readonly clt: SyncFlavour;
  readonly svc: (typeof services)[number];
  readonly consumer: ConsumerFlavour;
}
const pairs: Pair[] = [
  ...(['nonblocking', 'blocking'] as const).flatMap((clt) => services.map((svc) => ({ clt, svc, consumer: clt }))),
  { clt: 'nonblocking', svc: 'async', consumer: 'async' },
];

/** The consumer of one inbox, wherever it runs. */
interface Consumer {
  /** Receives `count` numbered messages; the first sequence problem, or undefined when all came in order. */
  recvN(count: number, noticeAt?: number): Promise<string | undefined>;
  /** The next receive's outcome: `END_OF_STREAM`, or the message that came instead. */
  recvEnd(): Promise<string>;
  close(): Promise<void>;
}

function workerConsumer(thread: HalfThread): Consumer {
  return {
    recvN: async (count, noticeAt) =>
      (await thread.must({ op: 'recvN', count, timeoutMs: STEP_MS, who: 'the consumer worker', noticeAt })).problem as
        string | undefined,
    recvEnd: async () => (await thread.must({ op: 'recvEnd', timeoutMs: STEP_MS })).end as string,
    close: async () => {
      await thread.must({ op: 'closeHalf', side: 'receiver' });
    },
  };
}

function asyncConsumer(inbox: SharedFrameInbox): Consumer {
  const receiver = asyncNet.InboxReceiver.attach<Seq>(inbox, { codec: asyncNet.jsonCodec<Seq>() });
  const handle = { recv: (timeoutMs?: number) => receiver.recv({ timeout: timeoutMs }) };
  return {
    recvN: (count) => recvInOrder(handle, count, STEP_MS, 'the async consumer'),
    recvEnd: async () => {
      const message = await receiver.recv({ timeout: STEP_MS });
      return message === undefined ? 'END_OF_STREAM' : `message ${JSON.stringify(message)}`;
    },
    close: async () => receiver.close(),
  };
}

for (const { clt, svc: svcFlavour, consumer: consumerFlavour } of pairs) {
  const where = consumerFlavour === 'async' ? 'the async consumer on the main thread' : `a ${clt} consumer worker`;
  describe(`${clt} Clt read by a PollerThread into ${where} -> ${svcFlavour} Svc`, () => {
    const hosted = svcFlavour === 'async' ? undefined : hostedAdapter(svcFlavour);
    const service: FlavourAdapter = hosted ?? asyncAdapter;
    const cleanups = new Cleanups();
    afterEach(() => cleanups.run());
    const pair = new HalfThreadPair();
    afterAll(() => Promise.all([pair.end(), hosted?.terminate()]));

    /** A client on the owner thread, connected to a fresh service, its receiver read by a poller thread of its own into the consumer. */
    async function connected() {
      const svc = await service.bind<Seq, Seq>('127.0.0.1:0', { codec: jsonCodec<Seq>() });
      cleanups.add(() => svc.close());
      const [owner, worker] = await pair.get();
      cleanups.add(() => pair.reset());
      const [, peer] = await Promise.all([
        owner.must({ op: 'connect', flavour: clt, port: svc.port }),
        svc.accept(STEP_MS),
      ]);
      cleanups.add(() => peer.close());
      // A poller of its own, so that closing it drops this scenario's connection only.
      const poller = PollerThread.start();
      cleanups.add(() => poller.close());
      const value = (await owner.must({ op: 'transfer', side: 'receiver' })).value as HalfTransfer;
      const inbox = poller.add(value, { framer: jsonCodec<Seq>().framer });
      let consumer: Consumer;
      if (consumerFlavour === 'async') {
        consumer = asyncConsumer(inbox);
        cleanups.add(() => consumer.close());
      } else {
        await worker.must({ op: 'attachInbox', flavour: consumerFlavour, inbox });
        consumer = workerConsumer(worker);
      }
      return { owner, worker, peer, poller, consumer };
    }

    it(`streams ${COUNT} messages each way at once (the sender on the owner thread, the receiver through the poller), in order on both sides`, async () => {
      const { owner, peer, consumer } = await connected();
      const [received, , toService] = await Promise.all([
        consumer.recvN(COUNT),
        owner.must({ op: 'sendN', count: COUNT, timeoutMs: STEP_MS }),
        recvInOrder(peer, COUNT, STEP_MS, 'the service'),
        sendWindowed(peer, COUNT),
      ]);
      expect(received).toBeUndefined();
      expect(toService).toBeUndefined();
    }, 120_000);

    it('ends the inbox with END_OF_STREAM after the last message when the service closes', async () => {
      const { peer, consumer } = await connected();
      await sendWindowed(peer, 1_000);
      await peer.close();
      expect(await consumer.recvN(1_000)).toBeUndefined();
      expect(await consumer.recvEnd()).toBe('END_OF_STREAM');
    }, 60_000);

    it('lets the service see the end when the consumer closes its inbox (the owner let go of the sender before)', async () => {
      const { owner, peer, consumer } = await connected();
      await owner.must({ op: 'closeHalf', side: 'sender' });
      // The poller's hold keeps the connection open: the service's messages still come through.
      await sendWindowed(peer, 10);
      expect(await consumer.recvN(10)).toBeUndefined();
      expect(peer.isConnected()).toBe(true);
      await consumer.close();
      expect(await peer.recv(STEP_MS)).toBeUndefined();
    }, 60_000);

    it.skipIf(consumerFlavour === 'async')(
      'lets the service see the end when the poller closes after its consumer worker was terminated mid-stream',
      async () => {
        const { owner, worker, peer, poller } = await connected();
        await owner.must({ op: 'closeHalf', side: 'sender' });
        const answer = await terminateWhileReceiving(worker, peer, 'the consumer worker', 10 * COUNT, STEP_MS);
        expect(answer.ok).toBe(false);
        // Nothing in shared memory tells the poller that its consumer's thread ended: its inbox
        // keeps the frames it holds until the poller lets go of the connection.
        expect(peer.isConnected()).toBe(true);
        poller.close();
        expect(poller.connections).toBe(0);
        expect(await peer.recv(STEP_MS)).toBeUndefined();
      },
      60_000,
    );
  });
}
