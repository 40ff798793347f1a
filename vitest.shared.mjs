// One test configuration for every package. When NET_TEST_REPORT_DIR is set (as .ci/run does),
// each package also writes vitest's JSON report there, so CI can count real test results.
import { basename, join } from 'node:path';

/**
 * Builds the vitest `test` options for the package in `packageDir`.
 * @param {string} packageDir absolute path of the package
 */
export function sharedTestConfig(packageDir) {
  const reportDir = process.env.NET_TEST_REPORT_DIR;
  /** @type {any[]} */
  const reporters = ['default'];
  if (reportDir) {
    reporters.push(['json', { outputFile: join(reportDir, `${basename(packageDir)}.json`) }]);
  }
  return {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters,
    passWithNoTests: false,
  };
}
