// A user who installed only @net/nonblocking (which brings @net/core): a service and a client in
// one thread exchange 100 round trips. No call parks, so one thread can drive both ends, busy-
// waiting each in turn; the program then ends by itself.
import { Clt, END_OF_STREAM, jsonCodec, REJECTED, Svc, WOULD_BLOCK } from '@net/nonblocking';

type Msg = { n: number };
const ROUND_TRIPS = 100;
const show = (value: unknown): string => (typeof value === 'symbol' ? String(value) : JSON.stringify(value));

const svc = Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: jsonCodec<Msg>() });
const clt = Clt.connect<Msg, Msg>({ port: svc.port }, { codec: jsonCodec<Msg>() });
const WAIT = { timeout: 5_000 };
const peer = svc.accept(WAIT);
if (peer === WOULD_BLOCK || peer === REJECTED) throw new Error(`the service did not accept: ${String(peer)}`);
for (let n = 0; n < ROUND_TRIPS; n++) {
  clt.send({ n }, WAIT);
  const got = peer.recv(WAIT);
  if (got === END_OF_STREAM || got === WOULD_BLOCK || got.n !== n)
    throw new Error(`the service got ${show(got)} for ${n}`);
  peer.send({ n: got.n + 1 }, WAIT);
  const back = clt.recv(WAIT);
  if (back === END_OF_STREAM || back === WOULD_BLOCK || back.n !== n + 1)
    throw new Error(`the client got ${show(back)} for ${n}`);
}
clt.close();
if (peer.recv(WAIT) !== END_OF_STREAM) throw new Error('the service did not see the client close');
peer.close();
svc.close();
console.log(JSON.stringify({ package: '@net/nonblocking', roundTrips: ROUND_TRIPS }));
