// Binds a service on two threads, has two clients echo 100 messages each through it, closes
// everything, and must then exit on its own. Prints how many replies came.
import { Clt, jsonCodec, SvcThreads } from '../../dist/index.js';

const svc = await SvcThreads.bind('127.0.0.1:0', {
  threads: 2,
  handler: new URL('./echo-handler.mjs', import.meta.url),
});
const clts = [0, 1].map(() => Clt.connect({ port: svc.port }, { codec: jsonCodec() }));
let got = 0;
for (const clt of clts) {
  for (let n = 0; n < 100; n++) {
    clt.sendBusywait({ n });
    const reply = clt.recvBusywaitTimeout(10_000);
    if (reply?.n !== n) throw new Error(`got ${JSON.stringify(reply)} for ${n}`);
    got++;
  }
}
for (const clt of clts) clt.close();
svc.close();
console.log(`replies ${got}`);
