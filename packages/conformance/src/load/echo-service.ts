import { Svc } from '@net/async';
import { type ConId, jsonCodec } from '@net/core';

/**
 * The service of the load run, in a process of its own (the clients get the other core): one
 * `@net/async` service that echoes every message back to the connection it came from. It prints
 * its port as one JSON line and exits when its standard input closes (its parent is gone).
 *
 *   node dist/load/echo-service.js [--max-connections 2000]
 */
type Msg = { readonly c: number; readonly s: number };

const at = process.argv.indexOf('--max-connections');
const maxConnections = at >= 0 ? Number(process.argv[at + 1]) : 2_000;
let echo: (message: Msg, conId: ConId) => void = () => undefined;
const svc = await Svc.bind<Msg, Msg>('127.0.0.1:0', {
  codec: jsonCodec<Msg>(),
  autoPool: true,
  maxConnections,
  backlog: 1_024,
  onMessage: (message, conId) => echo(message, conId),
});
echo = (message, conId) => void svc.sendTo(conId, message);
console.log(JSON.stringify({ port: svc.port }));
process.stdin.resume();
process.stdin.once('end', () => void svc.close().then(() => process.exit(0)));
