import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Case, Subject } from './cases.js';
import type { ClientResult } from './protocol.js';

/** Where the programs are. */
export interface Programs {
  /** The compiled Node peer. */
  readonly peer: string;
  /** The C program, when it could be built. */
  readonly c: string | undefined;
}

let socketSerial = 0;
/** A client gets this long before the run is called hung. */
const CLIENT_LIMIT_MS = 180_000;

/**
 * Runs one subject on one case: the server in one process, the client in another (as users deploy
 * them), the client's result line back. The server is ended once the client is done.
 */
export async function runCase(subject: Subject, c: Case, programs: Programs): Promise<ClientResult> {
  const path = join(tmpdir(), `net-compare-${process.pid}-${socketSerial++}.sock`);
  const listenAt = c.transport === 'tcp' ? '127.0.0.1:0' : path;
  const [command, serverArgs] =
    'node' in subject.kind
      ? [process.execPath, [programs.peer, 'server', subject.kind.node, c.transport, listenAt, c.codec, String(c.connections)]]
      : [programs.c!, ['server', c.transport, listenAt, subject.kind.c]];
  const server = spawn(command, serverArgs, { stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    const ready = await readyAddress(server);
    const clientArgs =
      'node' in subject.kind
        ? [programs.peer, 'client', subject.kind.node, c.transport, ready, c.mode, String(c.size), String(c.count), String(c.warmup), String(c.rate), c.codec, String(c.connections)]
        : ['client', c.transport, c.transport === 'tcp' ? `127.0.0.1:${ready}` : path, subject.kind.c, String(c.size), String(c.count), String(c.warmup), c.mode];
    return await runClient('node' in subject.kind ? process.execPath : programs.c!, clientArgs);
  } finally {
    server.kill('SIGKILL');
    rmSync(path, { force: true });
    for (const suffix of ['.rep', '.pull']) rmSync(path + suffix, { force: true });
  }
}

function readyAddress(server: ChildProcess): Promise<string> {
  const lines = createInterface({ input: server.stdout! });
  return new Promise((resolve, reject) => {
    lines.once('line', (line) => resolve(line.split(' ')[1] ?? ''));
    server.once('exit', (code) => reject(new Error(`server exited (${String(code)}) before it was ready`)));
  });
}

function runClient(command: string, args: string[]): Promise<ClientResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), CLIENT_LIMIT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      const last = out.trim().split('\n').pop() ?? '';
      if (code === 0 && last.startsWith('{')) resolve(JSON.parse(last) as ClientResult);
      else reject(new Error(`client exited with ${String(code)}: ${err.trim().split('\n').slice(-3).join(' | ')}`));
    });
  });
}
