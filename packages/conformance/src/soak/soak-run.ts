import { readdirSync } from 'node:fs';
import { Clt, Svc } from '@net/async';
import { type ConId, jsonCodec } from '@net/core';

/**
 * The soak: one async service under steady load from `clients` connections doing strict round
 * trips, one of them closed and replaced every `churnMs` (connections churning), for `seconds`.
 * Every second it samples heap (after a full GC: run with `--expose-gc`), RSS and the open
 * descriptor count; it prints one JSON line: the samples, the round trips, and any lost,
 * duplicated or reordered reply.
 *
 *   node --expose-gc dist/soak/soak-run.js [--seconds 600] [--clients 50] [--churn-ms 100]
 */
interface Sample {
  readonly at: number;
  readonly heap: number;
  readonly rss: number;
  readonly fds: number;
}

type Msg = { readonly seq: number; readonly text: string };

const option = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const seconds = option('seconds', 600);
const clients = option('clients', 50);
const churnMs = option('churn-ms', 100);
const gc = (globalThis as { gc?: () => void }).gc;

function sample(started: number): Sample {
  gc?.();
  return {
    at: (performance.now() - started) / 1000,
    heap: process.memoryUsage().heapUsed,
    rss: process.memoryUsage.rss(),
    fds: readdirSync('/proc/self/fd').length,
  };
}

async function main(): Promise<void> {
  let echo: (message: Msg, conId: ConId) => void = () => undefined;
  const svc = await Svc.bind<Msg, Msg>('127.0.0.1:0', {
    codec: jsonCodec<Msg>(),
    autoPool: true,
    maxConnections: clients * 2,
    onMessage: (message, conId) => echo(message, conId),
  });
  echo = (message, conId) => void svc.sendTo(conId, message);
  let stopping = false;
  let roundTrips = 0;
  let problems = 0;
  let connections = 0;
  const text = 'soak'.repeat(16);
  const runClient = async (): Promise<void> => {
    const clt = await Clt.connect<Msg, Msg>({ port: svc.port }, { codec: jsonCodec<Msg>(), timeout: 10_000 });
    connections++;
    let retire = false;
    const timer = setTimeout(() => (retire = true), churnMs * clients);
    for (let seq = 0; !stopping && !retire; seq++) {
      clt.send({ seq, text });
      const reply = await clt.recv({ timeout: 10_000 });
      if (reply?.seq !== seq || reply.text !== text) problems++;
      roundTrips++;
    }
    clearTimeout(timer);
    await clt.close();
  };
  // Each slot runs clients one after another; staggered lifetimes make one close and one open
  // about every churnMs.
  const slots = Array.from({ length: clients }, async (_, slot) => {
    await new Promise((resolve) => setTimeout(resolve, slot * churnMs));
    while (!stopping) await runClient();
  });
  const started = performance.now();
  const samples: Sample[] = [];
  const sampler = setInterval(() => samples.push(sample(started)), 1_000);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1_000));
  stopping = true;
  clearInterval(sampler);
  await Promise.all(slots);
  await svc.close();
  console.log(JSON.stringify({ seconds, clients, churnMs, roundTrips, connections, problems, samples }));
}

await main();
