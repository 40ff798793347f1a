import { spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { cProgram } from '../../util/c-program.js';

/**
 * The synchronous flavours' round trip against C, side by side in one run: a ping-pong of 128-byte
 * frames (u32 length prefix), client and server in separate processes on TCP loopback, for
 *   - C, both sides busy-polling non-blocking sockets (the practical limit for @net/nonblocking),
 *   - C, both sides blocking (the practical limit for @net/blocking),
 *   - @net/nonblocking client and server, @net/blocking client and server.
 * then a one-way stream of 128-byte frames (messages per second; the synchronous flavours write in
 * batches with `sendMany`, the async flavour coalesces on its own) beside C packing frames into
 * large writes and the async flavour.
 * The C program is built with the system compiler when there is one; otherwise its rows are
 * skipped with a note. Options: --quick, --count N, --stream-count N.
 */
const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const countIndex = args.indexOf('--count');
const count = countIndex >= 0 ? Number(args[countIndex + 1]) : quick ? 2_000 : 50_000;
const warmup = Math.min(5_000, Math.ceil(count / 5));
const streamCountIndex = args.indexOf('--stream-count');
const streamCount = streamCountIndex >= 0 ? Number(args[streamCountIndex + 1]) : quick ? 50_000 : 1_000_000;
const rounds = quick ? 1 : 3;

interface Result {
  p50: number;
  p99: number;
  p999: number;
  max: number;
  cpuSeconds: number;
  ioPath?: string;
}

async function startServer(command: string, commandArgs: string[]): Promise<{ port: number; done: Promise<void> }> {
  const child = spawn(command, commandArgs, { stdio: ['ignore', 'pipe', 'ignore'] });
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    lines.once('line', (line) => resolve(Number(line.split(' ')[1])));
    child.once('exit', () => reject(new Error(`${command} ${commandArgs.join(' ')} exited before it was ready`)));
  });
  return { port, done: new Promise((resolve) => child.once('exit', () => resolve())) };
}

function runClient(command: string, commandArgs: string[]): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, commandArgs, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!) as Result) : reject(new Error(`client exited with ${code}`))));
  });
}

interface Subject {
  readonly name: string;
  readonly server: [string, string[]];
  client(port: number): [string, string[]];
}

function subjects(c: string | undefined): Subject[] {
  const peer = join(here, 'sync-peer.js');
  const node = (role: string, flavour: string, extra: string[] = []): [string, string[]] => [process.execPath, [peer, role, flavour, ...extra]];
  const list: Subject[] = [];
  if (c !== undefined) {
    list.push({ name: 'C busy-poll', server: [c, ['server', 'tcp', '127.0.0.1:0', 'poll']], client: (port) => [c, ['client', 'tcp', `127.0.0.1:${port}`, 'poll', '128', String(count), String(warmup), 'pingpong']] });
    list.push({ name: 'C blocking', server: [c, ['server', 'tcp', '127.0.0.1:0', 'block']], client: (port) => [c, ['client', 'tcp', `127.0.0.1:${port}`, 'block', '128', String(count), String(warmup), 'pingpong']] });
  }
  list.push({ name: '@net/nonblocking', server: node('server', 'nonblocking'), client: (port) => node('client', 'nonblocking', [String(port), String(count), String(warmup)]) });
  list.push({ name: '@net/blocking', server: node('server', 'blocking'), client: (port) => node('client', 'blocking', [String(port), String(count), String(warmup)]) });
  return list;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  const c = cProgram();
  const list = subjects(c);
  const results = new Map<string, Result[]>();
  for (let round = 0; round < rounds; round++) {
    for (const subject of round % 2 === 0 ? list : [...list].reverse()) {
      process.stderr.write(`round ${round + 1}/${rounds}: ${subject.name}\n`);
      const server = await startServer(...subject.server);
      const result = await runClient(...subject.client(server.port));
      await server.done;
      results.set(subject.name, [...(results.get(subject.name) ?? []), result]);
    }
  }
  console.log(`sync flavours vs C: 128-byte frames, ping-pong, ${count.toLocaleString('en-US')} round trips per round after ${warmup.toLocaleString('en-US')} warm-up, ${rounds} round(s), medians`);
  console.log(`machine ${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} cores), node ${process.version}; idle strategy of @net/nonblocking: spin; its non-blocking I/O path: ${results.get('@net/nonblocking')?.[0]?.ioPath ?? 'not run'}`);
  if (c === undefined) console.log('note: no C compiler found, the C rows are skipped');
  const row = (name: string) => {
    const runs = results.get(name);
    if (runs === undefined) return undefined;
    return { p50: median(runs.map((r) => r.p50)), p99: median(runs.map((r) => r.p99)), cpu: median(runs.map((r) => (r.cpuSeconds / count) * 1e6)) };
  };
  console.log(`${'subject'.padEnd(18)} ${'p50 µs'.padStart(8)} ${'p99 µs'.padStart(8)} ${'client CPU µs/rt'.padStart(17)}  ratio p50`);
  const baselines: Record<string, string> = { '@net/nonblocking': 'C busy-poll', '@net/blocking': 'C blocking' };
  for (const subject of list) {
    const r = row(subject.name)!;
    const base = baselines[subject.name] !== undefined ? row(baselines[subject.name]!) : undefined;
    const ratio = base === undefined ? '' : `${(r.p50 / base.p50).toFixed(2)}x of ${baselines[subject.name]}`;
    console.log(`${subject.name.padEnd(18)} ${r.p50.toFixed(1).padStart(8)} ${r.p99.toFixed(1).padStart(8)} ${r.cpu.toFixed(2).padStart(17)}  ${ratio}`);
  }
  const goal = (name: string, limit: number) => {
    const r = row(name);
    const base = row(baselines[name]!);
    if (r === undefined || base === undefined) return `goal: ${name} p50 within ${limit}x of ${baselines[name]}: NOT MEASURED (no C baseline)`;
    const ratio = r.p50 / base.p50;
    return `goal: ${name} p50 within ${limit}x of ${baselines[name]}: ${ratio <= limit ? 'MET' : 'NOT MET'} in this run (${ratio.toFixed(2)}x)`;
  };
  console.log(goal('@net/nonblocking', 1.3));
  console.log(goal('@net/blocking', 1.1));
  await streams(c);
}

interface StreamResult {
  elapsedUs: number;
  count: number;
  cpuSeconds: number;
}

/** The one-way stream, each subject `rounds` times in alternating order; medians. */
async function streams(c: string | undefined): Promise<void> {
  const peer = join(here, 'stream-peer.js');
  const node = (flavour: string): Subject => ({
    name: `@net/${flavour}`,
    server: [process.execPath, [peer, 'server', flavour]],
    client: (port) => [process.execPath, [peer, 'client', flavour, String(port), String(streamCount)]],
  });
  const list: Subject[] = [];
  if (c !== undefined) list.push({ name: 'C large writes', server: [c, ['server', 'tcp', '127.0.0.1:0', 'block']], client: (port) => [c, ['client', 'tcp', `127.0.0.1:${port}`, 'block', '128', String(streamCount), '0', 'stream']] });
  list.push(node('nonblocking'), node('blocking'), node('async'));
  const results = new Map<string, StreamResult[]>();
  for (let round = 0; round < rounds; round++) {
    for (const subject of round % 2 === 0 ? list : [...list].reverse()) {
      process.stderr.write(`stream round ${round + 1}/${rounds}: ${subject.name}\n`);
      const server = await startServer(...subject.server);
      const result = (await runClient(...subject.client(server.port))) as unknown as StreamResult;
      await server.done;
      results.set(subject.name, [...(results.get(subject.name) ?? []), result]);
    }
  }
  const rate = (name: string) => {
    const runs = results.get(name);
    return runs === undefined ? undefined : median(runs.map((r) => r.count / (r.elapsedUs / 1e6)));
  };
  console.log('');
  console.log(`one-way stream: ${streamCount.toLocaleString('en-US')} frames of 128 bytes, ${rounds} round(s), medians`);
  console.log(`${'subject'.padEnd(18)} ${'msgs/s'.padStart(12)} ${'MB/s'.padStart(8)}  ratio to @net/async`);
  const asyncRate = rate('@net/async');
  for (const subject of list) {
    const r = rate(subject.name)!;
    const ratio = asyncRate === undefined ? '' : `${(r / asyncRate).toFixed(2)}x`;
    console.log(`${subject.name.padEnd(18)} ${Math.round(r).toLocaleString('en-US').padStart(12)} ${((r * 132) / 1e6).toFixed(1).padStart(8)}  ${ratio}`);
  }
  const nonblockingRate = rate('@net/nonblocking')!;
  if (asyncRate !== undefined) {
    const ratio = nonblockingRate / asyncRate;
    console.log(`goal: @net/nonblocking stream throughput at least @net/async's: ${ratio >= 1 ? 'MET' : 'NOT MET'} in this run (${ratio.toFixed(2)}x)`);
  }
}

await main();
