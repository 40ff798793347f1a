export type { AdapterCltOptions, AdapterCommonOptions, AdapterSvcOptions, CltHandle, FlavourAdapter, SvcHandle } from './adapter.js';
export { asyncAdapter } from './async-adapter.js';
