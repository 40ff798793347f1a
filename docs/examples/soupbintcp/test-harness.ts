import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AsyncSoupClient } from './async-client.js';
import { AsyncSoupServer } from './async-server.js';
import type { Flavour } from './flavour.js';
import type { SoupClientOptions, SoupServerOptions } from './options.js';
import { clientEvent, type HostEvent, listenerPosting } from './test-events.js';
import type { HostCommand, HostSetup } from './test-host.js';

// The tests' side of running a server or client of any flavour: the async flavour runs on the
// test's own thread, a synchronous one in a host thread (test-host.ts, compiled) that it drives by
// commands. Either way the test sees the same events and waits on them, never on the clock.

/** Generous: the machine running the tests may be slow and busy. */
export const EVENT_DEADLINE_MS = 20_000;

/** Every event of one server or client, in order, with waits on what is to come. */
export class EventLog {
  /** Every event so far, oldest first. */
  readonly list: HostEvent[] = [];
  private readonly _waiters = new Set<() => void>();

  /** Records an event and wakes the waits it satisfies. */
  push(event: HostEvent): void {
    this.list.push(event);
    for (const waiter of [...this._waiters]) waiter();
  }

  /** Events of one kind. */
  of(kind: string): HostEvent[] {
    return this.list.filter((event) => event.kind === kind);
  }

  /** Resolves with the first event (from the start) that matches; rejects after the deadline. */
  waitFor(what: string, match: (event: HostEvent) => boolean, deadlineMs = EVENT_DEADLINE_MS): Promise<HostEvent> {
    const found = this.list.find(match);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const event = this.list.find(match);
        if (event === undefined) return;
        this._waiters.delete(check);
        clearTimeout(timer);
        resolve(event);
      };
      const timer = setTimeout(() => {
        this._waiters.delete(check);
        reject(
          new Error(
            `no ${what} within ${deadlineMs} ms; events: ${JSON.stringify(this.list.filter((event) => event.kind !== 'heartbeats' && event.kind !== 'clientHeartbeat').slice(-20))}`,
          ),
        );
      }, deadlineMs);
      this._waiters.add(check);
    });
  }

  /** Waits for the `count`-th event of `kind`. */
  waitForCount(kind: string, count: number): Promise<HostEvent> {
    return this.waitFor(`${count} × ${kind}`, () => this.of(kind).length >= count);
  }
}

/** A running server of some flavour. */
export interface ServerHandle {
  /** The port it listens on. */
  readonly port: number;
  /** What it reported. */
  readonly events: EventLog;
  /** Publishes the texts as sequenced messages. */
  publish(...texts: string[]): void;
  /** Ends the session (End of Session to every client). */
  endSession(): void;
  /** Closes it and everything it opened. */
  stop(): Promise<void>;
}

/** A running client of some flavour. */
export interface ClientHandle {
  /** What it reported. */
  readonly events: EventLog;
  /** Sends a command (disconnect, reconnect, logout, sendUnsequenced); its effect shows as events. */
  command(command: Exclude<HostCommand, { op: 'stop' | 'publish' | 'endSession' }>): void;
  /** Closes it and everything it opened. */
  stop(): Promise<void>;
}

const encoder = new TextEncoder();
/** Longest wait for another test process's build of the example. */
const BUILD_DEADLINE_MS = 120_000;
const HOST_SCRIPT = new URL('../../dist/examples/soupbintcp/test-host.js', import.meta.url);

/**
 * Compiles the example when its output is missing or older than its sources, so that the host
 * threads run the code under test (CI builds first and this finds nothing to do).
 */
export function ensureBuilt(): void {
  const sourceDir = fileURLToPath(new URL('.', import.meta.url));
  const outDir = fileURLToPath(new URL('../../dist/examples/soupbintcp/', import.meta.url));
  const stale = readdirSync(sourceDir)
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
    .some((name) => {
      const output = `${outDir}${name.replace(/\.ts$/, '.js')}`;
      return !existsSync(output) || statSync(output).mtimeMs < statSync(`${sourceDir}${name}`).mtimeMs;
    });
  if (!stale) return;
  // Test files run in parallel processes: one builds while the others wait for its lock to go.
  const lock = fileURLToPath(new URL('../../dist/.soupbintcp-build-lock', import.meta.url));
  mkdirSync(dirname(lock), { recursive: true });
  try {
    mkdirSync(lock);
  } catch {
    const parked = new Int32Array(new SharedArrayBuffer(4));
    for (let waited = 0; existsSync(lock) && waited < BUILD_DEADLINE_MS; waited += 50) Atomics.wait(parked, 0, 0, 50);
    return;
  }
  try {
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    execFileSync(process.execPath, [tsc, '-p', fileURLToPath(new URL('../../tsconfig.build.json', import.meta.url))], {
      stdio: 'inherit',
    });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

class HostedProcess {
  readonly events = new EventLog();
  private readonly _worker: Worker;
  private readonly _exited: Promise<void>;

  constructor(setup: HostSetup) {
    this._worker = new Worker(HOST_SCRIPT, { workerData: setup });
    this._worker.on('message', (event: HostEvent) => this.events.push(event));
    this._worker.on('error', (error) => this.events.push({ kind: 'hostError', message: String(error) }));
    this._exited = new Promise((resolve) => this._worker.once('exit', () => resolve()));
  }

  send(command: HostCommand): void {
    this._worker.postMessage(command);
  }

  async stop(): Promise<void> {
    this.send({ op: 'stop' });
    await Promise.race([this.events.waitFor('stopped', (event) => event.kind === 'stopped'), this._exited]);
    await this._worker.terminate();
  }
}

/** Starts a server of `flavour` on a free loopback port. */
export async function startServer(
  flavour: Flavour,
  options: Omit<SoupServerOptions, 'listener'>,
): Promise<ServerHandle> {
  if (flavour === 'async') {
    const events = new EventLog();
    const server = await AsyncSoupServer.start('127.0.0.1:0', {
      ...options,
      listener: listenerPosting((event) => events.push(event)),
    });
    return {
      port: server.port,
      events,
      publish: (...texts) => {
        for (const text of texts) events.push({ kind: 'published', sequence: server.publish(encoder.encode(text)) });
      },
      endSession: () => {
        server.endSession();
        events.push({ kind: 'sessionEnded' });
      },
      stop: () => server.close(),
    };
  }
  const host = new HostedProcess({ role: 'server', flavour, server: options });
  const ready = await host.events.waitFor('ready', (event) => event.kind === 'ready');
  return {
    port: ready['port'] as number,
    events: host.events,
    publish: (...texts) => host.send({ op: 'publish', texts }),
    endSession: () => host.send({ op: 'endSession' }),
    stop: () => host.stop(),
  };
}

/** Starts a client of `flavour` that logs in to `port`; its first event is `loggedIn` or `loginFailed`. */
export function startClient(flavour: Flavour, port: number, options: SoupClientOptions): ClientHandle {
  if (flavour === 'async') return new AsyncClientRunner(port, options);
  const host = new HostedProcess({ role: 'client', flavour, port, client: options });
  return { events: host.events, command: (command) => host.send(command), stop: () => host.stop() };
}

/** The async flavour's client on the test's thread, reporting what the hosted ones report. */
class AsyncClientRunner implements ClientHandle {
  readonly events = new EventLog();
  private _client: AsyncSoupClient | undefined;
  private _reading: Promise<void> = Promise.resolve();
  private _heartbeats = 0;
  private _queue: Promise<void>;

  constructor(port: number, options: SoupClientOptions) {
    this._queue = this._login(port, options);
  }

  command(command: Exclude<HostCommand, { op: 'stop' | 'publish' | 'endSession' }>): void {
    this._queue = this._queue.then(() => this._run(command));
  }

  async stop(): Promise<void> {
    await this._queue;
    await this._client?.disconnect();
    await this._reading;
  }

  private async _login(port: number, options: SoupClientOptions): Promise<void> {
    try {
      this._client = await AsyncSoupClient.login(
        { host: '127.0.0.1', port },
        { ...options, onServerHeartbeat: () => this._reportHeartbeats() },
      );
      this._loggedIn();
    } catch (error) {
      this._loginFailed(error);
    }
  }

  private async _run(command: Exclude<HostCommand, { op: 'stop' | 'publish' | 'endSession' }>): Promise<void> {
    const client = this._client!;
    switch (command.op) {
      case 'disconnect':
        await client.disconnect();
        await this._reading;
        this.events.push({ kind: 'closedByUser' });
        return;
      case 'reconnect':
        try {
          await client.reconnect();
          this._loggedIn();
        } catch (error) {
          this._loginFailed(error);
        }
        return;
      case 'logout':
        await client.logout();
        await this._reading;
        this.events.push({ kind: 'loggedOut' });
        return;
      case 'sendUnsequenced':
        client.sendUnsequenced(encoder.encode(command.text));
        return;
    }
  }

  private _loggedIn(): void {
    const client = this._client!;
    this.events.push({ kind: 'loggedIn', session: client.session.session, nextSequence: client.session.nextSequence });
    this._reading = this._read(client);
  }

  private _loginFailed(error: unknown): void {
    const netError = error as { code?: string; details?: Record<string, unknown> };
    this.events.push({ kind: 'loginFailed', code: netError.code, reason: netError.details?.['reason'] });
  }

  private async _read(client: AsyncSoupClient): Promise<void> {
    for (;;) {
      let event;
      try {
        event = await client.recv();
      } catch (error) {
        this.events.push({ kind: 'ended', code: (error as { code?: string }).code });
        return;
      }
      if (event === undefined) {
        this.events.push({ kind: 'ended' });
        return;
      }
      this.events.push(clientEvent(event));
    }
  }

  private _reportHeartbeats(): void {
    this.events.push({ kind: 'heartbeats', count: ++this._heartbeats });
  }
}
