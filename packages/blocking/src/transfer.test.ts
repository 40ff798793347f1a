import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanups } from '../../../test-support/cleanups.mjs';
import { Clt, CltReceiver, ErrorCode, jsonCodec, Svc } from './index.js';

type Msg = { n: number };
const codec = () => jsonCodec<Msg>();
const COUNT = 10_000;

const cleanups = new Cleanups();
afterEach(() => cleanups.run());

/** A worker running `test-support/half-worker.mjs` on this package's build, and a way to ask it things. */
async function startWorker(): Promise<{ worker: Worker; ask: (request: object, transfer?: readonly MessagePort[]) => Promise<Record<string, unknown>> }> {
  const worker = new Worker(new URL('./test-support/half-worker.mjs', import.meta.url), {
    workerData: { flavour: new URL('../dist/index.js', import.meta.url).href },
  });
  cleanups.add(() => void worker.terminate());
  const [ready] = (await once(worker, 'message')) as [{ ready?: boolean }];
  expect(ready.ready).toBe(true);
  const ask = async (request: object, transfer: readonly MessagePort[] = []) => {
    worker.postMessage(request, transfer as MessagePort[]);
    const [answer] = (await once(worker, 'message')) as [Record<string, unknown>];
    return answer;
  };
  return { worker, ask };
}

function connected(): { clt: Clt<Msg, Msg>; peer: Clt<Msg, Msg> } {
  const svc = cleanups.close(Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: codec() }));
  const clt = cleanups.close(Clt.connect<Msg, Msg>({ port: svc.port }, { codec: codec() }));
  const peer = cleanups.close(svc.accept({ timeout: 5_000 }));
  return { clt, peer };
}

describe('a half of a blocking Clt on another thread', () => {
  it('receives 10,000 messages in order on a worker while this thread sends on the same connection', async () => {
    const { clt, peer } = connected();
    const { sender, receiver } = clt.split();
    // Bytes already read here, not yet taken, go with the half and come out first.
    peer.send({ n: 0 });
    peer.send({ n: 1 });
    expect(receiver.tryRecv({ timeout: 5_000 })).toEqual({ n: 0 });
    const value = receiver.transfer();
    expect(() => receiver.recv()).toThrow(expect.objectContaining({ code: ErrorCode.CLOSED }));
    const { ask } = await startWorker();
    expect(await ask({ op: 'adoptReceiver', value }, value.transferList)).toMatchObject({ ok: true });
    // The sender half on this thread works on while the worker's receive is parked.
    const receiving = ask({ op: 'recvN', from: 1, count: COUNT });
    sender.send({ n: 7 });
    expect(peer.recv({ timeout: 5_000 })).toEqual({ n: 7 });
    // Its first is the one left buffered here; the rest follow.
    for (let n = 2; n <= COUNT; n++) peer.send({ n });
    expect(await receiving).toEqual({ ok: true, outOfOrder: 0 });
  }, 60_000);
});
