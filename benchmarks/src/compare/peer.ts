import { createInterface } from 'node:readline';
import { serve } from './peer-server.js';
import { runClient } from './peer-client.js';
import { type CodecName, type Mode, NODE_SUBJECTS, type NodeSubject, type Transport } from './protocol.js';

/**
 * One process of the comparison:
 *   peer server SUBJECT tcp|unix ADDRESS CODEC CONNECTIONS [hold]           prints "ready ADDRESS"
 *   peer client SUBJECT tcp|unix ADDRESS pingpong|stream|rate|hold SIZE COUNT WARMUP RATE CODEC CONNECTIONS BUDGET_MS IDLE
 *                                                                          prints one JSON line
 * SUBJECT is one of {@link NODE_SUBJECTS}. A server told `hold` prints a second line, its memory
 * growth per connection, once it holds CONNECTIONS of them; a `hold` client opens COUNT idle
 * connections and keeps them until it is ended. A client given `-` as its ADDRESS
 * reads it from its first line of input: the harness starts it beside the server, so that both
 * load at once and the server's accept does not spin through the client's start-up.
 */
const [role, subjectText, transportText, address, ...rest] = process.argv.slice(2);
const subject = subjectText as NodeSubject;
if (!NODE_SUBJECTS.includes(subject)) throw new Error(`unknown subject ${String(subjectText)}`);
const transport = transportText as Transport;

if (role === 'server') {
  // A SIGTERM ends the process through exit, which writes a CPU profile when one is being taken.
  process.once('SIGTERM', () => process.exit(0));
  const [codec, connections, hold] = rest;
  await serve(subject, transport, address, (codec ?? 'bytes') as CodecName, Number(connections ?? 1), hold === 'hold');
} else {
  const [modeText, size, count, warmup, rate, codec, connections, budgetMs, idle] = rest;
  const result = await runClient({
    subject,
    transport,
    address: address === '-' ? await firstLine() : address,
    mode: modeText as Mode,
    size: Number(size),
    count: Number(count),
    warmup: Number(warmup),
    rate: Number(rate),
    codec: (codec ?? 'bytes') as CodecName,
    connections: Number(connections ?? 1),
    budgetMs: Number(budgetMs ?? Infinity),
    idle: Number(idle ?? 0),
  });
  console.log(JSON.stringify(result));
  process.exit(0);
}

async function firstLine(): Promise<string> {
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    lines.close();
    process.stdin.destroy();
    return line.trim();
  }
  throw new Error('no address on the first line of input');
}
