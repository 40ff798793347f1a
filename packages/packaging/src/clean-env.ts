/**
 * The environment for a tool run by a test: this process's environment without the `npm_*`
 * variables that pnpm and npm export to scripts (an npm run inside would read them as its own
 * configuration) and without `FORCE_COLOR`, so output reads plainly in a failure message; plus
 * `extra`.
 */
export function cleanEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.toLowerCase().startsWith('npm_') && key !== 'FORCE_COLOR') env[key] = value;
  }
  return { ...env, NO_COLOR: '1', ...extra };
}
