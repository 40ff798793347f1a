import { afterEach, describe, expect, it } from 'vitest';
import { Cleanups } from '../../../../test-support/cleanups.mjs';
import { createDescriptorIo } from '../descriptor-io.js';
import { libc } from './load-libc.js';
import { LibcSocketHost } from './libc-socket-host.js';
import { LibcSockets } from './libc-sockets.js';
import { PollList } from './poll-list.js';

// A caller's own descriptors polled with the host's (what a service thread serves by). These run
// where the C library is called directly (Node 26, Bun, Deno); on Node 20 they are skipped.
const PATIENCE_MS = 10_000;
const cleanups = new Cleanups();
afterEach(() => cleanups.run());

/** `count` connected pairs through one host: the accepted ends' descriptors, and the clients'. */
function pairs(host: LibcSocketHost, count: number): { accepted: number[]; clients: number[] } {
  const { serverId, local } = host.listen(
    { kind: 'tcp', host: '127.0.0.1', port: 0 },
    { backlog: 64, noDelay: true, blocking: false },
  );
  cleanups.add(() => host.unlisten(serverId));
  const clients: number[] = [];
  const accepted: number[] = [];
  for (let i = 0; i < count; i++) {
    const client = host.connect(local, { noDelay: true, keepAlive: false, blocking: false, timeoutMs: PATIENCE_MS });
    cleanups.add(() => host.close(client.fd, true));
    clients.push(client.fd);
  }
  for (const deadline = performance.now() + PATIENCE_MS; accepted.length < count;) {
    const socket = host.takeAccepted(serverId);
    if (socket !== undefined) {
      cleanups.add(() => host.close(socket.fd, true));
      accepted.push(socket.fd);
    } else if (performance.now() < deadline) host.waitForEvent(host.eventCount, 10);
    else throw new Error('not everything was accepted');
  }
  return { accepted, clients };
}

describe.skipIf(libc === undefined)('polling a caller’s descriptors with the socket host’s', () => {
  it('tells which descriptors can be read, past the room a new list starts with', () => {
    const host = new LibcSocketHost(new LibcSockets(libc!));
    const { accepted, clients } = pairs(host, 20);
    const list = new PollList();
    for (const fd of accepted) list.add(fd);
    host.pollReadable(list, 0);
    expect(accepted.filter((_, i) => list.isReady(i))).toEqual([]);
    const bytes = new Uint8Array([1, 2, 3]);
    // The accepted order need not be the connect order: which accepted end is whose does not matter here.
    for (const i of [3, 17]) expect(createDescriptorIo(clients[i]).write(bytes, 0, 3)).toBe(3);
    const ready = new Set<number>();
    for (const deadline = performance.now() + PATIENCE_MS; ready.size < 2 && performance.now() < deadline;) {
      host.pollReadable(list, 100);
      for (let i = 0; i < list.count; i++) if (list.isReady(i)) ready.add(accepted[i]);
    }
    expect(ready.size).toBe(2);
    // Read what came: nothing is readable any more, and the list says so on the next poll.
    const buffer = new Uint8Array(16);
    for (const fd of ready) expect(createDescriptorIo(fd).read(buffer, 0, 16)).toBe(3);
    host.pollReadable(list, 0);
    expect(accepted.filter((_, i) => list.isReady(i))).toEqual([]);
  });
});
