import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FLAVOURS } from './flavour.js';
import { EVENT_DEADLINE_MS, ensureBuilt, startClient, startServer } from './test-harness.js';

// Session and sequence number fields padded on either side, from a peer whose bytes are written
// here by hand: a client that pads its Login Request on the right (as clients in use do) or on the
// left, and a server that pads its Login Accepted either way. Every flavour reads both.

const PADDINGS = [
  { name: 'padded on the right', pad: (text: string, length: number): string => text.padEnd(length, ' ') },
  { name: 'padded on the left', pad: (text: string, length: number): string => text.padStart(length, ' ') },
] as const;

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

beforeAll(() => ensureBuilt(), 120_000);

/** One SoupBinTCP packet: the u16 big-endian length of what follows, the type, the payload. */
function packet(type: string, payload: string): Buffer {
  const body = Buffer.from(type + payload, 'latin1');
  const length = Buffer.alloc(2);
  length.writeUInt16BE(body.length);
  return Buffer.concat([length, body]);
}

/** Reads whole packets off a raw socket, one at a time. */
class PacketReader {
  private _buffered = Buffer.alloc(0);
  private readonly _waiters: (() => void)[] = [];
  private _ended = false;

  constructor(socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this._buffered = Buffer.concat([this._buffered, chunk]);
      this._wake();
    });
    socket.on('close', () => {
      this._ended = true;
      this._wake();
    });
    socket.on('error', () => {});
  }

  /** The next packet's type and payload, skipping heartbeats and Debug packets. */
  async next(): Promise<{ type: string; payload: string }> {
    const deadline = Date.now() + EVENT_DEADLINE_MS;
    for (;;) {
      if (this._buffered.length >= 2 && this._buffered.length >= 2 + this._buffered.readUInt16BE(0)) {
        const length = this._buffered.readUInt16BE(0);
        const body = this._buffered.subarray(2, 2 + length).toString('latin1');
        this._buffered = this._buffered.subarray(2 + length);
        const type = body.slice(0, 1);
        if (type === 'H' || type === 'R' || type === '+') continue;
        return { type, payload: body.slice(1) };
      }
      if (this._ended) throw new Error('the connection closed before a whole packet arrived');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no packet within ${EVENT_DEADLINE_MS} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this._waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  private _wake(): void {
    for (const waiter of this._waiters.splice(0)) waiter();
  }
}

async function connectRaw(port: number): Promise<{ socket: Socket; reader: PacketReader }> {
  const socket = createConnection({ host: '127.0.0.1', port });
  const reader = new PacketReader(socket);
  cleanups.push(() => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return { socket, reader };
}

/** A server that answers any Login Request with the Login Accepted `payload`, then stays quiet. */
async function rawServer(payload: string): Promise<{ port: number; requests: string[] }> {
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    const reader = new PacketReader(socket);
    void reader.next().then(
      (request) => {
        requests.push(request.payload);
        socket.write(packet('A', payload));
      },
      () => socket.destroy(),
    );
  });
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { port: address.port, requests };
}

for (const flavour of FLAVOURS) {
  describe(`${flavour}: session and sequence number fields padded on either side`, () => {
    for (const { name, pad } of PADDINGS) {
      it(`the server accepts a Login Request ${name}`, async () => {
        const server = await startServer(flavour, {
          session: 'TODAY',
          credentials: { ALICE: 'secret' },
          heartbeatInterval: 50,
          silenceTimeout: 10_000,
        });
        cleanups.push(() => server.stop());
        server.publish('one', 'two', 'three');
        await server.events.waitForCount('published', 3);
        const { socket, reader } = await connectRaw(server.port);
        socket.write(packet('L', 'ALICE ' + 'secret    ' + pad('TODAY', 10) + pad('2', 20)));
        const answer = await reader.next();
        expect(answer).toEqual({ type: 'A', payload: '     TODAY' + '2'.padStart(20, ' ') });
        expect(await server.events.waitFor('login', (event) => event.kind === 'login')).toMatchObject({
          username: 'ALICE',
          nextSequence: 2,
        });
      });

      it(`the client reads a Login Accepted ${name}`, async () => {
        const server = await rawServer(pad('TODAY', 10) + pad('7', 20));
        const client = startClient(flavour, server.port, {
          username: 'ALICE',
          password: 'secret',
          heartbeatInterval: 1_000,
          silenceTimeout: 60_000,
        });
        cleanups.push(() => client.stop());
        const login = await client.events.waitFor(
          'login',
          (event) => event.kind === 'loggedIn' || event.kind === 'loginFailed',
        );
        expect(login).toEqual({ kind: 'loggedIn', session: 'TODAY', nextSequence: 7 });
        // The client asked for the current session (blank) and only new messages (0).
        expect(server.requests).toEqual(['ALICE ' + 'secret    ' + ' '.repeat(10) + '0'.padStart(20, ' ')]);
      });
    }
  });
}
