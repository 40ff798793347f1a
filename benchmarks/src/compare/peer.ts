import { serve } from './peer-server.js';
import { runClient } from './peer-client.js';
import { type CodecName, type Mode, NODE_SUBJECTS, type NodeSubject, type Transport } from './protocol.js';

/**
 * One process of the comparison:
 *   peer server SUBJECT tcp|unix ADDRESS CODEC CONNECTIONS                  prints "ready ADDRESS"
 *   peer client SUBJECT tcp|unix ADDRESS pingpong|stream|rate SIZE COUNT WARMUP RATE CODEC CONNECTIONS
 *                                                                          prints one JSON line
 * SUBJECT is one of async, nonblocking, blocking, raw, zeromq.
 */
const [role, subjectText, transportText, address, ...rest] = process.argv.slice(2);
const subject = subjectText as NodeSubject;
if (!NODE_SUBJECTS.includes(subject)) throw new Error(`unknown subject ${String(subjectText)}`);
const transport = transportText as Transport;

if (role === 'server') {
  const [codec, connections] = rest;
  await serve(subject, transport, address!, (codec ?? 'bytes') as CodecName, Number(connections ?? 1));
} else {
  const [modeText, size, count, warmup, rate, codec, connections] = rest;
  const result = await runClient({
    subject,
    transport,
    address: address!,
    mode: modeText as Mode,
    size: Number(size),
    count: Number(count),
    warmup: Number(warmup),
    rate: Number(rate),
    codec: (codec ?? 'bytes') as CodecName,
    connections: Number(connections ?? 1),
  });
  console.log(JSON.stringify(result));
  process.exit(0);
}
