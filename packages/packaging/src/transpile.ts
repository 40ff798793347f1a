import { readFileSync, writeFileSync } from 'node:fs';
import ts from 'typescript';

/**
 * Writes `snippet` (TypeScript) to `outFile` as ES module JavaScript, without type checking:
 * that is the declarations test's job, which compiles every snippet against the installed
 * packages in full. Here it only has to run, so it costs no tsc program.
 */
export function transpileSnippet(snippet: string, outFile: string): void {
  const output = ts.transpileModule(readFileSync(snippet, 'utf8'), {
    fileName: snippet,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
    reportDiagnostics: true,
  });
  const problems = output.diagnostics ?? [];
  if (problems.length > 0) {
    const text = problems.map((problem) => ts.flattenDiagnosticMessageText(problem.messageText, '\n')).join('\n');
    throw new Error(`${snippet} does not transpile: ${text}`);
  }
  writeFileSync(outFile, output.outputText);
}
