import type { FlavourAdapter } from './adapter.js';
import { asyncAdapter } from './async-adapter.js';
import { nonblockingAdapter } from './nonblocking-adapter.js';
import { defineConformanceSuite } from './suite.js';

// The pairs the suite runs: each flavour's client against each flavour's service. A flavour's
// client and service are added here as their adapters pass. Not in yet: the non-blocking service
// (in one thread it notices a peer's close, heartbeats and goodbyes only when called, where the
// scenarios expect it in the background) and the blocking flavour; both want the synchronous side
// hosted in a thread of its own.
const pairs: readonly { clt: FlavourAdapter; svc: FlavourAdapter }[] = [
  { clt: asyncAdapter, svc: asyncAdapter },
  { clt: nonblockingAdapter, svc: asyncAdapter },
];

for (const pair of pairs) defineConformanceSuite(pair);
