import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { END_OF_STREAM, NetError, WOULD_BLOCK } from '@net/nonblocking';
import { BlockingSoupClient } from './blocking-client.js';
import { BlockingSoupServer } from './blocking-server.js';
import { IdleBackoff } from './idle-backoff.js';
import { NonblockingSoupClient } from './nonblocking-client.js';
import { NonblockingSoupServer } from './nonblocking-server.js';
import type { SoupClientOptions, SoupServerOptions } from './options.js';
import { clientEvent, type HostEvent, listenerPosting } from './test-events.js';

// The thread a synchronous server or client runs in under the tests: a synchronous flavour parks
// or spins the thread it runs on, so it must not share the test's thread with anything that needs
// that thread's event loop. The loop here never yields: commands are taken with
// receiveMessageOnPort between passes and every event is posted home as it happens.

/** What a host is asked to run. */
export interface HostSetup {
  readonly role: 'server' | 'client';
  readonly flavour: 'nonblocking' | 'blocking';
  readonly port?: number;
  readonly server?: Omit<SoupServerOptions, 'listener'>;
  readonly client?: SoupClientOptions;
}

/** A command from the test. */
export type HostCommand =
  | { readonly op: 'publish'; readonly texts: readonly string[] }
  | { readonly op: 'endSession' }
  | { readonly op: 'disconnect' }
  | { readonly op: 'reconnect' }
  | { readonly op: 'logout' }
  | { readonly op: 'sendUnsequenced'; readonly text: string }
  | { readonly op: 'stop' };

const port = parentPort!;
const setup = workerData as HostSetup;
const bytes = new TextEncoder();
const post = (event: HostEvent): void => port.postMessage(event);
const codeOf = (error: unknown): string => (NetError.isNetError(error) ? error.code : String(error));

function nextCommand(): HostCommand | undefined {
  return receiveMessageOnPort(port)?.message as HostCommand | undefined;
}

function runServer(): void {
  const options = { ...setup.server!, listener: listenerPosting(post) };
  const server =
    setup.flavour === 'blocking'
      ? BlockingSoupServer.bind('127.0.0.1:0', options)
      : NonblockingSoupServer.bind('127.0.0.1:0', options);
  post({ kind: 'ready', port: server.port });
  const backoff = new IdleBackoff();
  for (;;) {
    let moved = false;
    for (let command = nextCommand(); command !== undefined; command = nextCommand()) {
      moved = true;
      if (command.op === 'stop') {
        server.close();
        post({ kind: 'stopped' });
        return;
      }
      if (command.op === 'publish') {
        for (const item of command.texts) post({ kind: 'published', sequence: server.publish(bytes.encode(item)) });
      } else if (command.op === 'endSession') {
        server.endSession();
        post({ kind: 'sessionEnded' });
      }
    }
    if (server instanceof BlockingSoupServer) moved = server.serve({ timeout: 5 }) || moved;
    else moved = server.poll() || moved;
    backoff.after(moved);
  }
}

function runClient(): void {
  const connect = (): NonblockingSoupClient | BlockingSoupClient =>
    setup.flavour === 'blocking'
      ? BlockingSoupClient.login({ host: '127.0.0.1', port: setup.port! }, setup.client!)
      : NonblockingSoupClient.login({ host: '127.0.0.1', port: setup.port! }, setup.client!);
  let client: NonblockingSoupClient | BlockingSoupClient | undefined;
  let reading = false;
  let heartbeats = 0;
  const login = (): void => {
    try {
      if (client === undefined) client = connect();
      else client.reconnect();
      reading = true;
      post({ kind: 'loggedIn', session: client.session.session, nextSequence: client.session.nextSequence });
    } catch (error) {
      post({
        kind: 'loginFailed',
        code: codeOf(error),
        reason: NetError.isNetError(error) ? error.details?.['reason'] : undefined,
      });
    }
  };
  login();
  const backoff = new IdleBackoff();
  for (;;) {
    let moved = false;
    for (let command = nextCommand(); command !== undefined; command = nextCommand()) {
      moved = true;
      switch (command.op) {
        case 'stop':
          client?.disconnect();
          post({ kind: 'stopped' });
          return;
        case 'disconnect':
          client?.disconnect();
          reading = false;
          post({ kind: 'closedByUser' });
          break;
        case 'reconnect':
          login();
          break;
        case 'logout':
          client?.logout();
          reading = false;
          post({ kind: 'loggedOut' });
          break;
        case 'sendUnsequenced':
          if (client instanceof BlockingSoupClient) client.sendUnsequenced(bytes.encode(command.text));
          else client?.sendUnsequencedBusywait(bytes.encode(command.text));
          break;
        default:
          break;
      }
    }
    if (client !== undefined && reading) moved = readOnce(client) || moved;
    if (client !== undefined && client.session.heartbeatsReceived !== heartbeats) {
      heartbeats = client.session.heartbeatsReceived;
      post({ kind: 'heartbeats', count: heartbeats });
    }
    backoff.after(moved);
  }

  function readOnce(current: NonblockingSoupClient | BlockingSoupClient): boolean {
    try {
      const event = current instanceof BlockingSoupClient ? current.tryRecv({ timeout: 5 }) : current.recv();
      if (event === WOULD_BLOCK) return false;
      if (event === END_OF_STREAM) {
        reading = false;
        post({ kind: 'ended' });
        return true;
      }
      post(clientEvent(event));
      return true;
    } catch (error) {
      reading = false;
      post({ kind: 'ended', code: codeOf(error) });
      return true;
    }
  }
}

if (setup.role === 'server') runServer();
else runClient();
