import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The workspace package directories (relative to `root`) named by `pnpm-workspace.yaml`.
 * Reads only the `packages:` list of plain paths and `dir/*` globs, which is all this repository
 * uses; anything else is an error rather than a silent miss.
 */
export function workspaceDirs(root: string): string[] {
  const lines = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8').split('\n');
  const start = lines.findIndex((line) => line.trim() === 'packages:');
  if (start < 0) throw new Error('pnpm-workspace.yaml has no packages: list');
  const dirs: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const item = /^\s+-\s+['"]?([^'"#\s]+)['"]?\s*$/.exec(line);
    if (!item) break;
    const pattern = item[1];
    if (pattern.endsWith('/*')) {
      const parent = pattern.slice(0, -2);
      for (const entry of readdirSync(join(root, parent)).sort()) {
        if (existsSync(join(root, parent, entry, 'package.json'))) dirs.push(`${parent}/${entry}`);
      }
    } else if (/[*?{[!]/.test(pattern)) {
      throw new Error(`pnpm-workspace.yaml: the pattern ${pattern} is not understood by the packaging tests`);
    } else if (existsSync(join(root, pattern, 'package.json'))) {
      dirs.push(pattern);
    }
  }
  return dirs;
}
