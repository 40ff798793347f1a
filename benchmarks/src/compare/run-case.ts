import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { type Case, caseLabel, type Subject } from './cases.js';
import type { OtherRuntime, OtherRuntimeName } from '../util/other-runtime.js';
import type { ClientResult } from './protocol.js';
import { clientResult } from './client-failure.js';
import { endPeer } from './end-peer.js';

/** Where the programs are, and how to run them. */
export interface Programs {
  /** The compiled Node peer. */
  readonly peer: string;
  /** The C program, when it could be built. */
  readonly c: string | undefined;
  /** A folder for CPU profiles of the Node peers (`node --cpu-prof`), or undefined. */
  readonly profileDir: string | undefined;
  /** The other runtimes' binaries for their rows, where there are some. */
  readonly runtimes: Readonly<Record<OtherRuntimeName, OtherRuntime | undefined>>;
}

let socketSerial = 0;
/** Peers running now, and the socket files they may leave: ended by {@link endAllPeers}. */
const live = new Set<ChildProcess>();
const socketFiles = new Set<string>();

/** Ends every peer still running and removes their socket files (the harness was interrupted). */
export function endAllPeers(): void {
  for (const child of live) child.kill('SIGKILL');
  for (const path of socketFiles) for (const suffix of ['', '.rep', '.pull']) rmSync(path + suffix, { force: true });
}

function track(child: ChildProcess): ChildProcess {
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}
/** A client gets this long before the run is called hung. */
const CLIENT_LIMIT_MS = 180_000;
/** How long a server gets to exit on SIGTERM before it is killed outright. */
const SERVER_END_MS = 5_000;
/** How long a profiled server gets to write its profile once its client is done. */
const PROFILE_EXIT_MS = 5_000;

/**
 * The peers' environment: the parent's, less what only slows their start-up (a bundle of extra CA
 * certificates is read by every Node process that starts, and the peers speak no TLS).
 */
function peerEnv(subject: Subject): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  if (subject.socketPath !== undefined) env.NET_SYNC_SOCKETS = subject.socketPath;
  return env;
}

/**
 * Runs one subject on one case: the server in one process, the client in another (as users deploy
 * them), the client's result line back (in `hold` mode, the server's second line: its memory). The
 * server is ended once the result is in, and its socket file removed.
 */
export async function runCase(subject: Subject, c: Case, programs: Programs): Promise<ClientResult> {
  const path = join(tmpdir(), `net-compare-${process.pid}-${socketSerial++}.sock`);
  const listenAt = c.transport === 'tcp' ? '127.0.0.1:0' : path;
  socketFiles.add(path);
  const other = subject.runtime === undefined ? undefined : programs.runtimes[subject.runtime]!;
  const runtime = other?.path ?? process.execPath;
  // Node and Bun write a CPU profile with the same flags; a Deno peer runs without one.
  const profiled = programs.profileDir !== undefined && other?.name !== 'deno';
  // What goes before the program: how another runtime starts a Node program, and the profile to write.
  const runtimeArgs = (role: string): string[] => [
    ...(other?.programPrefix ?? []),
    ...(profiled
      ? [
          '--cpu-prof',
          '--cpu-prof-dir',
          programs.profileDir,
          '--cpu-prof-name',
          `${subject.id}-${c.suite}-${caseLabel(c).replace(/[^\w.-]+/g, '_')}-${role}.cpuprofile`,
        ]
      : []),
  ];
  const hold = c.mode === 'hold';
  // The service holds the busy connections and the idle ones beside them.
  const served = String(c.connections + c.idle);
  const [command, serverArgs] =
    'node' in subject.kind
      ? [
          runtime,
          [
            ...runtimeArgs('server'),
            ...(hold ? ['--expose-gc'] : []),
            programs.peer,
            'server',
            subject.kind.node,
            c.transport,
            listenAt,
            c.codec,
            served,
            ...(hold ? ['hold'] : []),
          ],
        ]
      : [programs.c!, ['server', c.transport, listenAt, subject.kind.c]];
  const server = track(spawn(command, serverArgs, { stdio: ['ignore', 'pipe', 'ignore'], env: peerEnv(subject) }));
  const serverLines = linesOf(server);
  // A Node client starts beside its server and waits for the address on its input.
  const nodeClient =
    'node' in subject.kind
      ? startClient(runtime, subject, [
          ...runtimeArgs('client'),
          programs.peer,
          'client',
          subject.kind.node,
          c.transport,
          '-',
          c.mode,
          String(c.size),
          String(c.count),
          String(c.warmup),
          String(c.rate),
          c.codec,
          String(c.connections),
          String(c.budgetMs),
          String(c.idle),
        ])
      : undefined;
  try {
    const ready = (await serverLines.next()).split(' ')[1] ?? '';
    if (nodeClient !== undefined || !('c' in subject.kind)) {
      nodeClient!.child.stdin!.end(`${ready}\n`);
      // A holding client never ends by itself: the result is the server's, or the client's failure.
      if (hold)
        return await Promise.race([
          serverLines.next().then((line) => JSON.parse(line) as ClientResult),
          nodeClient!.result,
        ]);
      return await nodeClient!.result;
    }
    const cArgs = [
      'client',
      c.transport,
      c.transport === 'tcp' ? `127.0.0.1:${ready}` : path,
      subject.kind.c,
      String(c.size),
      String(c.count),
      String(c.warmup),
      c.mode,
      String(c.budgetMs),
      String(c.rate),
    ];
    return await startClient(programs.c!, subject, cArgs).result;
  } finally {
    nodeClient?.child.kill('SIGKILL');
    if (profiled && 'node' in subject.kind) await endGracefully(server);
    // Ended and gone before the next case starts, even when its client failed before connecting
    // (a server left waiting in accept would spin beside the next case).
    await endPeer(server, SERVER_END_MS);
    rmSync(path, { force: true });
    for (const suffix of ['.rep', '.pull']) rmSync(path + suffix, { force: true });
    socketFiles.delete(path);
  }
}

/**
 * Lets a profiled server exit by itself (a one-connection server ends with its client; the
 * event-loop servers exit on SIGTERM), so that node writes its profile.
 */
function endGracefully(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, PROFILE_EXIT_MS);
    server.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    setTimeout(() => server.kill('SIGTERM'), 500).unref();
  });
}

/** The server's output lines in turn: `next()` resolves with the next one, or fails once the server has exited. */
function linesOf(server: ChildProcess): { next(): Promise<string> } {
  const queued: string[] = [];
  const waiting: { resolve(line: string): void; reject(error: Error): void }[] = [];
  let ended: Error | undefined;
  let seen = 0;
  createInterface({ input: server.stdout! }).on('line', (line) => {
    seen++;
    const waiter = waiting.shift();
    if (waiter === undefined) queued.push(line);
    else waiter.resolve(line);
  });
  // 'close' comes after the last of its output has been read, where 'exit' may come before.
  server.once('close', (code) => {
    ended = new Error(`server exited (${String(code)}) before ${seen === 0 ? 'it was ready' : 'its report'}`);
    for (const waiter of waiting.splice(0)) waiter.reject(ended);
  });
  return {
    next() {
      const line = queued.shift();
      if (line !== undefined) return Promise.resolve(line);
      if (ended !== undefined) return Promise.reject(ended);
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
  };
}

function startClient(
  command: string,
  subject: Subject,
  args: string[],
): { child: ChildProcess; result: Promise<ClientResult> } {
  const child = track(spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], env: peerEnv(subject) }));
  child.stdin!.on('error', () => undefined);
  const result = clientResult(child, CLIENT_LIMIT_MS);
  // Whoever awaits it later sees the failure; until then it must not count as unhandled.
  result.catch(() => undefined);
  return { child, result };
}
