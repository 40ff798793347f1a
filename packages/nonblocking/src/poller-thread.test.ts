import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { type AddressInfo, createServer, Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { connectionOf } from '@net/sync/internal';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanups } from '../../../test-support/cleanups.mjs';
import {
  Clt,
  END_OF_STREAM,
  ErrorCode,
  type Framer,
  delimiterFramer,
  InboxReceiver,
  jsonCodec,
  PollerThread,
  Svc,
  WOULD_BLOCK,
} from './index.js';

type Msg = { n: number };
const codec = () => jsonCodec<Msg>();

const EXIT_PROGRAM = fileURLToPath(new URL('./test-support/poller-exit-program.mjs', import.meta.url));
const RUNTIME_ARGS = 'Deno' in globalThis ? ['run', '-A'] : [];

const cleanups = new Cleanups();

/**
 * Waits (30 s at least, longer under load) for `condition`, which another thread makes true,
 * letting the event loop run; a timeout says what `detail` finds then.
 */
async function until(condition: () => boolean, what: string, detail?: () => string): Promise<void> {
  for (let i = 0; i < 6_000; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`timed out waiting for ${what}${detail === undefined ? '' : ` (${detail()})`}`);
}

/** What an inbox holds now, for a timeout's message: its first message, its end, or its error. */
function inboxState(inbox: InboxReceiver<Msg>): string {
  try {
    const got = inbox.recv();
    return got === WOULD_BLOCK ? 'empty' : got === END_OF_STREAM ? 'ended' : JSON.stringify(got);
  } catch (error) {
    return `failed: ${(error as { code?: string }).code ?? ''} ${(error as Error).message}`;
  }
}
afterEach(() => cleanups.run());

function connected(): { clt: Clt<Msg, Msg>; peer: Clt<Msg, Msg> } {
  const svc = cleanups.close(Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: codec() }));
  const clt = cleanups.close(Clt.connect<Msg, Msg>({ port: svc.port }, { codec: codec() }));
  const peer = svc.acceptBusywaitTimeout(5_000);
  if (typeof peer !== 'object') throw new Error('no connection accepted');
  return { clt, peer: cleanups.close(peer) };
}

function started(options?: Parameters<typeof PollerThread.start>[0]): PollerThread {
  const poller = PollerThread.start(options);
  cleanups.add(() => poller.close());
  return poller;
}

/** The receiver of a new connection's client, handed to `poller`; the peer that writes to it. */
function polled(poller: PollerThread, capacity?: number): { peer: Clt<Msg, Msg>; inbox: InboxReceiver<Msg> } {
  const { clt, peer } = connected();
  const shared = poller.add(clt.split().receiver, { framer: codec().framer, capacity });
  const inbox = InboxReceiver.attach<Msg>(shared, { codec: codec() });
  cleanups.add(() => inbox.close());
  return { peer, inbox };
}

/** Sends `count` messages from every peer, round-robin, taking in what each inbox has meanwhile. */
function pump(
  pairs: readonly { peer: Clt<Msg, Msg>; inbox: InboxReceiver<Msg> }[],
  count: number,
  takeEvery = 1,
): number[] {
  const next = pairs.map(() => 0);
  const sent = pairs.map(() => 0);
  let outOfOrder = 0;
  let turns = 0;
  const take = (i: number, limit: number): void => {
    for (let k = 0; k < limit; k++) {
      const got = pairs[i].inbox.recv();
      if (got === WOULD_BLOCK || got === END_OF_STREAM) return;
      if (got.n !== next[i]) outOfOrder++;
      next[i]++;
    }
  };
  const deadline = performance.now() + 120_000;
  while (next.some((n) => n < count)) {
    if (performance.now() > deadline) throw new Error(`stuck at ${next.join(', ')} of ${count}`);
    turns++;
    for (let i = 0; i < pairs.length; i++) {
      while (sent[i] < count && pairs[i].peer.send({ n: sent[i] }) === 'completed') {
        sent[i]++;
        if (sent[i] % 256 === 0) break;
      }
      if (turns % takeEvery === 0) take(i, takeEvery === 1 ? Infinity : 16);
    }
  }
  expect(outOfOrder).toBe(0);
  return next;
}

describe('PollerThread', () => {
  it('reads three connections into three inboxes: 100,000 messages each, all in order', () => {
    const poller = started();
    const pairs = [polled(poller), polled(poller), polled(poller)];
    expect(pump(pairs, 100_000)).toEqual([100_000, 100_000, 100_000]);
  }, 180_000);

  it('stops reading a connection whose inbox is full (a stall) and still delivers every message in order', () => {
    const poller = started();
    const pair = polled(poller, 1024);
    expect(pump([pair], 20_000, 50)).toEqual([20_000]);
    expect(pair.inbox.stalls).toBeGreaterThan(0);
  }, 180_000);

  it('ends the inbox after the last message when the peer closes; a framing error fails it with its code', () => {
    const poller = started();
    const ending = polled(poller);
    ending.peer.sendBusywait({ n: 1 });
    ending.peer.close();
    expect(ending.inbox.recvBusywaitTimeout(10_000)).toEqual({ n: 1 });
    expect(ending.inbox.recvBusywaitTimeout(10_000)).toBe(END_OF_STREAM);

    const { clt, peer } = connected();
    // `{"n":2}\n` is 8 bytes on the wire: over this framer's limit.
    const shared = poller.add(clt.split().receiver, { framer: delimiterFramer({ maxFrameLength: 4 }) });
    const inbox = InboxReceiver.attach<Msg>(shared, { codec: codec() });
    cleanups.add(() => inbox.close());
    peer.sendBusywait({ n: 2 });
    expect(() => inbox.recvBusywaitTimeout(10_000)).toThrow(
      expect.objectContaining({ code: ErrorCode.FRAME_TOO_LARGE }),
    );
  }, 60_000);

  it.skipIf(typeof Socket.prototype.resetAndDestroy !== 'function')(
    'fails the inbox with NET_ERR_PEER_RESET when the peer resets',
    async () => {
      const server = createServer();
      cleanups.add(() => void server.close());
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      const accepted = once(server, 'connection') as Promise<[Socket]>;
      const clt = cleanups.close(
        Clt.connect<Msg, Msg>({ port: (server.address() as AddressInfo).port }, { codec: codec() }),
      );
      const [socket] = await accepted;
      const poller = started();
      const inbox = InboxReceiver.attach<Msg>(poller.add(clt.split().receiver, { framer: codec().framer }), {
        codec: codec(),
      });
      cleanups.add(() => inbox.close());
      expect(inbox.recv()).toBe(WOULD_BLOCK);
      socket.resetAndDestroy();
      let outcome: unknown = WOULD_BLOCK;
      for (let i = 0; i < 2_000 && outcome === WOULD_BLOCK; i++) {
        try {
          outcome = inbox.recv();
        } catch (error) {
          outcome = error;
        }
        if (outcome === WOULD_BLOCK) await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect(outcome).toMatchObject({ code: ErrorCode.PEER_RESET });
    },
    60_000,
  );

  it('refuses a framer that cannot describe itself, and a closed poller', () => {
    const poller = started();
    const { clt } = connected();
    const { framer } = codec();
    const opaque: Framer = {
      maxFrameLength: framer.maxFrameLength,
      headLength: framer.headLength,
      tailLength: framer.tailLength,
      expectedLength: 0,
      frameLength: (bytes, start, end) => framer.frameLength(bytes, start, end),
      seal: (bytes, start, length) => framer.seal(bytes, start, length),
      reset: () => framer.reset(),
      clone: () => opaque,
    };
    const { receiver } = clt.split();
    expect(() => poller.add(receiver, { framer: opaque })).toThrow(
      expect.objectContaining({ code: ErrorCode.UNSUPPORTED }),
    );
    // Refused before the half was handed over: it still works here.
    expect(receiver.recv()).toBe(WOULD_BLOCK);
    poller.close();
    expect(() => poller.add(receiver, { framer })).toThrow(expect.objectContaining({ code: ErrorCode.CLOSED }));
  });

  it('close() fails every inbox with NET_ERR_CLOSED and lets go of every connection', async () => {
    const poller = started();
    const { clt, peer } = connected();
    const connection = connectionOf(clt);
    const inbox = InboxReceiver.attach<Msg>(poller.add(clt.split().receiver, { framer: codec().framer }), {
      codec: codec(),
    });
    cleanups.add(() => inbox.close());
    peer.sendBusywait({ n: 1 });
    expect(inbox.recvBusywaitTimeout(10_000)).toEqual({ n: 1 });
    expect(poller.connections).toBe(1);
    expect(connection.threadHolds).toBe(2);
    poller.close();
    expect(poller.connections).toBe(0);
    expect(() => inbox.recv()).toThrow(expect.objectContaining({ code: ErrorCode.CLOSED }));
    // The poller's hold is given up by the thread that owns the socket (a broker thread on Node 20).
    await until(() => connection.threadHolds === 1, 'the poller thread to let go');
    clt.close();
    expect(peer.recvBusywaitTimeout(10_000)).toBe(END_OF_STREAM);
  }, 60_000);

  it('drops a connection whose consumer closed its inbox, and reads the others on', async () => {
    const poller = started();
    const { clt, peer } = connected();
    const connection = connectionOf(clt);
    const dropped = InboxReceiver.attach<Msg>(poller.add(clt.split().receiver, { framer: codec().framer }), {
      codec: codec(),
    });
    const kept = polled(poller);
    await until(
      () => poller.connections === 2,
      'both connections to be polled',
      () => `${poller.connections} polled; first inbox ${inboxState(dropped)}, second ${inboxState(kept.inbox)}`,
    );
    dropped.close();
    await until(() => poller.connections === 1, 'the closed inbox to be dropped');
    await until(() => connection.threadHolds === 1, 'the poller thread to let go');
    peer.sendBusywait({ n: 1 });
    kept.peer.sendBusywait({ n: 2 });
    expect(kept.inbox.recvBusywaitTimeout(10_000)).toEqual({ n: 2 });
  }, 60_000);

  it.each(['close', 'leave'])(
    'a process that polls, consumes and then %ss the poller exits on its own',
    (mode) => {
      const child = spawnSync(process.execPath, [...RUNTIME_ARGS, EXIT_PROGRAM, mode], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(child.error).toBeUndefined();
      expect(child.stderr).toBe('');
      expect(child.stdout.trim()).toBe('consumed 100');
      expect(child.status).toBe(0);
    },
    90_000,
  );
});
