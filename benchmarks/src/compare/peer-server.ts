import { rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import * as asyncFlavour from '@net/async';
import type { ConId } from '@net/core';
import * as blocking from '@net/blocking';
import * as nonblocking from '@net/nonblocking';
import { ACCEPT_SLICE_MS, acceptBetweenTurns, unlessTimedOut } from './accept-between-turns.js';
import { LengthPrefixParser } from './length-prefix.js';
import { type CodecName, type NodeSubject, STREAMED, type Transport } from './protocol.js';
import { type BlockingVariant, blockingVariant, NONBLOCKING_IDLE } from './client-sync.js';
import { memoryAfterGc, reportHeld, reportWhenHeld } from './service-memory.js';
import { isStreamed, wireCodec } from './wire-codec.js';

/**
 * The server side of every Node subject of the comparison, one connection-serving loop each: frames
 * are echoed, except stream frames (body starting with 'S'), which are only counted. It prints
 * `ready ADDRESS` once it listens and runs until the harness ends it. With `hold`, it also prints
 * its memory growth per connection once it holds `connections` of them (the idle-memory suite).
 */
export async function serve(
  subject: NodeSubject,
  transport: Transport,
  address: string,
  codecName: CodecName,
  connections: number,
  hold: boolean,
): Promise<void> {
  const pool = connections > 1 || hold;
  switch (subject) {
    case 'async':
      return serveAsync(transport, address, codecName, connections, hold);
    case 'nonblocking':
      return pool
        ? serveNonblockingPool(address, codecName, connections, hold, {})
        : serveNonblocking(address, codecName);
    case 'nonblocking-polled':
      // The hand-over to the broker never comes: every pass polls every connection.
      return serveNonblockingPool(address, codecName, connections, hold, {
        idlePollsBeforeWatch: Number.MAX_SAFE_INTEGER,
      });
    case 'blocking':
      return pool ? serveBlockingPool(address, codecName, connections, hold) : serveBlocking(address, codecName);
    case 'blocking-heartbeats':
    case 'blocking-park':
      return serveBlocking(address, codecName, blockingVariant(subject));
    case 'raw':
      return serveRaw(transport, address, connections, hold);
    case 'zeromq':
      return serveZeromq(transport, address);
  }
}

/** A nonblocking accept's connection, `undefined` when none came in time (to be tried again). */
function tookOne<T>(result: T | typeof nonblocking.WOULD_BLOCK): T | undefined {
  return result === nonblocking.WOULD_BLOCK ? undefined : result;
}

function ready(port: number | string): void {
  console.log(`ready ${port}`);
}

/** The async service's fastest path: pooled connections, messages handed to a callback. */
async function serveAsync(
  transport: Transport,
  address: string,
  codecName: CodecName,
  connections: number,
  hold: boolean,
): Promise<void> {
  let echo: (message: unknown, conId: ConId) => void = () => undefined;
  let arrived: (() => void) | undefined;
  const svc = await asyncFlavour.Svc.bind<unknown, unknown>(address, {
    codec: wireCodec(codecName),
    maxConnections: Math.max(2_000, connections + 10),
    autoPool: true,
    onMessage: (message, conId) => echo(message, conId),
    ...(hold ? { callbacks: { onConnected: () => arrived?.() } } : {}),
  });
  if (hold) arrived = reportWhenHeld(memoryAfterGc(), connections);
  // sendTo encodes at once, so the borrowed view is echoed as it is: no copy per message.
  echo = (message, conId) => {
    if (!isStreamed(message, STREAMED)) svc.sendTo(conId, message);
  };
  ready(transport === 'tcp' ? svc.port : address);
}

async function serveNonblocking(address: string, codecName: CodecName): Promise<void> {
  const svc = nonblocking.Svc.bind<unknown, unknown>(address, {
    codec: wireCodec(codecName),
    idleStrategy: NONBLOCKING_IDLE,
  });
  ready(svc.port === 0 ? address : svc.port);
  const peer = await acceptBetweenTurns(() => tookOne(svc.acceptBusywaitTimeout(ACCEPT_SLICE_MS)));
  if (peer === undefined || peer === nonblocking.REJECTED) return;
  for (;;) {
    const message = peer.recvBusywait();
    if (message === nonblocking.END_OF_STREAM) break;
    if (!isStreamed(message, STREAMED)) peer.sendBusywait(message);
  }
}

/** Many connections in the service's pool, served by one spinning thread. */
async function serveNonblockingPool(
  address: string,
  codecName: CodecName,
  connections: number,
  hold: boolean,
  options: Pick<nonblocking.SvcOptions<unknown, unknown>, 'idlePollsBeforeWatch'>,
): Promise<void> {
  const svc = nonblocking.Svc.bind<unknown, unknown>(address, {
    codec: wireCodec(codecName),
    maxConnections: connections + 10,
    idleStrategy: NONBLOCKING_IDLE,
    ...options,
  });
  const before = hold ? memoryAfterGc() : undefined;
  ready(svc.port === 0 ? address : svc.port);
  for (let i = 0; i < connections; i++)
    await acceptBetweenTurns(() => tookOne(svc.acceptIntoPoolBusywaitTimeout(ACCEPT_SLICE_MS)), 60_000);
  if (before !== undefined) reportHeld(before, connections);
  for (;;) {
    const found = svc.recvFrom();
    if (found !== nonblocking.WOULD_BLOCK && !isStreamed(found.message, STREAMED))
      svc.sendTo(found.conId, found.message, { timeout: Infinity });
  }
}

async function serveBlocking(address: string, codecName: CodecName, variant: BlockingVariant = {}): Promise<void> {
  const svc = blocking.Svc.bind<unknown, unknown>(address, { codec: wireCodec(codecName), ...variant });
  ready(svc.port === 0 ? address : svc.port);
  const peer = await acceptBetweenTurns(() => unlessTimedOut(() => svc.accept({ timeout: ACCEPT_SLICE_MS })));
  if (peer === undefined) return;
  for (let message = peer.recv(); message !== undefined; message = peer.recv())
    if (!isStreamed(message, STREAMED)) peer.send(message);
}

/** Many connections in the service's pool, served by one thread parked in `recvFrom`. */
async function serveBlockingPool(
  address: string,
  codecName: CodecName,
  connections: number,
  hold: boolean,
): Promise<void> {
  const svc = blocking.Svc.bind<unknown, unknown>(address, {
    codec: wireCodec(codecName),
    maxConnections: connections + 10,
  });
  const before = hold ? memoryAfterGc() : undefined;
  ready(svc.port === 0 ? address : svc.port);
  for (let i = 0; i < connections; i++)
    await acceptBetweenTurns(() => unlessTimedOut(() => svc.acceptIntoPool({ timeout: ACCEPT_SLICE_MS })));
  if (before !== undefined) reportHeld(before, connections);
  for (;;) {
    const found = svc.recvFrom();
    if (!isStreamed(found.message, STREAMED)) svc.sendTo(found.conId, found.message);
  }
}

function serveRaw(transport: Transport, address: string, connections: number, hold: boolean): Promise<void> {
  let arrived: (() => void) | undefined;
  const server = createServer((socket: Socket) => {
    arrived?.();
    socket.setNoDelay(true);
    const parser = new LengthPrefixParser((body) => {
      if (body[0] === STREAMED) return;
      const frame = Buffer.allocUnsafe(4 + body.length);
      frame.writeUInt32BE(body.length, 0);
      body.copy(frame, 4);
      socket.write(frame);
    });
    socket.on('data', (chunk: Buffer) => parser.push(chunk));
    socket.on('error', () => socket.destroy());
  });
  return new Promise((resolve) => {
    const onListening = () => {
      if (hold) arrived = reportWhenHeld(memoryAfterGc(), connections);
      const bound = server.address();
      ready(typeof bound === 'object' && bound !== null ? bound.port : address);
      resolve();
    };
    if (transport === 'unix') {
      rmSync(address, { force: true });
      server.listen(address, onListening);
    } else {
      const [host, port] = address.split(':');
      server.listen(Number(port), host, onListening);
    }
  });
}

async function serveZeromq(transport: Transport, address: string): Promise<void> {
  const zmq = await import('zeromq');
  const reply = new zmq.Reply();
  const pull = new zmq.Pull();
  const endpoint = (suffix: string) => (transport === 'tcp' ? 'tcp://127.0.0.1:*' : `ipc://${address}${suffix}`);
  await reply.bind(endpoint('.rep'));
  await pull.bind(endpoint('.pull'));
  ready(`${reply.lastEndpoint},${pull.lastEndpoint}`);
  // The stream's last frame ('P') arrives on the pull socket; the client then asks on the reply
  // socket ('D'), which answers once that frame is in.
  let streamDone: () => void = () => undefined;
  let whenStreamDone = new Promise<void>((resolve) => (streamDone = resolve));
  void (async () => {
    for await (const [frame] of pull) {
      if (frame[0] !== STREAMED) {
        streamDone();
      }
    }
  })();
  for await (const [frame] of reply) {
    if (frame[0] === 0x44) {
      await whenStreamDone;
      whenStreamDone = new Promise<void>((resolve) => (streamDone = resolve));
    }
    await reply.send(frame);
  }
}
