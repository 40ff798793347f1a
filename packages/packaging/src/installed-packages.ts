import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Every package installed in `project`, at any depth, as paths relative to it
 * (`node_modules/@net/core`, `node_modules/@net/async/node_modules/x`, ...). Dot entries such as
 * npm's `.package-lock.json` are bookkeeping, not packages.
 */
export function installedPackages(project: string): string[] {
  const found: string[] = [];
  const scan = (modules: string): void => {
    if (!existsSync(join(project, modules))) return;
    for (const entry of readdirSync(join(project, modules))) {
      if (entry.startsWith('.')) continue;
      const names = entry.startsWith('@')
        ? readdirSync(join(project, modules, entry)).map((scoped) => `${entry}/${scoped}`)
        : [entry];
      for (const name of names) {
        found.push(`${modules}/${name}`);
        scan(`${modules}/${name}/node_modules`);
      }
    }
  };
  scan('node_modules');
  return found.sort();
}
