import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FLAVOURS } from './flavour.js';
import type { SoupClientOptions, SoupServerOptions } from './options.js';
import { type ClientHandle, ensureBuilt, startClient, startServer } from './test-harness.js';

// Every client flavour against every server flavour. The synchronous flavours run in host threads
// of their own; the async flavour runs on this thread.

const SERVER: Omit<SoupServerOptions, 'listener'> = {
  session: 'MATRIX',
  credentials: { ALICE: 'secret', BOB: 'hunter2' },
  // Heartbeats well inside the silence limit, so a busy machine never cuts a link by accident.
  heartbeatInterval: 50,
  silenceTimeout: 10_000,
};
const ALICE: SoupClientOptions = {
  username: 'ALICE',
  password: 'secret',
  heartbeatInterval: 50,
  silenceTimeout: 10_000,
  sequence: 1,
  // A loaded machine can take longer than the default second to run the server thread's accept.
  connectTimeout: 10_000,
};

const running: { stop(): Promise<void> }[] = [];
function track<T extends { stop(): Promise<void> }>(handle: T): T {
  running.push(handle);
  return handle;
}

beforeAll(() => ensureBuilt(), 120_000);

afterEach(async () => {
  for (const handle of running.splice(0).reverse()) await handle.stop();
});

async function sequencesOf(client: ClientHandle, upTo: number): Promise<number[]> {
  await client.events.waitFor(`message ${upTo}`, (event) => event.kind === 'sequenced' && event['sequence'] === upTo);
  return client.events.of('sequenced').map((event) => event['sequence'] as number);
}

for (const serverFlavour of FLAVOURS) {
  for (const clientFlavour of FLAVOURS) {
    describe(`${clientFlavour} client, ${serverFlavour} server`, () => {
      it('logs in, replays the session from 1 and receives live data', async () => {
        const server = track(await startServer(serverFlavour, SERVER));
        server.publish('one', 'two');
        await server.events.waitForCount('published', 2);
        const client = track(startClient(clientFlavour, server.port, ALICE));
        const login = await client.events.waitFor(
          'login',
          (event) => event.kind === 'loggedIn' || event.kind === 'loginFailed',
        );
        expect(login).toMatchObject({ kind: 'loggedIn', session: 'MATRIX', nextSequence: 1 });
        await server.events.waitFor('server login', (event) => event.kind === 'login' && event['username'] === 'ALICE');
        server.publish('three');
        await sequencesOf(client, 3);
        expect(client.events.of('sequenced').map((event) => [event['sequence'], event['text']])).toEqual([
          [1, 'one'],
          [2, 'two'],
          [3, 'three'],
        ]);
      });

      it('reconnects after message k and gets exactly the missing messages once, in order', async () => {
        const server = track(await startServer(serverFlavour, SERVER));
        const client = track(startClient(clientFlavour, server.port, { ...ALICE, sequence: 0 }));
        await client.events.waitFor('login', (event) => event.kind === 'loggedIn');
        await server.events.waitFor('server login', (event) => event.kind === 'login');
        server.publish('m1', 'm2', 'm3');
        expect(await sequencesOf(client, 3)).toEqual([1, 2, 3]);
        client.command({ op: 'disconnect' });
        await client.events.waitFor('disconnect', (event) => event.kind === 'closedByUser');
        await server.events.waitFor('server sees the disconnect', (event) => event.kind === 'disconnected');
        server.publish('m4', 'm5', 'm6', 'm7');
        await server.events.waitForCount('published', 7);
        client.command({ op: 'reconnect' });
        await client.events.waitFor(
          'second login',
          (event) => event.kind === 'loginFailed' || client.events.of('loggedIn').length === 2,
        );
        expect(client.events.of('loggedIn')[1]).toMatchObject({ session: 'MATRIX', nextSequence: 4 });
        await server.events.waitForCount('login', 2);
        expect(server.events.of('login')[1]).toMatchObject({ username: 'ALICE', nextSequence: 4 });
        // A marker published after the replay: everything before it has arrived once it has.
        server.publish('m8');
        expect(await sequencesOf(client, 8)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
        expect(client.events.of('sequenced').map((event) => event['text'])).toEqual([
          'm1',
          'm2',
          'm3',
          'm4',
          'm5',
          'm6',
          'm7',
          'm8',
        ]);
      });

      it('refuses a wrong password (A) and an unknown session (S)', async () => {
        const server = track(await startServer(serverFlavour, SERVER));
        const wrongPassword = track(startClient(clientFlavour, server.port, { ...ALICE, password: 'guess' }));
        const unknownSession = track(startClient(clientFlavour, server.port, { ...ALICE, session: 'OTHER' }));
        const refused = (event: { kind: string }) => event.kind === 'loginFailed' || event.kind === 'loggedIn';
        expect(await wrongPassword.events.waitFor('refusal', refused)).toMatchObject({
          kind: 'loginFailed',
          code: 'NET_ERR_HANDSHAKE',
          reason: 'A',
        });
        expect(await unknownSession.events.waitFor('refusal', refused)).toMatchObject({
          kind: 'loginFailed',
          code: 'NET_ERR_HANDSHAKE',
          reason: 'S',
        });
        await server.events.waitForCount('loginRejected', 2);
        expect(
          server.events
            .of('loginRejected')
            .map((event) => event['reason'])
            .sort(),
        ).toEqual(['A', 'S']);
        expect(server.events.of('login')).toEqual([]);
      });

      it('heartbeats both ways while idle, carries unsequenced data, then logs out', async () => {
        const server = track(await startServer(serverFlavour, SERVER));
        const client = track(startClient(clientFlavour, server.port, ALICE));
        await client.events.waitFor('login', (event) => event.kind === 'loggedIn');
        await client.events.waitFor(
          '3 server heartbeats',
          (event) => event.kind === 'heartbeats' && (event['count'] as number) >= 3,
        );
        await server.events.waitForCount('clientHeartbeat', 3);
        client.command({ op: 'sendUnsequenced', text: 'order 1' });
        expect(await server.events.waitFor('unsequenced data', (event) => event.kind === 'unsequenced')).toMatchObject({
          text: 'order 1',
        });
        client.command({ op: 'logout' });
        await client.events.waitFor('logout', (event) => event.kind === 'loggedOut');
        await server.events.waitFor('server logout', (event) => event.kind === 'logout');
        await server.events.waitFor('server disconnect', (event) => event.kind === 'disconnected');
        expect(server.events.of('error')).toEqual([]);
      });

      it('ends the session: every message, then End of Session, then the close', async () => {
        const server = track(await startServer(serverFlavour, SERVER));
        const client = track(startClient(clientFlavour, server.port, ALICE));
        await client.events.waitFor('login', (event) => event.kind === 'loggedIn');
        await server.events.waitFor('server login', (event) => event.kind === 'login');
        server.publish('last words');
        server.endSession();
        await client.events.waitFor('end of stream', (event) => event.kind === 'ended');
        const kinds = client.events.list.map((event) => event.kind).filter((kind) => kind !== 'heartbeats');
        expect(kinds).toEqual(['loggedIn', 'sequenced', 'endOfSession', 'ended']);
        // The server closes right after End of Session; a heartbeat of the client's still in flight
        // makes its kernel answer with a reset instead of a clean end, which is just as final.
        expect([undefined, 'NET_ERR_PEER_RESET']).toContain(client.events.of('ended')[0]['code']);
      });
    });
  }
}
