// Command lines that start a program on the runtime running the suite (`process.execPath`): Node
// and Bun take Node's arguments; Deno needs `run` with permissions, Node's way of resolving bare
// imports through node_modules, and V8 flags given as one option. Child programs of the tests
// start through these, so that each runs on the runtime under test, not on whichever Node is on
// the PATH.

/** True when the suite runs on Deno. */
export const onDeno = 'Deno' in globalThis;

/** The arguments that run the built program `script` with `args`, and V8 `v8Flags` such as `--expose-gc`. */
export function programArgs(script, args = [], v8Flags = []) {
  if (!onDeno) return [...v8Flags, script, ...args];
  const flags = v8Flags.length === 0 ? [] : [`--v8-flags=${v8Flags.join(',')}`];
  return ['run', '-A', '--node-modules-dir=manual', ...flags, script, ...args];
}

/** The arguments that run `code` as an ES module whose bare imports resolve from the working directory. */
export function moduleCodeArgs(code) {
  return onDeno ? ['eval', '--node-modules-dir=manual', code] : ['--input-type=module', '-e', code];
}
