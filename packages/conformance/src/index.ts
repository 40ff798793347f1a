export type {
  AdapterCltOptions,
  AdapterCommonOptions,
  AdapterSvcOptions,
  CltHandle,
  FlavourAdapter,
  OfferResult,
  SvcHandle,
} from './adapter.js';
export { asyncAdapter } from './async-adapter.js';
export { hostedAdapter, type HostedFlavour } from './remote-adapter.js';
export { defineConformanceSuite } from './suite.js';
export {
  type ConformanceOptions,
  type ResolvedConformanceOptions,
  longRunRequested,
  resolveConformanceOptions,
} from './options.js';
export type { FlavourPair } from './scenarios/context.js';
