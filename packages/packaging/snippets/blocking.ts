// A user who installed only @net/blocking (which brings @net/core): a service and a client in one
// thread exchange 100 round trips. This cannot deadlock: on loopback a small send lands in the
// peer's receive buffer before it returns, so each recv below finds its message waiting (the
// package's own tests ping-pong the same way). The program then ends by itself.
import { Clt, END_OF_STREAM, jsonCodec, Svc } from '@net/blocking';

type Msg = { n: number };
const ROUND_TRIPS = 100;

const svc = Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: jsonCodec<Msg>() });
const clt = Clt.connect<Msg, Msg>({ port: svc.port }, { codec: jsonCodec<Msg>() });
const peer = svc.accept({ timeout: 5_000 });
for (let n = 0; n < ROUND_TRIPS; n++) {
  clt.send({ n });
  const got = peer.recv({ timeout: 5_000 });
  if (got?.n !== n) throw new Error(`the service got ${JSON.stringify(got)} for ${n}`);
  peer.send({ n: got.n * 2 });
  const back = clt.recv({ timeout: 5_000 });
  if (back?.n !== n * 2) throw new Error(`the client got ${JSON.stringify(back)} for ${n}`);
}
clt.close();
if (peer.recv({ timeout: 5_000 }) !== END_OF_STREAM) throw new Error('the service did not see the client close');
peer.close();
svc.close();
console.log(JSON.stringify({ package: '@net/blocking', roundTrips: ROUND_TRIPS }));
