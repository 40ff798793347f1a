// Empties the package's dist/ before a build: tsc only writes, so a source file that was removed
// or renamed would otherwise leave its old output behind, and `pnpm pack` would ship it.
import { rmSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });
