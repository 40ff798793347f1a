import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const PACKAGES = ['@net/core', '@net/sync', '@net/nonblocking', '@net/blocking', '@net/async'] as const;
const require = createRequire(import.meta.url);

// Deno's require of an ES module goes its own way; what matters here is V8's evaluation on Node
// (and Bun's require, which refuses a top-level await just the same).
describe.skipIf('Deno' in globalThis)('every package evaluates synchronously', () => {
  // A top-level await anywhere in a package's module graph makes every importer's evaluation
  // asynchronous: `require()` then refuses the package (ERR_REQUIRE_ASYNC_MODULE), and Node 22 to
  // 26 can abort the whole process when a worker that imported it is terminated while that
  // evaluation finishes. require() is the check that cannot miss one.
  it.each(PACKAGES)('%s loads with require()', (name) => {
    const loaded = require(name) as Record<string, unknown>;
    expect(Object.keys(loaded).length).toBeGreaterThan(0);
  });

  it('the flavours export their client and service to require() as to import', async () => {
    for (const name of ['@net/nonblocking', '@net/blocking', '@net/async'] as const) {
      const required = require(name) as Record<string, unknown>;
      const imported = (await import(name)) as Record<string, unknown>;
      expect(Object.keys(required).sort()).toEqual(Object.keys(imported).sort());
      expect(typeof required['Clt']).toBe('function');
      expect(typeof required['Svc']).toBe('function');
    }
  });
});
