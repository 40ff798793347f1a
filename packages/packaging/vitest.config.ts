import { defineConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared.mjs';

// The public packages are packed once for every test file (see test/pack.global.ts).
export default defineConfig({
  test: { ...sharedTestConfig(import.meta.dirname), globalSetup: ['./test/pack.global.ts'] },
});
