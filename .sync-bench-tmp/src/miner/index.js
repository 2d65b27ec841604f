// The coherence miner: oscillators and the round / grind loop.
export { Miner, normaliseGrind, } from './miner.js';
export { DEFAULT_COUPLING, DEFAULT_DT, DEFAULT_GAMMA, DEFAULT_STEPS, Oscillators, certPhases, stationaryR } from './oscillators.js';
//# sourceMappingURL=index.js.map