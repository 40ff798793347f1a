import type { Results } from './results.js';

/** Attempts of one row before it counts as failed, as in the rest of the comparison. */
const ROW_ATTEMPTS = 2;

/**
 * Runs one row of a threads suite (`run` records its figures and says how it ended), again once
 * if it fails: a failure is recorded as retried, the second as skipped. Progress goes to stderr
 * after `label`.
 */
export async function attemptRow(
  results: Results,
  subject: string,
  label: string,
  run: () => Promise<string>,
): Promise<void> {
  process.stderr.write(`${label} ... `);
  for (let attempt = 1; attempt <= ROW_ATTEMPTS; attempt++) {
    try {
      process.stderr.write(`${await run()}\n`);
      return;
    } catch (error) {
      const why = (error as Error).message;
      if (attempt < ROW_ATTEMPTS) {
        results.retried.push({ subject, case: label, why });
        process.stderr.write(`failed once (${why}), again ... `);
      } else {
        results.skipped.push({ subject, case: label, why: `failed: ${why}` });
        process.stderr.write(`FAILED (${why})\n`);
      }
    }
  }
}
