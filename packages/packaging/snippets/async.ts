// A user who installed only @net/async (which brings @net/core): a service and a client on the
// loopback exchange 100 pings and pongs, every reply checked; the program then ends by itself.
import { Clt, jsonCodec, Svc } from '@net/async';

type Ping = { type: 'ping'; n: number };
type Pong = { type: 'pong'; n: number };
const ROUND_TRIPS = 100;

const svc = await Svc.bind<Pong, Ping>('127.0.0.1:0', { codec: jsonCodec<Pong, Ping>() });
const clt = await Clt.connect<Ping, Pong>({ port: svc.port }, { codec: jsonCodec<Ping, Pong>() });
const peer = await svc.accept({ timeout: 5_000 });
for (let n = 0; n < ROUND_TRIPS; n++) {
  clt.send({ type: 'ping', n });
  const ping = await peer.recv({ timeout: 5_000 });
  if (ping?.n !== n) throw new Error(`the service got ${JSON.stringify(ping)} for ping ${n}`);
  peer.send({ type: 'pong', n: ping.n });
  const pong = await clt.recv({ timeout: 5_000 });
  if (pong?.type !== 'pong' || pong.n !== n) throw new Error(`the client got ${JSON.stringify(pong)} for ping ${n}`);
}
await clt.close();
await svc.close();
console.log(JSON.stringify({ package: '@net/async', roundTrips: ROUND_TRIPS }));
