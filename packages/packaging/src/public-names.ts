import { existsSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

/**
 * The names a package's main entry point exports, values and types alike, sorted: what a user can
 * import from it. Read from the built declarations (`dist/index.d.ts`), re-exports followed, the
 * way a user's compiler sees them.
 * @param dir the package's directory (absolute)
 */
export function publicNames(dir: string): string[] {
  const entry = join(dir, 'dist', 'index.d.ts');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: build the package first`);
  const program = ts.createProgram([entry], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry);
  const module = source === undefined ? undefined : checker.getSymbolAtLocation(source);
  if (module === undefined) throw new Error(`${entry} is not a module`);
  return checker
    .getExportsOfModule(module)
    .map((symbol) => symbol.getName())
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
