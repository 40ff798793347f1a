// Starts a poller thread, has it read one connection, consumes what comes through its inbox, and
// then either closes everything (argument `close`) or leaves the poller running (`leave`): either
// way the process must exit on its own. Prints the count it consumed.
import { Clt, InboxReceiver, jsonCodec, PollerThread, Svc } from '../../dist/index.js';

const mode = process.argv[process.argv.length - 1];
const codec = () => jsonCodec();
const svc = Svc.bind('127.0.0.1:0', { codec: codec() });
const clt = Clt.connect({ port: svc.port }, { codec: codec() });
const peer = svc.acceptBusywaitTimeout(10_000);
const poller = PollerThread.start();
const inbox = InboxReceiver.attach(poller.add(clt.split().receiver, { framer: codec().framer }), { codec: codec() });
for (let n = 0; n < 100; n++) peer.sendBusywait({ n });
let got = 0;
while (got < 100) {
  const message = inbox.recvBusywaitTimeout(10_000);
  if (message?.n !== got) throw new Error(`got ${JSON.stringify(message)} for ${got}`);
  got++;
}
if (mode === 'close') {
  poller.close();
  inbox.close();
  peer.close();
  clt.close();
  svc.close();
}
console.log(`consumed ${got}`);
