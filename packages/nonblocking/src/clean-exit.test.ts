import { spawn } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));

// A program that uses the flavour and closes what it opened must end by itself: the broker thread,
// the timer and the watched descriptors may not keep the process alive. The program never calls
// process.exit; it imports the built package by its own name, and runs as `--input-type=module -e`,
// a flag that a worker inheriting the program's flags could not start with.
const program = `
import { Clt, Svc, jsonCodec } from '@net/nonblocking';
const codec = () => jsonCodec();
const heartbeats = { heartbeatInterval: 20, peerSilenceIntervals: 0, sendHeartbeat: (s) => s.send({ n: -1 }) };
const svc = Svc.bind('127.0.0.1:0', { codec: codec() });
const clt = Clt.connect({ port: svc.port }, { codec: codec(), protocol: heartbeats });
const peer = svc.acceptBusywaitTimeout(5000);
const { sender, receiver } = clt.split();
sender.sendBusywait({ n: 1 });
let got = peer.recvBusywaitTimeout(5000);
while (got.n === -1) got = peer.recvBusywaitTimeout(5000);
peer.sendBusywait({ n: got.n + 1 });
console.log(JSON.stringify(receiver.recvBusywaitTimeout(5000)));
sender.close();
receiver.close();
peer.close();
svc.close();
`;

it('a program that closes what it opened exits by itself, with no stray thread or timer keeping it alive', async () => {
  const child = spawn(process.execPath, ['--input-type=module', '-e', program], { cwd: packageDir, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const guard = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once('exit', (c, s) => resolve([c, s])));
  clearTimeout(guard);
  expect(signal, `the program was still running after 20 s: ${err}`).toBeNull();
  expect(code, err).toBe(0);
  expect(JSON.parse(out.trim())).toEqual({ n: 2 });
});
