import { afterEach, describe, expect, it } from 'vitest';
import { Cleanups } from '../../../test-support/cleanups.mjs';
import { ErrorCode } from '@net/core';
// The package's built code, by its own name: the broker thread runs compiled JavaScript.
import { socketHostKind } from '@net/sync';
import { SocketBroker, socketBroker } from '@net/sync/internal';
import {
  ANY_PORT,
  listenOnLoopback,
  PATIENCE_MS,
  readRaw,
  reportText,
  socketPair,
  stopBrokerThread,
  waitFor,
  writeRawFd,
} from './test-support/loopback.js';
import { thrownBy } from './test-support/thrown-by.js';

const cleanups = new Cleanups();
afterEach(() => cleanups.run());

/** A broker of the test's own (stopped afterwards), so that stopping it touches no other test. */
function ownBroker(): SocketBroker {
  const broker = new SocketBroker();
  cleanups.add(() => stopBrokerThread(broker));
  return broker;
}

/** A listener and one connection to it, both descriptors handed back afterwards. */
function connected(broker: SocketBroker) {
  const { serverId, local } = listenOnLoopback(broker);
  cleanups.add(() => {
    if (!broker.stopped) broker.unlisten(serverId);
  });
  const { client, server } = socketPair(broker, serverId, local);
  cleanups.add(() => {
    broker.close(client.fd);
    broker.close(server.fd);
  });
  return { serverId, local, client, server };
}

// The broker thread and WASI are the Node path; a runtime that calls the C library directly uses neither.
describe.skipIf(socketHostKind() !== 'broker')('SocketBroker', () => {
  it('listens on a free port, connects, and hands over both ends with their addresses', () => {
    const broker = ownBroker();
    const { local, client, server } = connected(broker);
    expect(local.kind === 'tcp' && local.port > 0).toBe(true);
    expect(client.peer).toEqual(local);
    expect(server.peer).toEqual(client.local);
    expect(server.local).toEqual(client.peer);
    expect(broker.stats()).toMatchObject({ sockets: 2, servers: 1 });
    writeRawFd(client.fd, 'ping');
    expect(readRaw(server.fd, 4)).toBe('ping');
  });

  it('unlisten frees the port and stops accepting; connections it accepted stay open', () => {
    const broker = ownBroker();
    const { serverId, local, client, server } = connected(broker);
    broker.unlisten(serverId);
    expect(broker.stats().servers).toBe(0);
    expect(broker.takeAccepted(serverId)).toBeUndefined();
    const refused = thrownBy(() =>
      broker.connect(local, { noDelay: true, keepAlive: false, blocking: false, timeoutMs: PATIENCE_MS }),
    );
    expect(refused.code).toBe(ErrorCode.NOT_CONNECTED);
    writeRawFd(server.fd, 'still here');
    expect(readRaw(client.fd, 10)).toBe('still here');
  });

  it('refuses a port in use with NET_ERR_SOCKET and lives on', () => {
    const broker = ownBroker();
    const { serverId, local } = listenOnLoopback(broker);
    cleanups.add(() => broker.unlisten(serverId));
    const error = thrownBy(() => broker.listen(local, { backlog: 1, noDelay: true, blocking: false }));
    expect(error.code).toBe(ErrorCode.SOCKET);
    expect(error.message).toMatch(/EADDRINUSE/);
    expect(broker.stats().servers).toBe(1);
  });

  it('answers a request the broker thread cannot carry out with its error, and lives on', () => {
    const broker = ownBroker();
    // Node refuses the port before any system call: the thread's handler throws.
    const badPort = thrownBy(() =>
      broker.listen({ kind: 'tcp', host: '127.0.0.1', port: 70_000 }, { backlog: 1, noDelay: true, blocking: false }),
    );
    expect(badPort.code).toBe(ErrorCode.SOCKET);
    // A descriptor it never handed out.
    const unknown = thrownBy(() => broker.setBlocking(1_000_000, true));
    expect(unknown.code).toBe(ErrorCode.CLOSED);
    expect(broker.stats()).toMatchObject({ sockets: 0, servers: 0 });
  });

  it("wakes a thread parked in waitForEvent with a watched descriptor's first bytes; then the descriptor is read directly again", () => {
    const broker = ownBroker();
    const { client, server } = connected(broker);
    broker.watch(server.fd);
    const seen = broker.eventCount;
    writeRawFd(client.fd, 'hello');
    broker.waitForEvent(seen, PATIENCE_MS);
    expect(broker.eventCount).not.toBe(seen);
    const report = waitFor(broker, 'the report', () => broker.takeWatchReport(server.fd));
    expect(reportText(report)).toBe('hello');
    // The watch ended with its report: what comes next is the reader's.
    writeRawFd(client.fd, 'again');
    expect(readRaw(server.fd, 5)).toBe('again');
    expect(broker.takeWatchReport(server.fd)).toBeUndefined();
  });

  it('unwatch stops the watch: later bytes stay in the socket for the reader', () => {
    const broker = ownBroker();
    const { client, server } = connected(broker);
    broker.watch(server.fd);
    broker.unwatch(server.fd);
    writeRawFd(client.fd, 'mine');
    expect(readRaw(server.fd, 4)).toBe('mine');
    // Answered after any report: had the watch gone on, its report would be here by now.
    broker.stats();
    expect(broker.takeWatchReport(server.fd)).toBeUndefined();
  });

  it('reports the end of the stream of a watched descriptor', () => {
    const broker = ownBroker();
    const { client, server } = connected(broker);
    broker.watch(server.fd);
    broker.close(client.fd);
    expect(waitFor(broker, 'the end', () => broker.takeWatchReport(server.fd))).toEqual({ kind: 'eof' });
  });

  it('closes a descriptor handed back: the peer sees the end, and the closing is counted', () => {
    const broker = ownBroker();
    const { client, server } = connected(broker);
    const before = broker.stats().closed;
    broker.close(client.fd);
    expect(readRaw(server.fd, 1)).toBe('');
    expect(waitFor(broker, 'the count', () => (broker.stats().closed > before ? true : undefined))).toBe(true);
  });

  it('once its thread is gone: says stopped, wakes parked threads, fails requests, ends watches, and a new broker takes over', async () => {
    const broker = new SocketBroker();
    cleanups.add(() => stopBrokerThread(broker));
    const { serverId, local } = listenOnLoopback(broker);
    const { server } = socketPair(broker, serverId, local);
    broker.watch(server.fd);
    await stopBrokerThread(broker);
    expect(broker.checkStopped()).toBe(true);
    expect(broker.stopped).toBe(true);
    const seen = broker.eventCount - 1;
    // The stop was posted as an event: a thread parked on the count before it does not park.
    broker.waitForEvent(seen, PATIENCE_MS);
    expect(thrownBy(() => broker.stats()).code).toBe(ErrorCode.SOCKET);
    expect(broker.takeWatchReport(server.fd)).toMatchObject({ kind: 'error', code: 'EBADF' });
    const shared = socketBroker();
    // A round trip first: a thread that had not yet started (stored its kernel id) would not be seen to go.
    shared.stats();
    await stopBrokerThread(shared);
    const next = socketBroker();
    expect(next).not.toBe(shared);
    expect(next.stopped).toBe(false);
    expect(next.stats().servers).toBe(0);
  });

  it('sees a thread ended before it said who it is as stopped once a request goes unanswered', async () => {
    const broker = new SocketBroker();
    // Ended at once: it may never have run far enough to store its kernel thread id.
    await stopBrokerThread(broker);
    const error = thrownBy(() =>
      broker.connect(ANY_PORT, { noDelay: true, keepAlive: false, blocking: false, timeoutMs: 0 }),
    );
    expect(error.code).toBe(ErrorCode.SOCKET);
    expect(broker.stopped).toBe(true);
    expect(broker.checkStopped()).toBe(true);
  });
});
