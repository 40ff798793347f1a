import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';

/**
 * The references from the files of an unpacked package that point at nothing inside it: source
 * maps whose `sources` are missing, and `sourceMappingURL` comments whose map is missing. A
 * dangling one makes debuggers, bundlers (which warn on every build) and "go to definition" land
 * nowhere. `files` lists the package's files as {@link listFiles} does.
 */
export function danglingMapReferences(root: string, files: readonly string[]): string[] {
  const present = new Set(files);
  const dangling: string[] = [];
  for (const file of files) {
    const dir = posix.dirname(file);
    if (file.endsWith('.map')) {
      const map = JSON.parse(readFileSync(join(root, file), 'utf8')) as { sources?: string[]; sourceRoot?: string };
      for (const source of map.sources ?? []) {
        const target = posix.normalize(posix.join(dir, map.sourceRoot ?? '', source));
        if (!present.has(target)) dangling.push(`${file} maps to ${target}, which is not in the package`);
      }
    } else if (file.endsWith('.js') || file.endsWith('.d.ts')) {
      const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(join(root, file), 'utf8'))?.[1];
      if (url !== undefined && !url.startsWith('data:')) {
        const target = posix.normalize(posix.join(dir, url));
        if (!present.has(target)) dangling.push(`${file} names the map ${target}, which is not in the package`);
      }
    }
  }
  return dangling;
}
