import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The kinds of bump a changeset can ask for, smallest first. */
export const BUMPS = ['patch', 'minor', 'major'] as const;

/** One kind of bump. */
export type Bump = (typeof BUMPS)[number];

/** A pending changeset: which packages it bumps and how, and its note for users. */
export interface PendingChangeset {
  /** The file name in `.changeset/`. */
  readonly file: string;
  /** Package name to bump. */
  readonly releases: ReadonlyMap<string, Bump>;
  /** The note, as it will appear in the changelogs. */
  readonly summary: string;
}

/**
 * The pending changesets in `changesetDir`: every `.md` file but the README, read from the
 * front matter format that `changeset add` writes (`'@net/core': minor` lines between `---`).
 */
export function pendingChangesets(changesetDir: string): PendingChangeset[] {
  return readdirSync(changesetDir)
    .filter((file) => file.endsWith('.md') && file !== 'README.md')
    .sort()
    .map((file) => {
      const text = readFileSync(join(changesetDir, file), 'utf8');
      const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n([\s\S]*)$/.exec(text);
      if (!match) throw new Error(`.changeset/${file} has no front matter`);
      const releases = new Map<string, Bump>();
      for (const line of match[1].split('\n')) {
        const release = /^\s*['"]?([^'":]+)['"]?\s*:\s*(patch|minor|major)\s*$/.exec(line);
        if (release) releases.set(release[1], release[2] as Bump);
        else if (line.trim() !== '')
          throw new Error(`.changeset/${file}: cannot read the line ${JSON.stringify(line)}`);
      }
      return { file, releases, summary: match[2].trim() };
    });
}

/** `version` after a `bump`, as semver (and changesets) count: 0.1.0 minor is 0.2.0. */
export function bumpVersion(version: string, bump: Bump): string {
  const parts = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  if (!parts) throw new Error(`not a plain x.y.z version: ${version}`);
  const [major, minor, patch] = parts.slice(1).map(Number) as [number, number, number];
  if (bump === 'major') return `${major + 1}.0.0`;
  if (bump === 'minor') return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}

/** The largest of the bumps, or `undefined` for none. */
export function largestBump(bumps: Iterable<Bump>): Bump | undefined {
  let largest: Bump | undefined;
  for (const bump of bumps) if (largest === undefined || BUMPS.indexOf(bump) > BUMPS.indexOf(largest)) largest = bump;
  return largest;
}
