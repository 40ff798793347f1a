import { AsyncSoupServer } from './async-server.js';
import { BlockingSoupServer } from './blocking-server.js';
import { CliArgs, runMain } from './cli-args.js';
import { type Flavour, parseFlavour } from './flavour.js';
import { IdleBackoff } from './idle-backoff.js';
import { NonblockingSoupServer } from './nonblocking-server.js';
import type { SoupServerOptions } from './options.js';
import type { ServerCore } from './server-core.js';

// A runnable SoupBinTCP server: it waits for the first login, publishes `--count` sequenced
// messages `--interval` ms apart, ends the session, and exits once every client has gone.
//
//   node dist/examples/soupbintcp/server.js --flavour blocking --port 7000 --user ALICE:secret

const USAGE = ['flavour', 'host', 'port', 'session', 'user', 'count', 'interval', 'heartbeat', 'silence'];
/** How long clients get to go after End of Session before the server closes anyway. */
const GOODBYE_MS = 2_000;

/** One server of any flavour, as this program drives it. */
interface RunningServer {
  readonly port: number;
  readonly core: ServerCore;
  publish(payload: Uint8Array): number;
  endSession(): void;
  /** Does the server's work for a moment: a few ms of polling, parking or event-loop time. */
  step(): Promise<void> | void;
  close(): Promise<void> | void;
}

async function startServer(
  flavour: Flavour,
  host: string,
  port: number,
  options: SoupServerOptions,
): Promise<RunningServer> {
  const address = { host, port };
  if (flavour === 'async') {
    const server = await AsyncSoupServer.start(address, options);
    return Object.assign(server, { step: () => new Promise<void>((resolve) => setTimeout(resolve, 5)) });
  }
  if (flavour === 'nonblocking') {
    const server = NonblockingSoupServer.bind(address, options);
    const backoff = new IdleBackoff();
    return Object.assign(server, { step: () => backoff.after(server.poll()) });
  }
  const server = BlockingSoupServer.bind(address, options);
  return Object.assign(server, { step: () => void server.serve({ timeout: 5 }) });
}

function parseUsers(entries: readonly string[]): Record<string, string> {
  const credentials: Record<string, string> = {};
  for (const entry of entries.length === 0 ? ['ALICE:secret'] : entries) {
    const [username = '', password = ''] = entry.split(':');
    credentials[username] = password;
  }
  return credentials;
}

async function main(): Promise<void> {
  const args = new CliArgs(process.argv.slice(2), USAGE);
  const flavour = parseFlavour(args.text('flavour', 'async'));
  const count = args.count('count', 10);
  const interval = args.count('interval', 200);
  let loggedIn = 0;
  const server = await startServer(flavour, args.text('host', '127.0.0.1'), args.count('port', 0), {
    session: args.text('session', 'TODAY'),
    credentials: parseUsers(args.all('user')),
    heartbeatInterval: args.count('heartbeat', 1_000),
    silenceTimeout: args.count('silence', 15_000),
    listener: {
      onLogin: (conId, username, next) => {
        loggedIn++;
        console.log(
          `login ${username} from ${String(conId.peer?.kind === 'tcp' ? `${conId.peer.host}:${conId.peer.port}` : conId)}, replay from ${next}`,
        );
      },
      onLoginRejected: (_conId, username, reason) => console.log(`login of ${username} rejected (${reason})`),
      onLogout: () => console.log('logout'),
      onUnsequenced: (_conId, payload) => console.log(`unsequenced: ${new TextDecoder().decode(payload)}`),
      onDisconnected: (_conId, reason) => console.log(`disconnected${reason === undefined ? '' : `: ${reason.code}`}`),
    },
  });
  console.log(`listening on port ${server.port} (${flavour}), session ${server.core.store.name}`);
  let published = 0;
  let nextAt = Infinity;
  let endedAt = Infinity;
  for (;;) {
    await server.step();
    const now = performance.now();
    if (loggedIn > 0 && nextAt === Infinity && published === 0) nextAt = now;
    if (published < count && now >= nextAt) {
      const sequence = server.publish(new TextEncoder().encode(`message ${++published}`));
      console.log(`published ${sequence}`);
      nextAt = now + interval;
    }
    if (published === count && endedAt === Infinity && loggedIn > 0) {
      server.endSession();
      endedAt = now;
      console.log('end of session');
    }
    const clients = [...server.core.store.subscribers()].length;
    if (endedAt !== Infinity && (clients === 0 || now - endedAt > GOODBYE_MS)) break;
  }
  await server.close();
  console.log('closed');
}

runMain(main);
