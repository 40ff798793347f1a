import type { FlavourAdapter } from './adapter.js';
import { asyncAdapter } from './async-adapter.js';
import { defineConformanceSuite } from './suite.js';

// Every flavour the suite knows. Adding one is one line here; the suite then runs for every
// ordered pair, so each flavour's client is checked against each flavour's service.
const adapters: readonly FlavourAdapter[] = [asyncAdapter];

for (const clt of adapters) {
  for (const svc of adapters) {
    defineConformanceSuite({ clt, svc });
  }
}
