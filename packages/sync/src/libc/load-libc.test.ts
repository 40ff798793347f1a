import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '@net/core';
import { socketHostKind } from '../shared-broker.js';
import type { Libc, LibcCalls } from './libc-calls.js';
import { chooseLibc, libc, type LibcLoaders } from './load-libc.js';
import { libcFromNodeFfi } from './node-ffi-libc.js';

// The socket path is chosen once, when the module loads, from NET_SYNC_SOCKETS: each case runs in
// a program of its own, on this runtime, with the variable set as the case says. The program is a
// file (Deno runs no module given with -e) that imports the built package by its address.
const built = pathToFileURL(join(import.meta.dirname, '../../dist/index.js')).href;
const builtInternal = pathToFileURL(join(import.meta.dirname, '../../dist/internal.js')).href;
const runtime =
  (process.versions as Record<string, string | undefined>)['bun'] !== undefined
    ? 'bun'
    : 'Deno' in globalThis
      ? 'deno'
      : 'node';
const programDir = mkdtempSync(join(tmpdir(), 'net-socket-path-'));
const programFile = join(programDir, 'program.mjs');
afterAll(() => rmSync(programDir, { recursive: true, force: true }));

const PROGRAM = `
import { socketHostKind } from ${JSON.stringify(built)};
import { socketBroker } from ${JSON.stringify(builtInternal)};
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
  // 'close' comes after stdout has been read to its end; 'exit' can come before.
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
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

  it.skipIf(libc !== undefined)(
    'ffi, where the C library cannot be called, is refused with NET_ERR_UNSUPPORTED and says why',
    async () => {
      const outcome = await runWith('ffi');
      expect(outcome.code).toBe(ErrorCode.UNSUPPORTED);
      expect(outcome.message).toMatch(/NET_SYNC_SOCKETS=ffi, but the C library cannot be called here: .+/);
    },
  );

  it.skipIf(libc === undefined)('ffi, where it can be called, is the C library', async () => {
    expect((await runWith('ffi')).kind).toBe(libc?.name);
  });

  it.skipIf(runtime !== 'node')(
    'broker, on Node, is the broker thread even where the C library could be called',
    async () => {
      const outcome = await runWith('broker');
      expect(outcome).toMatchObject({ kind: 'broker' });
      expect(outcome.code).toBeUndefined();
    },
  );

  it.skipIf(runtime !== 'bun')(
    'broker, on Bun, is refused with NET_ERR_UNSUPPORTED: only Node has that path',
    async () => {
      const outcome = await runWith('broker');
      expect(outcome.code).toBe(ErrorCode.UNSUPPORTED);
      expect(outcome.message).toContain('the synchronous flavours on bun call the C library');
    },
  );

  it.skipIf(libc?.name !== 'node:ffi')(
    "node:ffi's load notice is held back, and the program's own warnings are not",
    async () => {
      const { stderr } = await runWith(undefined);
      expect(stderr).not.toContain('FFI is an experimental feature');
      expect(stderr).toContain('a warning of the program itself');
    },
  );
});

const FAKE: Libc = { calls: {} as LibcCalls, pointer: () => 0, errno: () => 0, name: 'fake:ffi' };

/** Loaders that each give FAKE, or do what `override` says, and count their calls. */
function loaders(override: Partial<LibcLoaders> = {}) {
  const calls: string[] = [];
  const all: LibcLoaders = {
    bun: () => (calls.push('bun'), override.bun ? override.bun() : FAKE),
    deno: () => (calls.push('deno'), override.deno ? override.deno() : FAKE),
    node: () => (calls.push('node'), override.node ? override.node() : FAKE),
  };
  return { all, calls };
}

describe('choosing the interface (chooseLibc)', () => {
  it("takes the runtime's own interface on Linux", () => {
    for (const host of ['bun', 'deno', 'node'] as const) {
      const { all, calls } = loaders();
      expect(chooseLibc(host, 'auto', 'linux', all)).toEqual({ libc: FAKE, problem: undefined });
      expect(calls).toEqual([host]);
    }
  });

  it('a symbol the C library lacks, or a refused permission, is a problem to report, never a crash', () => {
    const missing = loaders({
      deno: () => {
        throw new Error('Failed to register symbol accept4: undefined symbol');
      },
    });
    expect(chooseLibc('deno', 'auto', 'linux', missing.all)).toEqual({
      libc: undefined,
      problem: 'Error: Failed to register symbol accept4: undefined symbol',
    });
    const refused = loaders({
      bun: () => {
        throw Object.assign(new Error('dlopen refused'), { name: 'NotCapable' });
      },
    });
    expect(chooseLibc('bun', 'ffi', 'linux', refused.all)).toEqual({
      libc: undefined,
      problem: 'NotCapable: dlopen refused',
    });
  });

  it('a Node without node:ffi says so', () => {
    const { all } = loaders({ node: () => undefined });
    expect(chooseLibc('node', 'auto', 'linux', all)).toEqual({
      libc: undefined,
      problem: 'this Node has no node:ffi (Node 26 and later have it)',
    });
  });

  it('loads nothing for broker, for a value that is not a choice, or off Linux', () => {
    for (const [choice, platform] of [
      ['broker', 'linux'],
      ['fastest', 'linux'],
      ['auto', 'darwin'],
    ] as const) {
      const { all, calls } = loaders();
      const chosen = chooseLibc('node', choice, platform, all);
      expect(chosen.libc).toBeUndefined();
      expect(calls).toEqual([]);
      if (platform === 'darwin') expect(chosen.problem).toBe('the C library calls are declared for Linux only');
    }
  });
});

describe('node:ffi of another shape', () => {
  it('is not used when it lacks what the calls need, and dlopen failing is an error for chooseLibc', () => {
    expect(libcFromNodeFfi(undefined)).toBeUndefined();
    expect(libcFromNodeFfi({ dlopen: () => ({ functions: {} }), getInt32: () => 0 })).toBeUndefined();
    const failing = {
      dlopen: () => {
        throw new Error('dlsym failed: undefined symbol: accept4');
      },
      getRawPointer: () => 0n,
      getInt32: () => 0,
    };
    expect(() => libcFromNodeFfi(failing)).toThrow('undefined symbol: accept4');
  });
});
