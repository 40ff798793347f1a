export { RoundRobinPool, MAX_POOL_CAPACITY } from './round-robin-pool.js';
export { ConnectionGate, MAX_CONNECTIONS_LIMIT, type GateSlot } from './connection-gate.js';
