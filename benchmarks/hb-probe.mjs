// probe: watches per round trip with heartbeats on (Node 20 broker path)
import { SocketBroker } from '@net/sync/internal';
import * as blocking from '@net/blocking';
import { bytesCodec } from '@net/core';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
const counts = { watch: 0, unwatch: 0, setBlocking: 0 };
for (const k of Object.keys(counts)) {
  const orig = SocketBroker.prototype[k];
  SocketBroker.prototype[k] = function (...a) { counts[k]++; return orig.apply(this, a); };
}
const server = spawn(process.execPath, ['dist/compare/peer.js', 'server', 'blocking-heartbeats', 'tcp', '127.0.0.1:0', 'bytes', '1'], { stdio: ['ignore', 'pipe', 'inherit'] });
let port;
for await (const line of createInterface({ input: server.stdout })) { port = Number(line.split(' ')[1]); break; }
const beat = new Uint8Array([72]);
const clt = blocking.Clt.connect({ host: '127.0.0.1', port }, { codec: bytesCodec(), protocol: { heartbeatInterval: 1000, sendHeartbeat: (s) => s.send(beat) } });
const msg = new Uint8Array(128); msg[0] = 0x50;
const N = Number(process.argv[2] ?? 200000);
for (let i = 0; i < 20000; i++) { clt.send(msg); clt.recv(); }
for (const k of Object.keys(counts)) counts[k] = 0;
const before = process.memoryUsage().heapUsed; const t0 = performance.now(); const c0 = process.cpuUsage();
for (let i = 0; i < N; i++) { clt.send(msg); clt.recv(); }
const t1 = performance.now(); const c1 = process.cpuUsage(c0);
console.log(JSON.stringify({ N, usPerRT: ((t1 - t0) * 1000 / N).toFixed(2), cpuUs: ((c1.user + c1.system) / N).toFixed(2), ...counts }));
clt.close(); server.kill();
