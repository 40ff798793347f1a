import { spawn } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { moduleCodeArgs } from './runtime-args.js';

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));

// A program that uses a synchronous flavour and closes what it opened must end by itself: the
// broker thread, the timer and watched descriptors may not keep the process alive. Each program
// never calls process.exit, runs as `--input-type=module -e` (a flag that a worker inheriting the
// program's flags could not start with), uses heartbeats and split halves, and prints the reply.
const heartbeats = `const heartbeats = { heartbeatInterval: 20, peerSilenceIntervals: 0, sendHeartbeat: (s) => s.send({ n: -1 }) };`;
const programs = {
  blocking: `
import { Clt, Svc, jsonCodec } from '@net/blocking';
${heartbeats}
const svc = Svc.bind('127.0.0.1:0', { codec: jsonCodec() });
const clt = Clt.connect({ port: svc.port }, { codec: jsonCodec(), protocol: heartbeats });
const peer = svc.accept({ timeout: 5000 });
const { sender, receiver } = clt.split();
sender.send({ n: 1 });
let got = peer.recv({ timeout: 5000 });
while (got.n === -1) got = peer.recv({ timeout: 5000 });
peer.send({ n: got.n + 1 });
console.log(JSON.stringify(receiver.recv({ timeout: 5000 })));
sender.close(); receiver.close(); peer.close(); svc.close();
`,
  nonblocking: `
import { Clt, Svc, jsonCodec } from '@net/nonblocking';
${heartbeats}
const svc = Svc.bind('127.0.0.1:0', { codec: jsonCodec() });
const clt = Clt.connect({ port: svc.port }, { codec: jsonCodec(), protocol: heartbeats });
const peer = svc.acceptBusywaitTimeout(5000);
const { sender, receiver } = clt.split();
sender.sendBusywait({ n: 1 });
let got = peer.recvBusywaitTimeout(5000);
while (got.n === -1) got = peer.recvBusywaitTimeout(5000);
peer.sendBusywait({ n: got.n + 1 });
console.log(JSON.stringify(receiver.recvBusywaitTimeout(5000)));
sender.close(); receiver.close(); peer.close(); svc.close();
`,
};

describe('synchronous flavours end cleanly', () => {
  for (const [flavour, program] of Object.entries(programs)) {
    it(`${flavour}: a program that closes what it opened exits by itself, with no stray thread or timer keeping it alive`, async () => {
      const child = spawn(process.execPath, moduleCodeArgs(program), { cwd: packageDir, stdio: ['ignore', 'pipe', 'pipe'] });
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
  }
});
