// Seed 2.2 / 2.3: when a node shares its phases. Pure: the caller owns lastSharedR and the clock.
import { Z_C } from '../constants.js';
import { InputError } from '../errors.js';

export type GossipStrategy = 'eager' | 'threshold' | 'bloom';
export const GOSSIP_STRATEGIES: readonly GossipStrategy[] = Object.freeze(['eager', 'threshold', 'bloom']);
export const DEFAULT_STRATEGY: GossipStrategy = 'bloom';

/** THRESHOLD: share only on an r gain above this since the last share (seed 2.2). */
export const THRESHOLD_GAIN = 0.05;
/** BLOOM: always share within this of Z_C (seed 2.2). */
export const BLOOM_NEAR = 0.1;
/** BLOOM: within this of Z_C, share on a gain above BLOOM_GAIN. */
export const BLOOM_APPROACH = 0.2;
export const BLOOM_GAIN = 0.02;

export interface ShareInput {
  /** Current local order parameter. */
  r: number;
  /** r at the last share (0 before the first). */
  lastSharedR: number;
  /** Clock ms now. */
  now: number;
  /** Clock ms of the last share; null (or -Infinity) before the first. */
  lastShareTime: number | null;
  /** Rate limit, ms: the profile's gossipIntervalMs (618 mainnet, 100 devnet). */
  minIntervalMs: number;
}

export function parseStrategy(name: string): GossipStrategy {
  const s = name.trim().toLowerCase();
  if ((GOSSIP_STRATEGIES as readonly string[]).includes(s)) return s as GossipStrategy;
  throw new InputError('bad-gossip-strategy', `unknown gossip strategy "${name}" (expected eager, threshold or bloom)`);
}

/** The strategy's own rule, without the rate limit. */
export function strategyWants(strategy: GossipStrategy, r: number, lastSharedR: number): boolean {
  switch (strategy) {
    case 'eager':
      return true;
    case 'threshold':
      return r - lastSharedR > THRESHOLD_GAIN;
    case 'bloom':
      if (r > Z_C - BLOOM_NEAR) return true;
      return r > Z_C - BLOOM_APPROACH && r - lastSharedR > BLOOM_GAIN;
  }
}

/** Seed 2.3: no strategy shares twice within minIntervalMs (the seed's `<` comparison). */
export function rateLimited(now: number, lastShareTime: number | null, minIntervalMs: number): boolean {
  if (lastShareTime === null || !Number.isFinite(lastShareTime)) return false;
  return now - lastShareTime < minIntervalMs;
}

export function shouldShare(strategy: GossipStrategy, input: ShareInput): boolean {
  if (!Number.isFinite(input.r)) return false;
  if (rateLimited(input.now, input.lastShareTime, input.minIntervalMs)) return false;
  return strategyWants(strategy, input.r, input.lastSharedR);
}
