import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_DEADLINE_MS, ensureBuilt } from './test-harness.js';

// The runnable programs as a user runs them: compiled, in processes of their own.

const script = (name: string): string =>
  fileURLToPath(new URL(`../../dist/examples/soupbintcp/${name}.js`, import.meta.url));
const children: ChildProcess[] = [];

beforeAll(() => ensureBuilt(), 120_000);

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill();
});

function run(
  name: string,
  args: string[],
): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [script(name), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // 'close' comes after stdout has been read to its end; 'exit' can come before.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

function portOf(server: ReturnType<typeof run>): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${server.output()}`)), EVENT_DEADLINE_MS);
    const check = (): void => {
      const port = /listening on port (\d+)/.exec(server.output())?.[1];
      if (port === undefined) return;
      clearTimeout(timer);
      server.child.stdout!.off('data', check);
      resolve(Number(port));
    };
    server.child.stdout!.on('data', check);
    check();
  });
}

describe('server.js and client.js', () => {
  it('run a session end to end: a nonblocking client against a blocking server', async () => {
    const server = run('server', [
      '--flavour',
      'blocking',
      '--port',
      '0',
      '--count',
      '3',
      '--interval',
      '20',
      '--user',
      'ALICE:secret',
    ]);
    const port = await portOf(server);
    const client = run('client', [
      '--flavour',
      'nonblocking',
      '--port',
      String(port),
      '--user',
      'ALICE',
      '--password',
      'secret',
    ]);
    expect(await client.exited).toBe(0);
    expect(client.output().trim().split('\n')).toEqual([
      'logged in to session TODAY (nonblocking), next message 1',
      '1: message 1',
      '2: message 2',
      '3: message 3',
      'end of session',
    ]);
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('end of session');
  });

  it('report bad arguments as one coded line and exit 1', async () => {
    const client = run('client', ['--flavour', 'sideways']);
    expect(await client.exited).toBe(1);
    expect(client.output()).toContain('NET_ERR_INVALID_ARGUMENT');
  });
});
