/**
 * The factor every base count of a fast-check property is multiplied by: `NET_FC_RUNS` (a number
 * above 0), else 100 when `NET_TEST_LONG` asks for the long counts, else 1.
 * @throws RangeError when `NET_FC_RUNS` is not a number above 0
 */
export function fcRunsFactor(env?: Record<string, string | undefined>): number;

/**
 * The number of cases for a property whose base count (what `pnpm test` runs) is `base`: `base`
 * times {@link fcRunsFactor}, rounded, at least 1.
 */
export function fcRuns(base: number, env?: Record<string, string | undefined>): number;
