import { Clt } from '@net/async';
import { jsonCodec } from '@net/core';

/**
 * The client side of the two-host scenario, run inside the other network namespace: connects to
 * `--host`:`--port`, does `--round-trips` strict round trips, checks every echo, and prints one
 * JSON line: its connection id (which shows its own address), round trips done and problems.
 *
 *   ip netns exec NAME node dist/netns/ns-round-trips.js --host 10.0.0.1 --port 5000 [--round-trips 1000]
 */
type Msg = { readonly seq: number; readonly text: string };

const option = (name: string, fallback: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : fallback;
};
const host = option('host', '127.0.0.1');
const port = Number(option('port', '0'));
const roundTrips = Number(option('round-trips', '1000'));
const clt = await Clt.connect<Msg, Msg>({ host, port }, { codec: jsonCodec<Msg>(), timeout: 5_000 });
let done = 0;
let problems = 0;
for (let seq = 0; seq < roundTrips; seq++) {
  const text = `across ${seq}`;
  clt.send({ seq, text });
  const reply = await clt.recv({ timeout: 5_000 });
  if (reply?.seq === seq && reply.text === text) done++;
  else problems++;
}
const conId = String(clt.conId);
await clt.close();
console.log(JSON.stringify({ conId, done, problems }));
