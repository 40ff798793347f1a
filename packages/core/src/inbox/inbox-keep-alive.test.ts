import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// An awaited read is the only pending work of a program (its producer thread is unref'd): the
// wait itself holds nothing open on any runtime, so without the consumer's own hold the process
// would end before the frame comes. Each case runs in a process of its own, under the runtime
// that runs the tests.
const PROGRAM = fileURLToPath(new URL('../test-support/inbox-keep-alive.mjs', import.meta.url));
const RUNTIME_ARGS = 'Deno' in globalThis ? ['run', '-A'] : [];
// Bun's Atomics.waitAsync holds the process by itself, so there unref() cannot let it end.
const IS_BUN = 'Bun' in globalThis;

function run(mode: 'ref' | 'unref') {
  return spawnSync(process.execPath, [...RUNTIME_ARGS, PROGRAM, mode], { encoding: 'utf8', timeout: 60_000 });
}

describe('InboxConsumer.read and the event loop', () => {
  it('keeps the process alive while it awaits a frame', () => {
    const child = run('ref');
    expect(child.error).toBeUndefined();
    expect(child.stdout).toContain('read 3');
  });

  it.skipIf(IS_BUN)('lets the process end while it awaits, once unref() was called', () => {
    const child = run('unref');
    expect(child.error).toBeUndefined();
    expect(child.signal).toBeNull();
    expect(child.stdout).not.toContain('read');
  });
});
