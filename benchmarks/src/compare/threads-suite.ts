import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Case, Depth } from './cases.js';
import type { ClientResult } from './protocol.js';
import type { Results } from './results.js';
import type { RoundTripWay } from './threads-roundtrip.js';
import type { PARKED_SAME_THREAD_WAY } from './threads-roundtrip-parked.js';
import type { StreamWay } from './threads-stream.js';
import { clientResult } from './client-failure.js';
import { attemptRow } from './row-attempts.js';
import { runServiceRows, serviceCase } from './threads-svc-rows.js';

/** One row of the threads suite: a way of reading one connection, with or without another thread. */
export interface ThreadRow {
  /** The name in tables, goals and the results file. */
  readonly name: string;
  readonly mode: 'pingpong' | 'stream';
  readonly way: RoundTripWay | typeof PARKED_SAME_THREAD_WAY | StreamWay;
}

/** Round trips of one client on its own thread. */
export const SAME_THREAD = '@net/nonblocking, same thread';
/** Round trips of one client on its own thread, parked in its receive: one wake-up per reply. */
export const SAME_THREAD_PARKED = '@net/blocking, same thread, parked';
/** Round trips whose replies a worker receives spinning, handing each over through an `Int32Array`. */
export const WORKER_SPIN = '@net/nonblocking, receiver on a worker, spinning';
/** The same with the worker parked in `@net/blocking`'s receive and the sender in `Atomics.wait`. */
export const WORKER_PARK = '@net/nonblocking, receiver on a worker, parked';
/** A stream read by a `PollerThread` into an inbox taken spinning by `@net/nonblocking`. */
export const POLLER_THREAD = 'PollerThread into an inbox';
/** The same inbox awaited by `@net/async`'s `InboxReceiver` on the event loop. */
export const POLLER_THREAD_ASYNC = 'PollerThread into an inbox, @net/async consumer';
/** A stream read by the consuming thread's own `Poller`. */
export const SAME_THREAD_POLLER = '@net/nonblocking Poller, same thread';
/** A stream read by an `@net/async` client on its own socket. */
export const ASYNC_SOCKET = '@net/async client, its own socket';
/** A stream read by a worker owning a `node:net` socket, each frame posted to the consumer. */
export const POSTMESSAGE_RELAY = 'node:net on a worker, postMessage relay';

/**
 * The rows, in table order: round trips of one client with the reply taken on its own thread
 * (spinning, or parked in `@net/blocking`'s receive) or on a worker that adopted its receiver (the arrival handed back through an `Int32Array`,
 * spinning or parked); and a stream a peer writes, read by a `PollerThread` into an inbox (taken
 * spinning, or awaited by `@net/async`'s `InboxReceiver`), by the same thread's `Poller`, by an
 * `@net/async` client on its own socket, or by a worker owning a `node:net` socket that posts
 * each frame.
 */
export const THREAD_ROWS: readonly ThreadRow[] = [
  { name: SAME_THREAD, mode: 'pingpong', way: 'same-thread' },
  { name: SAME_THREAD_PARKED, mode: 'pingpong', way: 'blocking-same-thread' },
  { name: WORKER_SPIN, mode: 'pingpong', way: 'worker-spin' },
  { name: WORKER_PARK, mode: 'pingpong', way: 'worker-park' },
  { name: POLLER_THREAD, mode: 'stream', way: 'poller-thread' },
  { name: POLLER_THREAD_ASYNC, mode: 'stream', way: 'poller-thread-async' },
  { name: SAME_THREAD_POLLER, mode: 'stream', way: 'same-thread-poller' },
  { name: ASYNC_SOCKET, mode: 'stream', way: 'async-socket' },
  { name: POSTMESSAGE_RELAY, mode: 'stream', way: 'postmessage-relay' },
];

/**
 * The suite's cases: 128-byte round trips over TCP, a 128-byte stream into the client, and a
 * service across threads under many connections (`threads-svc-rows.ts`).
 */
export function threadCases(depth: Depth, budgetMs: number): Case[] {
  const scale = depth === 'quick' ? 0.02 : depth === 'full' ? 3 : 1;
  const n = (count: number) => Math.max(50, Math.round(count * scale));
  const base = {
    suite: 'threads',
    transport: 'tcp',
    size: 128,
    rate: 0,
    codec: 'bytes',
    connections: 1,
    idle: 0,
  } as const;
  return [
    { ...base, mode: 'pingpong', count: n(20_000), warmup: n(2_000), budgetMs },
    { ...base, mode: 'stream', count: n(500_000), warmup: n(50_000), budgetMs },
    serviceCase(depth, budgetMs),
  ];
}

/** Where the programs are: the comparison's peer (its echo server) and the threads suite's own. */
export interface ThreadPrograms {
  readonly runtime: string;
  readonly peer: string;
  readonly rows: string;
}

/** A row's client gets this long before it is called hung. */
const ROW_LIMIT_MS = 180_000;

/**
 * Runs every row of the suite on its case, each in processes of its own: the server (the
 * comparison's `@net/blocking` echo server, or the stream's source) and the client. Progress
 * goes to stderr; the figures into `results`.
 */
export async function runThreadsSuite(
  cases: readonly Case[],
  programs: ThreadPrograms,
  results: Results,
): Promise<void> {
  for (const c of cases) {
    if (c.connections > 1) {
      await runServiceRows(c, programs.runtime, results);
      continue;
    }
    for (const row of THREAD_ROWS.filter((r) => r.mode === c.mode)) {
      const label = `threads ${c.mode === 'stream' ? 'stream' : 'round trips'}: ${row.name}`;
      await attemptRow(results, row.name, label, async () => {
        results.add(row.name, c, await runRow(row, c, programs), c.count);
        return 'done';
      });
    }
  }
}

async function runRow(row: ThreadRow, c: Case, programs: ThreadPrograms): Promise<ClientResult> {
  const serverArgs =
    c.mode === 'stream'
      ? [programs.rows, 'source', String(c.size), String(c.count + c.warmup)]
      : // The echo server parks in poll(2) at once (no spin before it), the same for every row: a
        // server that spins, even only the default 50 µs before it parks, takes a core from the
        // rows that spin on both of the client's threads and spares the parked rows a wake-up.
        [programs.peer, 'server', 'blocking-park', 'tcp', '127.0.0.1:0', 'bytes', '1'];
  const server = spawn(programs.runtime, serverArgs, { stdio: ['ignore', 'pipe', 'ignore'] });
  let client: ChildProcess | undefined;
  try {
    const port = await readyPort(server);
    const counts = c.mode === 'stream' ? [] : [String(c.size)];
    const args = [programs.rows, c.mode === 'stream' ? 'stream' : 'roundtrip', row.way, port, ...counts];
    client = spawn(programs.runtime, [...args, String(c.count), String(c.warmup), String(c.budgetMs)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return await clientResult(client, ROW_LIMIT_MS);
  } finally {
    client?.kill('SIGKILL');
    server.kill('SIGKILL');
  }
}

/** The port in the server's first line, `ready PORT`. */
async function readyPort(server: ChildProcess): Promise<string> {
  for await (const line of createInterface({ input: server.stdout! })) {
    const [word, port] = String(line).split(' ');
    if (word === 'ready' && port !== undefined) return port;
  }
  throw new Error('the server exited before it was ready');
}
