import { Clt, type ConId, HandshakeStep, type NetError, Svc } from '@net/async';
import { afterEach, describe, expect, it } from 'vitest';
import { AsyncSoupClient } from './async-client.js';
import { AsyncSoupServer } from './async-server.js';
import type { SoupEvent } from './client-session.js';
import { type ClientPacket, clientCodec, type ServerPacket, serverCodec } from './packets.js';

// The async flavour on this thread, through its public API: what the flavour matrix does not
// cover (a silent peer on either side, the bounds of replay, unsequenced data from the server,
// bad input).

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
const FAST = { heartbeatInterval: 20, silenceTimeout: 300 };

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function server(options: Partial<Parameters<typeof AsyncSoupServer.start>[1]> = {}): Promise<AsyncSoupServer> {
  const started = await AsyncSoupServer.start('127.0.0.1:0', {
    session: 'ASYNC',
    credentials: { ALICE: 'secret' },
    heartbeatInterval: 50,
    silenceTimeout: 10_000,
    ...options,
  });
  cleanups.push(() => started.close());
  return started;
}

async function login(port: number, sequence: number): Promise<AsyncSoupClient> {
  const client = await AsyncSoupClient.login(
    { host: '127.0.0.1', port },
    { username: 'alice', password: 'SECRET', sequence, heartbeatInterval: 50, silenceTimeout: 10_000 },
  );
  cleanups.push(() => client.disconnect());
  return client;
}

async function sequenced(client: AsyncSoupClient, count: number): Promise<[number, string][]> {
  const out: [number, string][] = [];
  while (out.length < count) {
    const event: SoupEvent | undefined = await client.recv();
    if (event === undefined) throw new Error('ended early');
    if (event.type === 'sequenced') out.push([event.sequence, decode(event.payload)]);
  }
  return out;
}

describe('SoupBinTCP over @net/async', () => {
  it('disconnects a client that goes silent, with NET_ERR_PEER_SILENT', async () => {
    let dropped: (reason: NetError | undefined) => void = () => {};
    const disconnected = new Promise<NetError | undefined>((resolve) => (dropped = resolve));
    const soup = await server({ ...FAST, listener: { onDisconnected: (_conId, reason) => dropped(reason) } });
    // A client that logs in and then never says anything again (no heartbeats).
    const mute = await Clt.connect<ClientPacket, ServerPacket>(
      { host: '127.0.0.1', port: soup.port },
      {
        codec: clientCodec,
        protocol: {
          onConnect: (connection) =>
            connection.send({ type: 'L', username: 'ALICE', password: 'secret', session: '', sequence: '0' }),
          onHandshakeRecv: (packet) => (packet.type === 'A' ? HandshakeStep.Done : HandshakeStep.Continue),
        },
      },
    );
    cleanups.push(() => mute.close());
    expect((await disconnected)?.code).toBe('NET_ERR_PEER_SILENT');
    // Until the end it heard Server Heartbeats.
    expect(await mute.recv()).toEqual({ type: 'H' });
  });

  it('tells the client its server went silent, with NET_ERR_PEER_SILENT', async () => {
    // A server that accepts the login and then never sends anything (no heartbeats).
    const mute = await Svc.bind<ServerPacket, ClientPacket>('127.0.0.1:0', {
      codec: serverCodec,
      protocol: {
        onHandshakeRecv: (packet, connection) => {
          connection.send({ type: 'A', session: 'MUTE', sequence: '1' });
          return packet.type === 'L' ? HandshakeStep.Done : HandshakeStep.Continue;
        },
      },
    });
    cleanups.push(() => mute.close());
    const client = await AsyncSoupClient.login(
      { host: '127.0.0.1', port: mute.port },
      { username: 'ALICE', password: 'secret', ...FAST },
    );
    cleanups.push(() => client.disconnect());
    await expect(client.recv()).rejects.toMatchObject({ code: 'NET_ERR_PEER_SILENT' });
    expect(client.isConnected()).toBe(false);
  });

  it('replays only what the bounded store still holds, and starts a request past the end at the next message', async () => {
    const soup = await server({ storeCapacity: 3 });
    for (const text of ['1', '2', '3', '4', '5']) soup.publish(encode(text));
    const early = await login(soup.port, 1);
    expect(early.session.nextSequence).toBe(3);
    expect(await sequenced(early, 3)).toEqual([
      [3, '3'],
      [4, '4'],
      [5, '5'],
    ]);
    const late = await login(soup.port, 99);
    expect(late.session.nextSequence).toBe(6);
    expect(late.session.session).toBe('ASYNC');
    soup.publish(encode('6'));
    expect(await sequenced(late, 1)).toEqual([[6, '6']]);
  });

  it('sends unsequenced data from the server and takes it from the client', async () => {
    let received: (text: string) => void = () => {};
    const fromClient = new Promise<string>((resolve) => (received = resolve));
    let loggedIn: (conId: ConId) => void = () => {};
    const who = new Promise<ConId>((resolve) => (loggedIn = resolve));
    const soup = await server({
      listener: { onLogin: (conId) => loggedIn(conId), onUnsequenced: (_conId, payload) => received(decode(payload)) },
    });
    const client = await login(soup.port, 0);
    const conId = await who;
    // The pump and sendTo need the connection in the pool: wait for it to be attached.
    for (let turn = 0; soup.size === 0 && turn < 100_000; turn++)
      await new Promise<void>((resolve) => setImmediate(resolve));
    soup.sendUnsequenced(conId, encode('hello client'));
    const event = await client.recv();
    expect(event?.type === 'unsequenced' ? decode(event.payload) : event).toBe('hello client');
    client.sendUnsequenced(encode('hello server'));
    expect(await fromClient).toBe('hello server');
  });

  it('gives coded errors for bad input and keeps running', async () => {
    await expect(
      AsyncSoupServer.start('127.0.0.1:0', { session: 'MUCH TOO LONG', credentials: {} }),
    ).rejects.toMatchObject({ code: 'NET_ERR_INVALID_ARGUMENT' });
    await expect(
      AsyncSoupServer.start('127.0.0.1:0', {
        session: 'S',
        credentials: {},
        heartbeatInterval: 100,
        silenceTimeout: 50,
      }),
    ).rejects.toMatchObject({
      code: 'NET_ERR_INVALID_ARGUMENT',
    });
    const soup = await server();
    await expect(
      AsyncSoupClient.login({ host: '127.0.0.1', port: soup.port }, { username: 'SEVENCH', password: 'x' }),
    ).rejects.toMatchObject({ code: 'NET_ERR_INVALID_ARGUMENT' });
    expect(() => soup.publish('text' as unknown as Uint8Array)).toThrow(
      expect.objectContaining({ code: 'NET_ERR_INVALID_ARGUMENT' }),
    );
    soup.endSession();
    expect(() => soup.publish(encode('late'))).toThrow(expect.objectContaining({ code: 'NET_ERR_CLOSED' }));
    await expect(login(soup.port, 0)).rejects.toMatchObject({ code: 'NET_ERR_HANDSHAKE', details: { reason: 'S' } });
  });
});
