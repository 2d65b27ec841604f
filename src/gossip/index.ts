// Phase gossip: strategies, relay protocol, manager.
export { GossipManager, INVALID_PHASE_POINTS, type BloomVerdict, type GossipOptions, type GossipStats } from './manager.js';
export { PhaseRelayProtocol, RELAY_KEEP, RELAY_MAX_ENTRIES } from './relay.js';
export { DEFAULT_STRATEGY, GOSSIP_STRATEGIES, parseStrategy, shouldShare, type GossipStrategy, type ShareInput } from './strategy.js';
