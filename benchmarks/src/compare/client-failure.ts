/**
 * Why a client program failed, in one line: its exit code, the error it threw (a thrown error's
 * first line and its `code`, which Node prints above the object's fields and its own version
 * line), and the last lines of its stderr.
 */
export function clientFailure(code: number | null, stderr: string): Error {
  const lines = stderr
    .trim()
    .split('\n')
    .map((line) => line.trim());
  const thrown = lines.find((line) => /^(\w*Error|Uncaught)\b/.test(line));
  const coded = lines.find((line) => /^code: /.test(line));
  const tail = lines.slice(-3).join(' | ');
  const what = [thrown, coded].filter((line) => line !== undefined).join(' ');
  return new Error(`client exited with ${String(code)}: ${what === '' ? tail : `${what} (… ${tail})`}`);
}
