import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceDirs } from './workspace.js';

/**
 * Copies into `dest` what `changeset version` reads and writes: the root manifest, the workspace
 * file, `.changeset/` and every workspace package's manifest and changelog. `node_modules` is linked, not
 * copied, so the changelog generator named in `.changeset/config.json` resolves as it does in
 * the repository. The real tree is never written.
 */
export function copyForVersioning(root: string, dest: string): void {
  for (const file of ['package.json', 'pnpm-workspace.yaml']) copyFileSync(join(root, file), join(dest, file));
  mkdirSync(join(dest, '.changeset'));
  for (const file of readdirSync(join(root, '.changeset'))) {
    if (statSync(join(root, '.changeset', file)).isFile())
      copyFileSync(join(root, '.changeset', file), join(dest, '.changeset', file));
  }
  for (const dir of workspaceDirs(root)) {
    mkdirSync(join(dest, dir), { recursive: true });
    copyFileSync(join(root, dir, 'package.json'), join(dest, dir, 'package.json'));
    if (existsSync(join(root, dir, 'CHANGELOG.md')))
      copyFileSync(join(root, dir, 'CHANGELOG.md'), join(dest, dir, 'CHANGELOG.md'));
  }
  symlinkSync(join(root, 'node_modules'), join(dest, 'node_modules'), 'dir');
}
