// The coherence miner: oscillators and the round / grind loop.
export {
  Miner,
  normaliseGrind,
  type GrindPool,
  type MinerGossip,
  type MinerOptions,
  type MinerStatus,
  type MiningChain,
  type MiningTemplate,
  type TxSource,
} from './miner.js';
export { DEFAULT_COUPLING, DEFAULT_DT, DEFAULT_GAMMA, DEFAULT_STEPS, Oscillators, certPhases, stationaryR, type Integrator } from './oscillators.js';
export { buildTemplate, miningChain, type BlockTemplate, type TemplateOptions } from './template.js';
