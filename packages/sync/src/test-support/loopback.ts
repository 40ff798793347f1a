// Real connections on loopback for the tests, made through a broker thread directly (no service,
// no flavour), and helpers that wait on the broker's events rather than on the clock.
import { ConId, type Endpoint } from '@net/core';
// The package's built code, by its own name: the broker thread runs compiled JavaScript, which
// only the build puts beside the code that starts it.
import { type SyncConnectionOptions, WOULD_BLOCK } from '@net/sync';
import {
  type BrokeredSocket,
  newSyncConnection,
  resolveSyncOptions,
  type SocketHost,
  type SyncConnection,
  type WatchReport,
  readSome,
  writeSome,
} from '@net/sync/internal';

/** Loopback, any free port. */
export const ANY_PORT: Endpoint = { kind: 'tcp', host: '127.0.0.1', port: 0 };

/** What every wait in the tests is bounded by: long enough for a loaded machine, never asserted. */
export const PATIENCE_MS = 10_000;

const connectOptions = { noDelay: true, keepAlive: false, blocking: false, timeoutMs: PATIENCE_MS };

/**
 * Parks until `take` gives something other than `undefined`, waking on each broker event (and
 * now and then in case the awaited thing comes another way); fails after {@link PATIENCE_MS}.
 */
export function waitFor<T>(broker: SocketHost, what: string, take: () => T | undefined): T {
  const deadline = performance.now() + PATIENCE_MS;
  for (;;) {
    const seen = broker.eventCount;
    const value = take();
    if (value !== undefined) return value;
    if (performance.now() > deadline) throw new Error(`waited in vain for ${what}`);
    broker.waitForEvent(seen, 20);
  }
}

/** A listener on loopback with its real address; `unlisten` stops it. */
export function listenOnLoopback(broker: SocketHost): { serverId: number; local: Endpoint } {
  return broker.listen(ANY_PORT, { backlog: 16, noDelay: true, blocking: false });
}

/** Connects to a listener and takes the connection it accepted: both descriptors. */
export function socketPair(
  broker: SocketHost,
  serverId: number,
  local: Endpoint,
): { client: BrokeredSocket; server: BrokeredSocket } {
  const client = broker.connect(local, connectOptions);
  const server = waitFor(broker, 'the accepted connection', () => broker.takeAccepted(serverId));
  return { client, server };
}

/**
 * Two connected `SyncConnection`s on loopback (`client` made by connecting, `server` by accepting),
 * each with its own options; neither handshake is started. `closeAll` closes both.
 */
export function connectionPair<Send, Recv>(
  broker: SocketHost,
  clientOptions: SyncConnectionOptions<Send, Recv>,
  serverOptions: SyncConnectionOptions<Recv, Send>,
): { client: SyncConnection<Send, Recv>; server: SyncConnection<Recv, Send>; closeAll: () => void } {
  const { serverId, local } = listenOnLoopback(broker);
  let sockets;
  try {
    sockets = socketPair(broker, serverId, local);
  } finally {
    broker.unlisten(serverId);
  }
  const client = newSyncConnection(
    sockets.client.fd,
    ConId.initiator('clt', sockets.client.peer, sockets.client.local),
    clientOptions,
    resolveSyncOptions(clientOptions as SyncConnectionOptions<unknown, unknown>),
    broker,
  );
  const server = newSyncConnection(
    sockets.server.fd,
    ConId.acceptor('svc', sockets.server.local, sockets.server.peer),
    serverOptions,
    resolveSyncOptions(serverOptions as SyncConnectionOptions<unknown, unknown>),
    broker,
  );
  return {
    client,
    server,
    closeAll: () => {
      client.close();
      server.close();
    },
  };
}

/** Receives one message, parking on the broker's watch while nothing is there (as a blocking receive does). */
export function recvWithin<Send, Recv>(
  connection: SyncConnection<Send, Recv>,
): ReturnType<SyncConnection<Send, Recv>['recvOnce']> {
  const broker = connection.broker;
  const deadline = performance.now() + PATIENCE_MS;
  for (;;) {
    const seen = broker.eventCount;
    // Watched after one empty poll: the broker's report then wakes the wait below.
    const result = connection.recvOnce(1);
    if (result !== WOULD_BLOCK) return result;
    if (performance.now() > deadline) throw new Error('nothing received');
    if (connection.isWatched) broker.waitForEvent(seen, 20);
  }
}

/** Writes `text` raw (no framing added) from `connection`, whole. */
export function writeRaw<Send, Recv>(connection: SyncConnection<Send, Recv>, text: string): void {
  const bytes = new TextEncoder().encode(text);
  let written = 0;
  const deadline = performance.now() + PATIENCE_MS;
  while (written < bytes.length) {
    written += connection.writeSome(bytes, written, bytes.length - written);
    if (performance.now() > deadline) throw new Error('could not write');
  }
}

/** Waits until the broker has read what the peer sent to a watched `connection` and handed it over. */
export function awaitWatchReport<Send, Recv>(connection: SyncConnection<Send, Recv>): void {
  waitFor(connection.broker, 'the watch report', () => (connection.takeWatchReport() ? true : undefined));
}

/**
 * Stops a broker thread the way a crash would (no exit handler runs), for tests of what follows.
 * The broker has no stop of its own: the thread lives as long as the program's sockets.
 */
export async function stopBrokerThread(broker: SocketHost): Promise<void> {
  await (broker as unknown as { _worker: { terminate(): Promise<number> } })._worker.terminate();
}

/** Reads from a non-blocking descriptor until `count` bytes came (bounded), without framing. */
export function readRaw(fd: number, count: number): string {
  const bytes = new Uint8Array(count);
  let got = 0;
  const deadline = performance.now() + PATIENCE_MS;
  while (got < count) {
    const read = readSome(fd, bytes, got, count - got);
    if (read === 0) break;
    if (read > 0) got += read;
    if (performance.now() > deadline) throw new Error('nothing to read');
  }
  return new TextDecoder().decode(bytes.subarray(0, got));
}

/** The bytes a watch reported, as text (posted or shared alike), or `undefined` for an end or error. */
export function reportText(report: WatchReport): string | undefined {
  if (report.kind === 'data') return new TextDecoder().decode(report.bytes);
  if (report.kind !== 'shared') return undefined;
  const text = new TextDecoder().decode(report.bytes.slice(report.offset, report.offset + report.length));
  report.release();
  return text;
}

/** Writes `text` to a non-blocking descriptor, whole. */
export function writeRawFd(fd: number, text: string): void {
  const bytes = new TextEncoder().encode(text);
  let written = 0;
  while (written < bytes.length) written += writeSome(fd, bytes, written, bytes.length - written);
}
