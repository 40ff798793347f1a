import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { cleanEnv } from './clean-env.js';
import { repoRoot } from './repo.js';
import { run, type RunResult } from './run.js';
import { toolScript } from './tools.js';

/**
 * Compiles `snippets` as `src/<name>.ts` of the consumer `project` into `out/<name>.js`, with the
 * settings a strict ESM user has: nodenext resolution through the installed packages' `exports`,
 * and `skipLibCheck` off, so the shipped declarations must compile too (slow: seconds, most of it
 * in @types/node, so it is done once for every package). Only @types/node comes from the
 * repository, as a user's own devDependency would.
 */
export function compileConsumer(project: string, snippets: readonly string[]): Promise<RunResult> {
  mkdirSync(join(project, 'src'), { recursive: true });
  for (const snippet of snippets) copyFileSync(snippet, join(project, 'src', basename(snippet)));
  const tsconfig = {
    compilerOptions: {
      strict: true,
      target: 'es2022',
      module: 'nodenext',
      moduleResolution: 'nodenext',
      types: ['node'],
      typeRoots: [join(repoRoot, 'node_modules', '@types')],
      rootDir: 'src',
      outDir: 'out',
      skipLibCheck: false,
      noEmitOnError: true,
    },
    include: ['src'],
  };
  writeFileSync(join(project, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`);
  return run(process.execPath, [toolScript('typescript', 'tsc'), '-p', project], {
    cwd: project,
    env: cleanEnv(),
    timeoutMs: 90_000,
  });
}
