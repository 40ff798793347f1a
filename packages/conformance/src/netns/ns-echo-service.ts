import { Svc } from '@net/async';
import { type ConId, jsonCodec } from '@net/core';

/**
 * The service side of the two-host scenario, run inside a network namespace: an `@net/async`
 * echo service bound to `--host` (the namespace's own address). It prints its port as one JSON
 * line and exits when its standard input closes.
 *
 *   ip netns exec NAME node dist/netns/ns-echo-service.js --host 10.0.0.1
 */
type Msg = { readonly seq: number; readonly text: string };

const at = process.argv.indexOf('--host');
const host = at >= 0 ? process.argv[at + 1] : '127.0.0.1';
let echo: (message: Msg, conId: ConId) => void = () => undefined;
const svc = await Svc.bind<Msg, Msg>(`${host}:0`, {
  codec: jsonCodec<Msg>(),
  autoPool: true,
  onMessage: (message, conId) => echo(message, conId),
});
echo = (message, conId) => void svc.sendTo(conId, message);
console.log(JSON.stringify({ port: svc.port, address: String(svc.conId) }));
process.stdin.resume();
// 'end', not 'close': Deno ends its standard input without closing it.
process.stdin.once('end', () => void svc.close().then(() => process.exit(0)));
