import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { dirname } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Clt as AsyncClt, Svc as AsyncSvc, jsonCodec } from '@net/async';
import { afterEach, describe, expect, it } from 'vitest';
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
      const child = spawn(process.execPath, moduleCodeArgs(program), {
        cwd: packageDir,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      const guard = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
        // 'close' comes after stdout has been read to its end; 'exit' can come before.
        child.once('close', (c, s) => resolve([c, s])),
      );
      clearTimeout(guard);
      expect(signal, `the program was still running after 20 s: ${err}`).toBeNull();
      expect(code, err).toBe(0);
      expect(JSON.parse(out.trim())).toEqual({ n: 2 });
    });
  }
});

type Msg = { n: number };

/** A child program's stdout lines as they come, and how it ended. */
interface Child {
  /** Resolves with the first line (from the start) that satisfies `test`; rejects if the child exits first. */
  line(test: (line: string) => boolean): Promise<string>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }>;
}

const children: ChildProcessByStdio<null, Readable, Readable>[] = [];
afterEach(() => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

// A guard kill after 20 s, so a child the poller wrongly keeps alive fails the test instead of hanging it.
function startChild(program: string): Child {
  const child = spawn(process.execPath, moduleCodeArgs(program), {
    cwd: packageDir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  const waiters: { test: (line: string) => boolean; resolve: (line: string) => void }[] = [];
  const lines: string[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    const complete = out.split('\n').slice(0, -1);
    for (const line of complete.slice(lines.length)) {
      lines.push(line);
      for (let i = waiters.length - 1; i >= 0; i--) if (waiters[i].test(line)) waiters.splice(i, 1)[0].resolve(line);
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const guard = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }>(
    (resolve) =>
      child.once('exit', (code, signal) => {
        clearTimeout(guard);
        // 'exit' can come before the last of stdout: wait for the stream to end too.
        const finish = () => resolve({ code, signal, out, err });
        if (child.stdout.readableEnded) finish();
        else child.stdout.once('end', finish);
      }),
  );
  const line = (test: (line: string) => boolean) =>
    new Promise<string>((resolve, reject) => {
      const seen = lines.find(test);
      if (seen !== undefined) return resolve(seen);
      waiters.push({ test, resolve });
      void exited.then((end) =>
        reject(
          new Error(
            `the program ended (code ${end.code}, signal ${end.signal}) without that line; stdout: ${end.out}; stderr: ${end.err}`,
          ),
        ),
      );
    });
  return { line, exited };
}

// Without a keep-alive of its own a spawned poller's idle wait holds nothing on the event loop, so
// each of these programs would end before its peer speaks. None holds anything else: no timer, no
// stdin, and on the synchronous flavours a socket is a bare descriptor.
describe('a spawned Poller keeps its process alive while it has something to poll', () => {
  it('a service served only by a spawned poller waits for its client, answers, and exits by itself once it closes what it opened', async () => {
    const child = startChild(`
import { Svc, jsonCodec, Poller } from '@net/nonblocking';
const svc = Svc.bind('127.0.0.1:0', { codec: jsonCodec() });
const poller = new Poller();
poller.addAcceptor(svc, (peer) => {
  poller.addReceiver(peer, {
    onMessage: (message) => {
      peer.sendBusywait({ n: message.n + 1 });
      // The poller drops what is closed, and with nothing left to poll it lets the process go.
      peer.close();
      svc.close();
    },
  });
});
poller.spawn();
console.log(JSON.stringify({ port: svc.port }));
`);
    const { port } = JSON.parse(await child.line((line) => line.startsWith('{'))) as { port: number };
    const clt = await AsyncClt.connect<Msg, Msg>({ port }, { codec: jsonCodec<Msg>() });
    try {
      clt.send({ n: 1 });
      expect(await clt.recv({ timeout: 10_000 })).toEqual({ n: 2 });
    } finally {
      await clt.close();
    }
    const end = await child.exited;
    expect(end.signal, `the program was still running after 20 s: ${end.err}`).toBeNull();
    expect(end.code, end.err).toBe(0);
  });

  it('a client whose receiving side a spawned poller reads gets a reply that comes after it went idle, and exits by itself', async () => {
    const svc = await AsyncSvc.bind<Msg, Msg>('127.0.0.1:0', { codec: jsonCodec<Msg>() });
    try {
      const child = startChild(`
import { Clt, jsonCodec, Poller } from '@net/nonblocking';
const poller = new Poller();
const clt = Clt.connect({ port: ${svc.port} }, { codec: jsonCodec() });
const sender = clt.intoSenderWithSpawnedReceiver(poller, {
  onMessage: (message) => {
    console.log(JSON.stringify(message));
    clt.close();
  },
});
poller.spawn();
sender.sendBusywait({ n: 1 });
console.log('ready');
`);
      const peer = await svc.accept({ timeout: 10_000 });
      expect(await peer.recv({ timeout: 10_000 })).toEqual({ n: 1 });
      // The reply goes only once the program has run to its end and waits on the poller alone, and
      // a moment later, so that the poller has gone from spinning to its idle wait (what a program
      // without the keep-alive ended in). A slower reply only makes the test stricter.
      await child.line((line) => line === 'ready');
      await new Promise((resolve) => setTimeout(resolve, 250));
      peer.send({ n: 2 });
      expect(JSON.parse(await child.line((line) => line.startsWith('{')))).toEqual({ n: 2 });
      const end = await child.exited;
      expect(end.signal, `the program was still running after 20 s: ${end.err}`).toBeNull();
      expect(end.code, end.err).toBe(0);
    } finally {
      await svc.close();
    }
  });

  it('unref() lets the process exit while the poller still polls an open service', async () => {
    const child = startChild(`
import { Svc, jsonCodec, Poller } from '@net/nonblocking';
const svc = Svc.bind('127.0.0.1:0', { codec: jsonCodec() });
const poller = new Poller();
poller.addAcceptor(svc, () => {});
poller.spawn().unref();
console.log(JSON.stringify({ port: svc.port, size: poller.size }));
`);
    const end = await child.exited;
    expect(end.signal, `the program was still running after 20 s: ${end.err}`).toBeNull();
    expect(end.code, end.err).toBe(0);
    expect(JSON.parse(end.out.trim())).toMatchObject({ size: 1 });
  });
});
