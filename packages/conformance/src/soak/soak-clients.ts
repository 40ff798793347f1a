import { Clt } from '@net/async';
import { jsonCodec } from '@net/core';

/**
 * The load of the synchronous soak, in a process of its own: `clients` `@net/async` clients doing
 * strict round trips against the service at `--port`, one closed and replaced about every
 * `churn-ms` (connections churning), until standard input closes. Then it prints one JSON line:
 * round trips, connections made, and replies that were lost, duplicated or reordered.
 *
 *   node dist/soak/soak-clients.js --port 5000 [--clients 20] [--churn-ms 50]
 */
type Msg = { readonly seq: number; readonly text: string };

const option = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const port = option('port', 0);
const clients = option('clients', 20);
const churnMs = option('churn-ms', 50);
const text = 'soak'.repeat(16);
let stopping = false;
let roundTrips = 0;
let connections = 0;
let problems = 0;
let failures = 0;

async function runClient(): Promise<void> {
  const clt = await Clt.connect<Msg, Msg>({ host: '127.0.0.1', port }, { codec: jsonCodec<Msg>(), timeout: 10_000 });
  connections++;
  let retire = false;
  const timer = setTimeout(() => (retire = true), churnMs * clients);
  try {
    for (let seq = 0; !stopping && !retire; seq++) {
      clt.send({ seq, text });
      const reply = await clt.recv({ timeout: 10_000 });
      if (reply?.seq !== seq || reply.text !== text) problems++;
      roundTrips++;
    }
  } finally {
    clearTimeout(timer);
    await clt.close();
  }
}

// Each slot runs clients one after another; staggered lifetimes make one close and one open
// about every churnMs.
const slots = Array.from({ length: clients }, async (_, slot) => {
  await new Promise((resolve) => setTimeout(resolve, slot * churnMs));
  while (!stopping) {
    try {
      await runClient();
    } catch {
      failures++;
      if (failures > 100) return;
    }
  }
});
process.stdin.resume();
// 'end', not 'close': Deno ends its standard input without closing it.
process.stdin.once('end', () => (stopping = true));
await Promise.all(slots);
console.log(JSON.stringify({ roundTrips, connections, problems, failures }));
