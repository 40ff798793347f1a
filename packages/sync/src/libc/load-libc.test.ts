import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '@net/core';
import { socketHostKind } from '../shared-broker.js';
import { libc } from './load-libc.js';

// The socket path is chosen once, when the module loads, from NET_SYNC_SOCKETS: each case runs in
// a program of its own, on this runtime, with the variable set as the case says. The program is a
// file (Deno runs no module given with -e) that imports the built package by its address.
const built = pathToFileURL(join(import.meta.dirname, '../../dist/index.js')).href;
const runtime = (process.versions as Record<string, string | undefined>)['bun'] !== undefined ? 'bun' : 'Deno' in globalThis ? 'deno' : 'node';
const programDir = mkdtempSync(join(tmpdir(), 'net-socket-path-'));
const programFile = join(programDir, 'program.mjs');
afterAll(() => rmSync(programDir, { recursive: true, force: true }));

const PROGRAM = `
import { socketBroker, socketHostKind } from ${JSON.stringify(built)};
process.emitWarning('a warning of the program itself', 'ExperimentalWarning');
let outcome;
try { socketBroker(); outcome = { kind: socketHostKind() }; } catch (error) { outcome = { kind: socketHostKind(), code: error.code, message: error.message }; }
console.log(JSON.stringify(outcome));
`;

interface Outcome {
  readonly kind: string;
  readonly code?: string;
  readonly message?: string;
  readonly stderr: string;
}

async function runWith(value: string | undefined): Promise<Outcome> {
  const env = { ...process.env };
  if (value === undefined) delete env['NET_SYNC_SOCKETS'];
  else env['NET_SYNC_SOCKETS'] = value;
  writeFileSync(programFile, PROGRAM);
  // Deno is told what Node does by itself: bare imports resolve through the node_modules folders.
  const args = runtime === 'deno' ? ['run', '-A', '--node-modules-dir=manual', programFile] : [programFile];
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const guard = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(guard);
  expect(code, stderr).toBe(0);
  return { ...(JSON.parse(out.trim()) as Omit<Outcome, 'stderr'>), stderr };
}

describe('the socket path and NET_SYNC_SOCKETS', () => {
  it('a value that is not a choice is refused with NET_ERR_INVALID_ARGUMENT when a socket is first asked for', async () => {
    const outcome = await runWith('fastest');
    expect(outcome.code).toBe(ErrorCode.INVALID_ARGUMENT);
    expect(outcome.message).toContain('NET_SYNC_SOCKETS="fastest"');
  });

  it('auto is the default, and takes the C library wherever this runtime has an interface to it', async () => {
    const unset = await runWith(undefined);
    expect(unset.code).toBeUndefined();
    expect(unset.kind).toBe(socketHostKind());
    expect((await runWith('auto')).kind).toBe(unset.kind);
    if (runtime !== 'node') expect(unset.kind).toBe(`${runtime}:ffi`);
  });

  it.skipIf(libc !== undefined)('ffi, where the C library cannot be called, is refused with NET_ERR_UNSUPPORTED and says why', async () => {
    const outcome = await runWith('ffi');
    expect(outcome.code).toBe(ErrorCode.UNSUPPORTED);
    expect(outcome.message).toMatch(/NET_SYNC_SOCKETS=ffi, but the C library cannot be called here: .+/);
  });

  it.skipIf(libc === undefined)('ffi, where it can be called, is the C library', async () => {
    expect((await runWith('ffi')).kind).toBe(libc?.name);
  });

  it.skipIf(runtime !== 'node')('broker, on Node, is the broker thread even where the C library could be called', async () => {
    const outcome = await runWith('broker');
    expect(outcome).toMatchObject({ kind: 'broker' });
    expect(outcome.code).toBeUndefined();
  });

  it.skipIf(runtime !== 'bun')('broker, on Bun, is refused with NET_ERR_UNSUPPORTED: only Node has that path', async () => {
    const outcome = await runWith('broker');
    expect(outcome.code).toBe(ErrorCode.UNSUPPORTED);
    expect(outcome.message).toContain('the synchronous flavours on bun call the C library');
  });

  it.skipIf(libc?.name !== 'node:ffi')("node:ffi's load notice is held back, and the program's own warnings are not", async () => {
    const { stderr } = await runWith(undefined);
    expect(stderr).not.toContain('FFI is an experimental feature');
    expect(stderr).toContain('a warning of the program itself');
  });
});
