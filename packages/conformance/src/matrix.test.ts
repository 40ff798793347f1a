import type { FlavourAdapter } from './adapter.js';
import { asyncAdapter } from './async-adapter.js';
import { nonblockingAdapter } from './nonblocking-adapter.js';
import { defineConformanceSuite } from './suite.js';

// The pairs the suite runs: each flavour's client against each flavour's service. A flavour's
// client and service are added here as their adapters pass; the non-blocking service (and the
// non-blocking pair, which in one thread needs both sides cooperative) are not in yet.
const pairs: readonly { clt: FlavourAdapter; svc: FlavourAdapter }[] = [
  { clt: asyncAdapter, svc: asyncAdapter },
  { clt: nonblockingAdapter, svc: asyncAdapter },
];

for (const pair of pairs) defineConformanceSuite(pair);
