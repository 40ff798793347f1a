import type { HalfTransfer } from '@net/blocking';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { Cleanups } from '../../../test-support/cleanups.mjs';
import type { FlavourAdapter } from './adapter.js';
import { asyncAdapter } from './async-adapter.js';
import { HalfThreadPair } from './cross-thread/half-thread-pair.js';
import { terminateWhileReceiving } from './cross-thread/terminate-while-receiving.js';
import type { HalfSide, SyncFlavour } from './cross-thread/half-thread-wire.js';
import { jsonCodec } from './recipes/core-factories.js';
import { hostedAdapter } from './remote-adapter.js';
import type { Seq } from './scenarios/helpers.js';
import { recvInOrder, sendWindowed } from './scenarios/messaging.js';

// A synchronous client whose split half moved to another thread, against every service flavour.
// The client lives on a thread of its own (the "owner"), its moved half on a second ("the
// worker"), and the service here or on a host thread, so that no loop parks the thread whose
// event loop another side needs.

const COUNT = 100_000;
/** Per receive or send: a stall fails with how far the stream got, not with the test's timeout. */
const STEP_MS = 10_000;
const clients: readonly SyncFlavour[] = ['nonblocking', 'blocking'];
const services = ['async', 'nonblocking', 'blocking'] as const;
const sides: readonly HalfSide[] = ['receiver', 'sender'];
const other = (side: HalfSide): HalfSide => (side === 'receiver' ? 'sender' : 'receiver');

for (const cltFlavour of clients) {
  for (const svcFlavour of services) {
    describe(`${cltFlavour} Clt with a half on another thread -> ${svcFlavour} Svc`, () => {
      const hosted = svcFlavour === 'async' ? undefined : hostedAdapter(svcFlavour);
      const service: FlavourAdapter = hosted ?? asyncAdapter;
      const cleanups = new Cleanups();
      afterEach(() => cleanups.run());
      const pair = new HalfThreadPair();
      afterAll(() => Promise.all([pair.end(), hosted?.terminate()]));

      /** A client on the owner thread, connected to a fresh service, its `moved` half adopted by the worker. */
      async function connected(moved: HalfSide) {
        const svc = await service.bind<Seq, Seq>('127.0.0.1:0', { codec: jsonCodec<Seq>() });
        cleanups.add(() => svc.close());
        const [owner, worker] = await pair.get();
        cleanups.add(() => pair.reset());
        const [, peer] = await Promise.all([
          owner.must({ op: 'connect', flavour: cltFlavour, port: svc.port }),
          svc.accept(STEP_MS),
        ]);
        cleanups.add(() => peer.close());
        const value = (await owner.must({ op: 'transfer', side: moved })).value as HalfTransfer;
        await worker.must({ op: 'adopt', flavour: cltFlavour, side: moved, value }, value.transferList);
        return { owner, worker, peer };
      }

      for (const moved of sides) {
        it(`streams ${COUNT} messages each way at once with the client's ${moved} on a worker, in order on both sides`, async () => {
          const { owner, worker, peer } = await connected(moved);
          const [receiving, sending] = moved === 'receiver' ? [worker, owner] : [owner, worker];
          const [received, , toService] = await Promise.all([
            receiving.must({ op: 'recvN', count: COUNT, timeoutMs: STEP_MS, who: `the client's ${moved} thread` }),
            sending.must({ op: 'sendN', count: COUNT, timeoutMs: STEP_MS }),
            recvInOrder(peer, COUNT, STEP_MS, 'the service'),
            sendWindowed(peer, COUNT),
          ]);
          expect(received.problem).toBeUndefined();
          expect(toService).toBeUndefined();
        }, 120_000);
      }

      it("ends a worker's receive, parked or spinning, with END_OF_STREAM when the owner thread closes the client", async () => {
        const { owner, worker, peer } = await connected('receiver');
        const ending = worker.must({ op: 'recvEnd', timeoutMs: 30_000 });
        await worker.notice('receiving');
        await owner.must({ op: 'closeClt' });
        expect((await ending).end).toBe('END_OF_STREAM');
        expect((await owner.must({ op: 'state' })).isClosed).toBe(true);
        // The worker lets go last; the service then sees the end.
        await worker.must({ op: 'closeHalf', side: 'receiver' });
        expect(await peer.recv(STEP_MS)).toBeUndefined();
      }, 60_000);

      it("fails a worker's send with NET_ERR_CLOSED once the owner thread closes the client", async () => {
        const { owner, worker, peer } = await connected('sender');
        expect((await worker.must({ op: 'sendOne', seq: 1, timeoutMs: STEP_MS })).code).toBe('none');
        expect(await peer.recv(STEP_MS)).toEqual({ seq: 1 });
        await owner.must({ op: 'closeClt' });
        expect((await worker.must({ op: 'sendOne', seq: 2, timeoutMs: STEP_MS })).code).toBe('NET_ERR_CLOSED');
        await worker.must({ op: 'closeHalf', side: 'sender' });
        expect(await peer.recv(STEP_MS)).toBeUndefined();
      }, 60_000);

      for (const moved of sides) {
        for (const first of ['worker', 'owner'] as const) {
          it(`keeps the connection open for the other half when the ${first} lets go first (the ${moved} moved); the service sees the end when both have`, async () => {
            const { owner, worker, peer } = await connected(moved);
            const [leaving, staying] = first === 'worker' ? [worker, owner] : [owner, worker];
            const [leftSide, stayingSide] = first === 'worker' ? [moved, other(moved)] : [other(moved), moved];
            await leaving.must({ op: 'closeHalf', side: leftSide });
            if (first === 'worker') {
              const state = await owner.must({ op: 'state' });
              expect(state).toMatchObject({ isClosed: false, threadHolds: 1 });
            }
            // The half that stays still carries traffic its way.
            if (stayingSide === 'sender') {
              expect((await staying.must({ op: 'sendOne', seq: 3, timeoutMs: STEP_MS })).code).toBe('none');
              expect(await peer.recv(STEP_MS)).toEqual({ seq: 3 });
            } else {
              await peer.send({ seq: 0 });
              const received = await staying.must({
                op: 'recvN',
                count: 1,
                timeoutMs: STEP_MS,
                who: 'the staying receiver',
              });
              expect(received.problem).toBeUndefined();
            }
            expect(peer.isConnected()).toBe(true);
            await staying.must({ op: 'closeHalf', side: stayingSide });
            expect(await peer.recv(STEP_MS)).toBeUndefined();
            expect((await owner.must({ op: 'state' })).isClosed).toBe(true);
          }, 60_000);
        }
      }

      // Deno's MessagePort never reports that the thread holding its other end was terminated:
      // there the giving thread sees the worker's kernel thread gone.
      it("releases the hold of a worker terminated while it receives; the owner's sender works on, and the service sees the end when it closes", async () => {
        const { owner, worker, peer } = await connected('receiver');
        const answer = await terminateWhileReceiving(worker, peer, 'the worker', 10 * COUNT, STEP_MS);
        expect(answer.ok).toBe(false);
        // The thread that watches the worker's port hears it close when its event loop turns.
        let state = await owner.must({ op: 'state' });
        for (let asks = 0; state.threadHolds !== 1 && asks < 2_000; asks++) {
          await new Promise((resolve) => setTimeout(resolve, 10));
          state = await owner.must({ op: 'state' });
        }
        expect(state).toMatchObject({ threadHolds: 1, isClosed: false });
        expect((await owner.must({ op: 'sendOne', seq: 4, timeoutMs: STEP_MS })).code).toBe('none');
        expect(await peer.recv(STEP_MS)).toEqual({ seq: 4 });
        await owner.must({ op: 'closeHalf', side: 'sender' });
        expect((await owner.must({ op: 'state' })).isClosed).toBe(true);
        expect(await peer.recv(STEP_MS)).toBeUndefined();
      }, 60_000);
    });
  }
}
