import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as blocking from '@net/blocking';
import { type ConId, jsonCodec } from '@net/core';
import { REJECTED, WOULD_BLOCK } from '@net/sync';
import { socketBroker } from '@net/sync/internal';
import * as nonblocking from '@net/nonblocking';
import { programArgs } from '../runtime-args.js';

/**
 * The soak of a synchronous service: one `@net/nonblocking` or `@net/blocking` echo service on
 * this process's main thread, serving its pool in its own loop (accept, receive, send back), under
 * churning connections from `soak-clients.js` in a child process, for `seconds`. Every second the
 * loop samples its heap (after a full GC: run with `--expose-gc`), RSS and the open descriptor
 * count; at the end it prints one JSON line with the samples and the clients' report.
 *
 *   node --expose-gc dist/soak/sync-soak-run.js --flavour blocking [--seconds 600] [--clients 20] [--churn-ms 50]
 */
type Msg = { readonly seq: number; readonly text: string };

interface Sample {
  readonly at: number;
  readonly heap: number;
  readonly rss: number;
  readonly fds: number;
  /** Reserved by V8 for this thread's heap, and memory outside it (Buffers) that it accounts for. */
  readonly heapTotal: number;
  readonly external: number;
  /** The broker thread's heap after a full GC of its own, and what V8 reserves for it. */
  readonly brokerHeap: number;
  readonly brokerHeapTotal: number;
  /** Sockets the broker thread holds, lingering ones included. */
  readonly brokerSockets: number;
}

/** One turn of a service's loop: what it found, and a way to answer. */
interface EchoService {
  readonly port: number;
  readonly size: number;
  readonly rejectedCount: number;
  acceptAll(): void;
  /** The next message of any pooled connection, waiting a moment at most. */
  next(): { conId: ConId; message: Msg } | undefined;
  reply(conId: ConId, message: Msg): void;
  close(): void;
}

const option = (name: string, fallback: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : fallback;
};
const flavour = option('flavour', 'nonblocking');
const seconds = Number(option('seconds', '600'));
const clients = Number(option('clients', '20'));
const churnMs = Number(option('churn-ms', '50'));
const gc = (globalThis as { gc?: () => void }).gc;

/** What differs between the flavours' services in the loop: how to accept, receive and answer. */
interface FlavourCalls {
  /** One accept into the pool that waits for nothing: a `ConId`, `WOULD_BLOCK` or `REJECTED`. */
  tryAccept(): unknown;
  /** The next message of any pooled connection within 2 ms, or `WOULD_BLOCK`. */
  recvFrom(): { conId: ConId; message: Msg } | typeof WOULD_BLOCK;
  reply(conId: ConId, message: Msg): void;
}

/** The loop's view of a synchronous service (`svc`), whichever its flavour. */
function echoService(
  svc: { readonly port: number; readonly size: number; readonly rejectedCount: number; close(): void },
  calls: FlavourCalls,
): EchoService {
  return {
    port: svc.port,
    get size() {
      return svc.size;
    },
    get rejectedCount() {
      return svc.rejectedCount;
    },
    acceptAll() {
      for (let r = calls.tryAccept(); r !== WOULD_BLOCK && r !== REJECTED; r = calls.tryAccept());
    },
    next() {
      const found = calls.recvFrom();
      return found === WOULD_BLOCK ? undefined : found;
    },
    reply: calls.reply,
    close: () => svc.close(),
  };
}

function nonblockingService(): EchoService {
  // spin-park: the waits between messages park for moments, leaving the other core to the clients.
  const svc = nonblocking.Svc.bind<Msg, Msg>('127.0.0.1:0', {
    codec: jsonCodec<Msg>(),
    maxConnections: clients * 2,
    idleStrategy: 'spin-park',
  });
  return echoService(svc, {
    tryAccept: () => svc.acceptIntoPool(),
    recvFrom: () => svc.recvFrom({ timeout: 2 }),
    reply: (conId, message) => void svc.sendTo(conId, message, { timeout: Infinity }),
  });
}

function blockingService(): EchoService {
  const svc = blocking.Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: jsonCodec<Msg>(), maxConnections: clients * 2 });
  return echoService(svc, {
    tryAccept: () => svc.tryAcceptIntoPool(),
    recvFrom: () => svc.tryRecvFrom({ timeout: 2 }),
    reply: (conId, message) => svc.sendTo(conId, message),
  });
}

function sample(started: number): Sample {
  gc?.();
  const memory = process.memoryUsage();
  const broker = socketBroker().stats({ collect: true });
  return {
    at: (performance.now() - started) / 1000,
    heap: memory.heapUsed,
    rss: memory.rss,
    fds: readdirSync('/proc/self/fd').length,
    heapTotal: memory.heapTotal,
    external: memory.external,
    brokerHeap: broker.heapUsed,
    brokerHeapTotal: broker.heapTotal,
    brokerSockets: broker.sockets,
  };
}

async function main(): Promise<void> {
  const svc = flavour === 'blocking' ? blockingService() : nonblockingService();
  const script = fileURLToPath(new URL('./soak-clients.js', import.meta.url));
  const load = spawn(
    process.execPath,
    programArgs(script, ['--port', String(svc.port), '--clients', String(clients), '--churn-ms', String(churnMs)]),
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  let report = '';
  load.stdout.on('data', (chunk: Buffer) => (report += chunk.toString()));
  const exited = once(load, 'exit');
  const samples: Sample[] = [];
  const started = performance.now();
  const end = started + seconds * 1_000;
  let nextSample = started + 1_000;
  let replyErrors = 0;
  // The service's own loop: the thread is the service's, as it would be in an application.
  for (let now = performance.now(); now < end; now = performance.now()) {
    if (now >= nextSample) {
      samples.push(sample(started));
      nextSample += 1_000;
    }
    svc.acceptAll();
    for (let i = 0; i < 256; i++) {
      const found = svc.next();
      if (found === undefined) break;
      try {
        svc.reply(found.conId, found.message);
      } catch {
        replyErrors++; // the client closed between its message and the reply (churn)
      }
    }
  }
  // Stop the load while serving it, so that clients waiting for a reply get it and end.
  load.stdin.end();
  let done = false;
  void exited.then(() => (done = true));
  while (!done) {
    svc.acceptAll();
    const found = svc.next();
    if (found !== undefined) {
      try {
        svc.reply(found.conId, found.message);
      } catch {
        replyErrors++;
      }
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  svc.close();
  const clientsReport = JSON.parse(report.trim().split('\n').pop() ?? '{}') as object;
  console.log(
    JSON.stringify({
      flavour,
      seconds,
      clients,
      churnMs,
      ...clientsReport,
      replyErrors,
      rejected: svc.rejectedCount,
      samples,
    }),
  );
}

await main();
