import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanEnv } from './clean-env.js';
import { run, type RunResult } from './run.js';

/**
 * An address where no registry can answer (port 9 is the discard port and nothing listens on it
 * here), so an install that tried to fetch anything would fail instead of quietly downloading.
 */
export const UNREACHABLE_REGISTRY = 'http://127.0.0.1:9/';

/**
 * Creates an empty project in `dir/consumer` and installs `tarballs` into it with npm, the way a
 * user would, but offline: `--offline`, an unreachable registry and an empty cache of its own, so
 * the install can only succeed if the tarballs carry everything. Returns the project directory
 * and npm's result.
 */
export async function installOffline(
  dir: string,
  tarballs: readonly string[],
): Promise<{ project: string; result: RunResult }> {
  const project = join(dir, 'consumer');
  mkdirSync(project);
  writeFileSync(
    join(project, 'package.json'),
    `${JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2)}\n`,
  );
  const npmrc = join(dir, 'npmrc');
  writeFileSync(npmrc, '');
  const args = [
    'install',
    '--offline',
    `--registry=${UNREACHABLE_REGISTRY}`,
    `--cache=${join(dir, 'npm-cache')}`,
    `--userconfig=${npmrc}`,
    '--no-audit',
    '--no-fund',
    '--ignore-scripts',
    '--no-update-notifier',
    ...tarballs,
  ];
  const result = await run('npm', args, { cwd: project, env: cleanEnv(), timeoutMs: 60_000 });
  return { project, result };
}
