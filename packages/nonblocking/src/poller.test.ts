import { createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanups } from '../../../test-support/cleanups.mjs';
import { Clt, ErrorCode, jsonCodec, type NetError, Poller, REJECTED, Svc, WOULD_BLOCK } from './index.js';

type Msg = { n: number };
const codec = () => jsonCodec<Msg>();

const cleanups = new Cleanups();
afterEach(() => cleanups.run());

/** Registers `poller.shutdown()` to run after the test; returns `poller`. */
function shutdownAfter(poller: Poller): Poller {
  cleanups.add(() => poller.shutdown());
  return poller;
}

/** A service with two accepted connections whose receive sides a poller reads. */
function twoPolledConnections(poller: Poller) {
  const svc = cleanups.close(Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: codec() }));
  const received: { from: 'busy' | 'quiet'; n: number }[] = [];
  const clients: Clt<Msg, Msg>[] = [];
  for (const from of ['busy', 'quiet'] as const) {
    clients.push(cleanups.close(Clt.connect<Msg, Msg>({ port: svc.port }, { codec: codec() })));
    const peer = svc.acceptBusywaitTimeout(5_000);
    if (peer === WOULD_BLOCK || peer === REJECTED) throw new Error('not accepted');
    cleanups.close(peer);
    poller.addReceiver(peer, { onMessage: (message) => received.push({ from, n: message.n }) });
  }
  return { busy: clients[0], quiet: clients[1], received };
}

describe('Poller', () => {
  it('takes at most messagesPerPass from one connection per pass, so a flooding peer cannot starve the next one', () => {
    const poller = shutdownAfter(new Poller({ messagesPerPass: 10 }));
    const { busy, quiet, received } = twoPolledConnections(poller);
    // On loopback a completed send is in the peer's receive buffer when it returns.
    expect(busy.sendManyBusywait(Array.from({ length: 1_000 }, (_, n) => ({ n })))).toBe('completed');
    expect(quiet.sendBusywait({ n: -1 })).toBe('completed');

    expect(poller.pollOnce()).toBe(11);
    expect(received.filter((entry) => entry.from === 'busy').map((entry) => entry.n)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
    expect(received.filter((entry) => entry.from === 'quiet')).toEqual([{ from: 'quiet', n: -1 }]);

    // The rest follows in order, ten a pass.
    for (let pass = 0; pass < 99; pass++) expect(poller.pollOnce()).toBe(10);
    expect(received.filter((entry) => entry.from === 'busy').map((entry) => entry.n)).toEqual(
      Array.from({ length: 1_000 }, (_, n) => n),
    );
    expect(poller.pollOnce()).toBe(0);
  });

  it('by default takes what a connection has up to 64 a pass', () => {
    const poller = shutdownAfter(new Poller());
    const { busy, received } = twoPolledConnections(poller);
    expect(busy.sendManyBusywait(Array.from({ length: 100 }, (_, n) => ({ n })))).toBe('completed');
    expect(poller.pollOnce()).toBe(64);
    expect(poller.pollOnce()).toBe(36);
    expect(received.map((entry) => entry.n)).toEqual(Array.from({ length: 100 }, (_, n) => n));
  });

  it("once spawned, holds the process alive exactly while it has something to poll and is not unref'd", async () => {
    const other = cleanups.close(Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: codec() }));
    const svc = cleanups.close(Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: codec() }));
    const clt = cleanups.close(Clt.connect<Msg, Msg>({ port: svc.port }, { codec: codec() }));
    const poller = shutdownAfter(new Poller());
    // The poller drops a closed receiver or acceptor at its next pass, on the event loop.
    const dropped = async (size: number) => {
      for (let wait = 0; wait < 1_000 && poller.size > size; wait++)
        await new Promise((resolve) => setTimeout(resolve, 5));
      expect(poller.size).toBe(size);
    };
    poller.addAcceptor(svc, () => {});
    expect(poller.hasRef()).toBe(false); // not spawned: the caller's own loop drives it
    expect(poller.spawn().hasRef()).toBe(true);
    expect(poller.unref().hasRef()).toBe(false);
    expect(poller.ref().hasRef()).toBe(true);

    poller.shutdown(svc.conId);
    expect(poller.hasRef()).toBe(false);
    poller.addReceiver(clt, { onMessage: () => {} });
    expect(poller.hasRef()).toBe(true);
    clt.close();
    await dropped(0);
    expect(poller.hasRef()).toBe(false);

    poller.addAcceptor(svc, () => {});
    expect(poller.hasRef()).toBe(true);
    svc.close();
    await dropped(0);
    expect(poller.hasRef()).toBe(false);

    poller.addAcceptor(other, () => {});
    expect(poller.hasRef()).toBe(true);
    poller.shutdown();
    expect(poller.hasRef()).toBe(false);
    poller.addAcceptor(other, () => {});
    expect(poller.hasRef()).toBe(false); // a shut-down poller polls no more
  });

  it('a spawned receiver hands a frame that does not decode to its onError, in order, and reads on', async () => {
    let peer: Socket | undefined;
    const server = createServer((socket) => {
      peer = socket;
      socket.write('{"n":1}\nnot json\n{"n":2}\n');
    });
    cleanups.add(() => new Promise((resolve) => server.close(resolve)));
    cleanups.add(() => peer?.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const clt = cleanups.close(Clt.connect<Msg, Msg>({ port }, { codec: codec() }));
    const poller = shutdownAfter(new Poller());
    const events: (number | string)[] = [];
    await new Promise<void>((resolve) => {
      const seen = (event: number | string) => {
        events.push(event);
        if (events.length === 3) resolve();
      };
      clt.intoSenderWithSpawnedReceiver(poller, {
        onMessage: (message) => seen(message.n),
        onError: (error: NetError) => seen(error.code),
      });
      poller.spawn();
    });
    expect(events).toEqual([1, ErrorCode.DECODE, 2]);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses messagesPerPass %s with NET_ERR_INVALID_ARGUMENT', (messagesPerPass) => {
    expect(() => new Poller({ messagesPerPass })).toThrow(
      expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT }),
    );
  });
});
