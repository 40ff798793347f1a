import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { publicNames } from '../src/public-names.js';
import { PUBLIC_PACKAGES, repoRoot } from '../src/repo.js';

// Every name each package exports from its main entry point, written out in public-api/ so that a
// change to what users can import is a deliberate edit there, seen in review. Internals live in
// `@net/core/internal` and `@net/sync/internal` (unstable) and must not leak into any of these lists. After a deliberate
// change: NET_UPDATE_PUBLIC_NAMES=1 npx vitest run test/public-names.test.ts rewrites the lists.
const lists = fileURLToPath(new URL('../public-api/', import.meta.url));
const update = process.env.NET_UPDATE_PUBLIC_NAMES === '1';
const INTERNAL = [
  'ConnectionDriver',
  'checkIntegerOption',
  'protocolForConnection',
  'RingQueue',
  'Prettify',
  'DriverScheduler',
  'countBusywaitTimeout',
  'connectionOf',
  'SocketBroker',
  'readSome',
  'writeSome',
  'detachDescriptor',
  'SyncConnection',
];

let names = new Map<string, string[]>();
beforeAll(() => {
  names = publicNames(PUBLIC_PACKAGES.map((pkg) => join(repoRoot, pkg.dir)));
}, 180_000);

describe('the public names of every package', () => {
  for (const { name, dir } of PUBLIC_PACKAGES) {
    const file = join(lists, `${name.replace('@net/', '')}.txt`);
    it(`${name}: exports exactly the names listed in public-api/${name.replace('@net/', '')}.txt`, () => {
      const exported = names.get(join(repoRoot, dir))!;
      if (update) writeFileSync(file, `${exported.join('\n')}\n`);
      const listed = readFileSync(file, 'utf8').trim().split('\n');
      expect(
        exported,
        `${name}: its exports differ from public-api/; if the change is meant, rewrite the list (see the test's header)`,
      ).toEqual(listed);
      expect(
        exported.filter((one) => INTERNAL.includes(one)),
        `${name} exports an internal name`,
      ).toEqual([]);
    });
  }
});
