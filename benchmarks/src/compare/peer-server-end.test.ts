import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { compiledProgram, ensureCompiled } from '../util/compiled.js';
import { endPeer } from './end-peer.js';

// A bound for a failing test only: a server that ends on SIGTERM does so long before.
const PATIENCE_MS = 30_000;
const started = new Set<ChildProcess>();

beforeAll(() => ensureCompiled(), 300_000);
afterEach(async () => {
  for (const child of started) await endPeer(child, 1_000).catch(() => undefined);
  started.clear();
});

/** A comparison server with no client, once it has printed that it listens. */
async function readyServer(subject: string, connections: number): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [compiledProgram('compare/peer'), 'server', subject, 'tcp', '127.0.0.1:0', 'bytes', String(connections)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  started.add(child);
  const lines = createInterface({ input: child.stdout });
  const [line] = (await Promise.race([
    once(lines, 'line'),
    once(child, 'exit').then(() => {
      throw new Error(`the ${subject} server exited before it listened`);
    }),
  ])) as [string];
  expect(line).toMatch(/^ready \d+$/);
  return child;
}

/** The exit code once `child` has exited, or `undefined` after {@link PATIENCE_MS}. */
async function exitCode(child: ChildProcess): Promise<number | null | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), PATIENCE_MS)));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  try {
    return await Promise.race([exited, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

describe('a comparison server whose client never connects', () => {
  for (const [subject, connections] of [
    ['nonblocking', 1],
    ['nonblocking', 4],
    ['blocking', 1],
    ['blocking', 4],
  ] as const) {
    it(`ends on SIGTERM while it waits in accept (${subject}, ${String(connections)} connection(s))`, async () => {
      const server = await readyServer(subject, connections);
      server.kill('SIGTERM');
      expect(await exitCode(server)).toBe(0);
    }, 60_000);
  }
});
