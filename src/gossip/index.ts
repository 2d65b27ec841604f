// Phase gossip: strategies, relay protocol, manager.
export { GossipManager, INVALID_PHASE_POINTS, type BloomVerdict, type GossipOptions, type GossipStats } from './manager.js';
export { PhaseRelayProtocol, RELAY_KEEP, RELAY_MAX_ENTRIES } from './relay.js';
export { DEFAULT_STRATEGY, GOSSIP_STRATEGIES, parseStrategy, shouldShare, type GossipStrategy, type ShareInput } from './strategy.js';
export { AGGREGATE_MAX_INPUTS, AggregateRound, buildAggregate, DEFAULT_RELAY, parseRelayMode, RELAY_MODES, selectInputs, type Aggregate, type AggregateInput, type RelayMode } from './aggregate.js';
export { DEFAULT_MESH, maintainMesh, MESH_D, MESH_D_HI, MESH_D_LO, type MeshParams } from './mesh.js';
