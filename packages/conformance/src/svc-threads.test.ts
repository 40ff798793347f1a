// Each client flavour against a service spread over two threads (`SvcThreads`): 100,000 messages
// each way in order on one connection, and closes from either side.
import * as asyncFlavour from '@net/async';
import * as blocking from '@net/blocking';
import type { NetError } from '@net/core';
import * as nonblocking from '@net/nonblocking';
import { afterEach, describe, expect, it } from 'vitest';

type Msg = { n: number; close?: boolean };
const COUNT = 100_000;
// Replies outstanding at once: enough to keep the thread busy, few enough that no socket buffer fills.
const WINDOW = 256;
const HANDLER = new URL('./svc-threads/echo-handler.mjs', import.meta.url);

/** One client as the runs drive it, whatever its flavour: `recv` gives `'end'` at the end of the stream. */
interface Client {
  send(message: Msg): Promise<void>;
  recv(): Promise<Msg | 'end'>;
  close(): Promise<void>;
}

const clients: Record<string, (port: number) => Promise<Client>> = {
  nonblocking: (port) => {
    const clt = nonblocking.Clt.connect<Msg, Msg>({ port }, { codec: nonblocking.jsonCodec() });
    return Promise.resolve({
      send: (message) => Promise.resolve(void clt.sendBusywait(message)),
      recv: () => {
        const got = clt.recvBusywaitTimeout(30_000);
        if (got === nonblocking.WOULD_BLOCK) throw new Error('no reply within 30 s');
        return Promise.resolve(got === nonblocking.END_OF_STREAM ? 'end' : got);
      },
      close: () => Promise.resolve(clt.close()),
    });
  },
  blocking: (port) => {
    const clt = blocking.Clt.connect<Msg, Msg>({ port }, { codec: blocking.jsonCodec() });
    return Promise.resolve({
      send: (message) => Promise.resolve(clt.send(message)),
      recv: () => {
        const got = clt.recv({ timeout: 30_000 });
        return Promise.resolve(got === blocking.END_OF_STREAM ? 'end' : got);
      },
      close: () => Promise.resolve(clt.close()),
    });
  },
  async: async (port) => {
    const clt = await asyncFlavour.Clt.connect<Msg, Msg>({ port }, { codec: asyncFlavour.jsonCodec() });
    return {
      send: async (message) => {
        if (!clt.send(message)) await clt.drained();
      },
      recv: async () => (await clt.recv({ timeout: 30_000 })) ?? 'end',
      close: () => clt.close(),
    };
  },
};

let svc: nonblocking.SvcThreads | undefined;
afterEach(() => {
  svc?.close();
  svc = undefined;
});

async function bound(): Promise<nonblocking.SvcThreads> {
  const errors: NetError[] = [];
  svc = await nonblocking.SvcThreads.bind('127.0.0.1:0', {
    threads: 2,
    handler: HANDLER,
    onError: (error) => errors.push(error),
  });
  return svc;
}

/** Waits (bounded) for `condition`, which another thread makes true, letting the event loop run. */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 4_000; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.each(Object.keys(clients))('a %s client against a service on two threads', (flavour) => {
  it('sends 100,000 messages and gets each back in order; its close ends the connection on the service', async () => {
    const service = await bound();
    const clt = await clients[flavour](service.port);
    let sent = 0;
    let outOfOrder = 0;
    for (let got = 0; got < COUNT; got++) {
      while (sent < COUNT && sent - got < WINDOW) await clt.send({ n: sent++ });
      const reply = await clt.recv();
      if (reply === 'end' || reply.n !== got) outOfOrder++;
    }
    expect(outOfOrder).toBe(0);
    await until(() => service.stats().reduce((sum, s) => sum + s.messages, 0) === COUNT, 'the count to settle');
    await clt.close();
    await until(() => service.connections === 0, 'the service thread to see the end of the stream');
  }, 300_000);

  it("sees the end of the stream when the service's handler closes the connection", async () => {
    const service = await bound();
    const clt = await clients[flavour](service.port);
    await clt.send({ n: 1 });
    expect(await clt.recv()).toEqual({ n: 1 });
    await clt.send({ n: 2, close: true });
    expect(await clt.recv()).toBe('end');
    await until(() => service.connections === 0, 'the connection to leave its thread');
    await clt.close();
  }, 60_000);
});
