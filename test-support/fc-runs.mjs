// How many cases a fast-check property runs: its base count (what `pnpm test` and CI run) times
// one factor read from the environment, so that a single variable lengthens every property for a
// long run, or shortens them all for a quick loop, and no property keeps a count of its own.
//
//   NET_FC_RUNS=100   a hundred times the base counts (10,000 cases become 1,000,000)
//   NET_FC_RUNS=0.1   a tenth of them (what `pnpm test:unit` runs unless NET_FC_RUNS says otherwise)
//   unset             1, or 100 when NET_TEST_LONG asks for the long counts
//
// A count never drops below one case: a property always runs.

/** The factor every base count is multiplied by, from `NET_FC_RUNS` (or `NET_TEST_LONG`). */
export function fcRunsFactor(env = process.env) {
  const text = env.NET_FC_RUNS;
  if (text === undefined || text === '') {
    const long = env.NET_TEST_LONG;
    return long !== undefined && long !== '' && long !== '0' ? 100 : 1;
  }
  const factor = Number(text);
  if (!Number.isFinite(factor) || factor <= 0) {
    throw new RangeError(`NET_FC_RUNS must be a number above 0 (a factor of the base run counts), not '${text}'`);
  }
  return factor;
}

/** `base` cases scaled by {@link fcRunsFactor}, at least one. */
export function fcRuns(base, env = process.env) {
  return Math.max(1, Math.round(base * fcRunsFactor(env)));
}
