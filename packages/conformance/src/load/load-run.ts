import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Clt } from '@net/async';
import { jsonCodec } from '@net/core';
import { programArgs } from '../runtime-args.js';

/**
 * The load run: `clients` `@net/async` clients connected at once to one `@net/async` echo service
 * (in a child process), each doing `round-trips` strict round trips (send one, wait for its echo).
 * Every echo is checked against what was sent: a missing one (no echo within 30 s) is lost, an
 * earlier one again is a duplicate, a later one reordered; after its last round trip each client
 * sends a marker, and anything that arrives before the marker's echo is a duplicate too. Prints
 * one JSON line: the counts, and round-trip latency percentiles in microseconds.
 *
 *   node dist/load/load-run.js [--clients 1000] [--round-trips 1000]
 */
type Msg = { readonly c: number; readonly s: number };

const option = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const clients = option('clients', 1_000);
const roundTrips = option('round-trips', 1_000);
/** Connections opened at once while the clients connect (the service's backlog is 1,024). */
const CONNECT_BATCH = 100;
const REPLY_TIMEOUT_MS = 30_000;

interface Counts {
  done: number;
  lost: number;
  duplicated: number;
  reordered: number;
}

async function startService(): Promise<{ port: number; stop: () => Promise<void> }> {
  const script = fileURLToPath(new URL('./echo-service.js', import.meta.url));
  const child = spawn(process.execPath, programArgs(script, ['--max-connections', String(clients + 10)]), {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const [line] = (await once(child.stdout, 'data')) as [Buffer];
  const { port } = JSON.parse(line.toString().trim().split('\n')[0]) as { port: number };
  const exited = once(child, 'exit');
  return {
    port,
    stop: async () => {
      child.stdin.end();
      await exited;
    },
  };
}

/** One client's round trips; latencies go into `latencies` from `offset`. */
async function runClient(
  clt: Clt<Msg, Msg>,
  c: number,
  latencies: Float64Array,
  offset: number,
  counts: Counts,
): Promise<void> {
  for (let s = 0; s < roundTrips; s++) {
    const started = performance.now();
    clt.send({ c, s });
    let reply: Msg | undefined;
    try {
      reply = await clt.recv({ timeout: REPLY_TIMEOUT_MS });
    } catch {
      counts.lost += roundTrips - s;
      return;
    }
    latencies[offset + s] = performance.now() - started;
    if (reply === undefined || reply.c !== c) {
      counts.lost += roundTrips - s;
      return;
    }
    if (reply.s < s) counts.duplicated++;
    else if (reply.s > s) counts.reordered++;
    else counts.done++;
  }
  clt.send({ c, s: -1 });
  for (let extra = 0; extra <= roundTrips; extra++) {
    const reply = await clt.recv({ timeout: REPLY_TIMEOUT_MS }).catch(() => undefined);
    if (reply === undefined) {
      counts.lost++;
      return;
    }
    if (reply.s === -1) return;
    counts.duplicated++;
  }
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

async function main(): Promise<void> {
  const service = await startService();
  const connections: Clt<Msg, Msg>[] = [];
  const connectStarted = performance.now();
  for (let i = 0; i < clients; i += CONNECT_BATCH) {
    const batch = Array.from({ length: Math.min(CONNECT_BATCH, clients - i) }, () =>
      Clt.connect<Msg, Msg>({ host: '127.0.0.1', port: service.port }, { codec: jsonCodec<Msg>(), timeout: 20_000 }),
    );
    connections.push(...(await Promise.all(batch)));
  }
  const connectSeconds = (performance.now() - connectStarted) / 1000;
  const latencies = new Float64Array(clients * roundTrips);
  const counts: Counts = { done: 0, lost: 0, duplicated: 0, reordered: 0 };
  const started = performance.now();
  await Promise.all(connections.map((clt, c) => runClient(clt, c, latencies, c * roundTrips, counts)));
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(connections.map((clt) => clt.close()));
  await service.stop();
  const measured = latencies
    .subarray(0, latencies.length)
    .filter((v) => v > 0)
    .sort();
  const us = (p: number) => Math.round(percentile(measured, p) * 1000);
  console.log(
    JSON.stringify({
      clients,
      roundTrips,
      expected: clients * roundTrips,
      ...counts,
      seconds: Number(seconds.toFixed(1)),
      connectSeconds: Number(connectSeconds.toFixed(1)),
      roundTripsPerSecond: Math.round(counts.done / seconds),
      p50us: us(0.5),
      p99us: us(0.99),
      p999us: us(0.999),
      maxUs: Math.round(measured[measured.length - 1] * 1000),
    }),
  );
}

await main();
