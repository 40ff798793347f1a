/** True when the suite runs on Deno. */
export const onDeno: boolean;

/** The arguments that run the built program `script` with `args`, and V8 `v8Flags` such as `--expose-gc`. */
export function programArgs(script: string, args?: readonly string[], v8Flags?: readonly string[]): string[];

/** The arguments that run `code` as an ES module whose bare imports resolve from the working directory. */
export function moduleCodeArgs(code: string): string[];
