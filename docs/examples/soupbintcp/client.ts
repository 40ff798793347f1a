import { AsyncSoupClient } from './async-client.js';
import { BlockingSoupClient } from './blocking-client.js';
import { CliArgs, runMain } from './cli-args.js';
import type { ClientSession, SoupEvent } from './client-session.js';
import { type Flavour, parseFlavour } from './flavour.js';
import { IdleBackoff } from './idle-backoff.js';
import { NonblockingSoupClient } from './nonblocking-client.js';
import { END_OF_STREAM, NetError, WOULD_BLOCK } from '@net/nonblocking';
import type { SoupClientOptions } from './options.js';

// A runnable SoupBinTCP client: it logs in, prints every message, and when the link is lost logs
// in again asking for the next message it has not had (up to `--reconnects` times), until End of
// Session.
//
//   node dist/examples/soupbintcp/client.js --flavour nonblocking --port 7000 --user ALICE --password secret

const USAGE = [
  'flavour',
  'host',
  'port',
  'user',
  'password',
  'session',
  'sequence',
  'reconnects',
  'heartbeat',
  'silence',
];

/** One client of any flavour, as this program drives it. */
interface RunningClient {
  readonly session: ClientSession;
  /** The next event; `undefined` when the server closed the connection. */
  next(): Promise<SoupEvent | undefined> | SoupEvent | undefined;
  reconnect(): Promise<void> | void;
  disconnect(): Promise<void> | void;
}

async function login(
  flavour: Flavour,
  address: { host: string; port: number },
  options: SoupClientOptions,
): Promise<RunningClient> {
  if (flavour === 'async') {
    const client = await AsyncSoupClient.login(address, options);
    return Object.assign(client, { next: () => client.recv() });
  }
  if (flavour === 'blocking') {
    const client = BlockingSoupClient.login(address, options);
    return Object.assign(client, { next: () => client.recv() });
  }
  const client = NonblockingSoupClient.login(address, options);
  const backoff = new IdleBackoff();
  return Object.assign(client, {
    next: (): SoupEvent | undefined => {
      for (;;) {
        const event = client.recv();
        if (event === END_OF_STREAM) return undefined;
        if (event !== WOULD_BLOCK) return event;
        backoff.after(false);
      }
    },
  });
}

async function main(): Promise<void> {
  const args = new CliArgs(process.argv.slice(2), USAGE);
  const flavour = parseFlavour(args.text('flavour', 'async'));
  const address = { host: args.text('host', '127.0.0.1'), port: args.count('port', 7000) };
  const client = await login(flavour, address, {
    username: args.text('user', 'ALICE'),
    password: args.text('password', 'secret'),
    session: args.text('session', ''),
    sequence: args.count('sequence', 1),
    heartbeatInterval: args.count('heartbeat', 1_000),
    silenceTimeout: args.count('silence', 15_000),
  });
  console.log(
    `logged in to session ${client.session.session} (${flavour}), next message ${client.session.nextSequence}`,
  );
  let reconnects = args.count('reconnects', 3);
  for (;;) {
    let event: SoupEvent | undefined;
    let lost: string | undefined;
    try {
      event = await client.next();
      if (event === undefined) lost = 'the server closed the connection';
    } catch (error) {
      lost = NetError.isNetError(error) ? error.code : String(error);
    }
    if (event?.type === 'endOfSession') {
      console.log('end of session');
      break;
    }
    if (event?.type === 'sequenced') console.log(`${event.sequence}: ${new TextDecoder().decode(event.payload)}`);
    if (event?.type === 'unsequenced') console.log(`unsequenced: ${new TextDecoder().decode(event.payload)}`);
    if (lost === undefined) continue;
    if (reconnects-- === 0) throw new NetError('NET_ERR_CLOSED', `link lost (${lost}) and no reconnects left`);
    console.log(`link lost (${lost}); logging in again from message ${client.session.nextSequence}`);
    await client.disconnect();
    await client.reconnect();
  }
  await client.disconnect();
}

runMain(main);
