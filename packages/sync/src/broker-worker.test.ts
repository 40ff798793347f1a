import { afterEach, describe, expect, it } from 'vitest';
// The package's built code, by its own name: the broker thread runs compiled JavaScript.
import { socketHostKind } from '@net/sync';
import { SocketBroker } from '@net/sync/internal';
import {
  listenOnLoopback,
  readRaw,
  reportText,
  socketPair,
  stopBrokerThread,
  waitFor,
  writeRawFd,
} from './test-support/loopback.js';

// The broker thread is tested through the requests its owner sends it: what it answers, what it
// reports, and that it lives on through requests it cannot carry out.

let broker: SocketBroker;
const descriptors: number[] = [];
afterEach(async () => {
  for (const fd of descriptors.splice(0)) broker.close(fd);
  await stopBrokerThread(broker);
});

function pair() {
  broker = new SocketBroker();
  const { serverId, local } = listenOnLoopback(broker);
  const sockets = socketPair(broker, serverId, local);
  broker.unlisten(serverId);
  descriptors.push(sockets.client.fd, sockets.server.fd);
  return sockets;
}

// The broker thread and WASI are the Node path; a runtime that calls the C library directly uses neither.
describe.skipIf(socketHostKind() !== 'broker')('the broker thread', () => {
  it('answers requests about ids and descriptors it never gave out, and holds nothing afterwards', () => {
    broker = new SocketBroker();
    broker.unlisten(12_345);
    broker.unwatch(1_000_000);
    broker.watch(1_000_001);
    broker.close(1_000_002);
    expect(broker.stats()).toMatchObject({ sockets: 0, servers: 0 });
    // The close of an unknown descriptor is still answered (counted), so its owner never waits.
    expect(waitFor(broker, 'the close', () => (broker.stats().closed === 1 ? true : undefined))).toBe(true);
    expect(broker.takeWatchReport(1_000_001)).toBeUndefined();
  });

  it("reports a reset of a watched socket's peer as an error of the watch", () => {
    const { client, server } = pair();
    broker.watch(server.fd);
    broker.close(client.fd, true);
    descriptors.splice(descriptors.indexOf(client.fd), 1);
    const report = waitFor(broker, 'the report', () => broker.takeWatchReport(server.fd));
    expect(report).toMatchObject({ kind: 'error', code: 'ECONNRESET' });
  });

  it('stops the watch of a socket closed while watched, and closes it for real once the peer closes too', () => {
    const { client, server } = pair();
    broker.watch(server.fd);
    broker.close(server.fd);
    descriptors.splice(descriptors.indexOf(server.fd), 1);
    // The peer sees the end even though the closed side was being watched.
    expect(readRaw(client.fd, 1)).toBe('');
    broker.close(client.fd);
    descriptors.splice(descriptors.indexOf(client.fd), 1);
    expect(waitFor(broker, 'both sockets gone', () => (broker.stats().sockets === 0 ? true : undefined))).toBe(true);
    expect(broker.takeWatchReport(server.fd)).toBeUndefined();
  });

  it("watches a blocking descriptor without parking its own thread; what comes after the report is the reader's", () => {
    broker = new SocketBroker();
    const { serverId, local } = broker.listen(
      { kind: 'tcp', host: '127.0.0.1', port: 0 },
      { backlog: 4, noDelay: true, blocking: true },
    );
    const { client, server } = socketPair(broker, serverId, local);
    broker.unlisten(serverId);
    descriptors.push(client.fd, server.fd);
    broker.watch(server.fd);
    writeRawFd(client.fd, 'x');
    const report = waitFor(broker, 'the report', () => broker.takeWatchReport(server.fd));
    expect(reportText(report)).toBe('x');
    // The thread still answers: a read parked in its loop would have stopped it.
    expect(broker.stats().sockets).toBe(2);
    writeRawFd(client.fd, 'y');
    expect(readRaw(server.fd, 1)).toBe('y');
  });
});
