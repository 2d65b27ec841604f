// Torture fuzzing of every decoder: > 1,000,000 inputs in all, random seeds (fast-check prints the seed
// and path of any failure: add it to the regression list in test/fuzz-decoders.test.ts).
import { beforeAll, describe, it } from 'vitest';
import fc from 'fast-check';
import { loadCore } from '../../src/core/index.js';
import { createReferenceCore } from '../../src/core/reference.js';
import type { Core } from '../../src/core/types.js';
import {
  frameStreamProperty,
  mutatedChainProperty,
  mutatedMessageProperty,
  phaseStateProperty,
  randomChainProperty,
  randomMessageProperty,
  roundTripProperty,
} from '../helpers/fuzz-targets.js';

let cores: Core[];
beforeAll(async () => {
  cores = [await loadCore({ backend: 'wasm' }), createReferenceCore()];
});

/** Runs in chunks of 10k with fresh seeds, yielding between them so the worker keeps talking to vitest. */
async function run<T extends unknown[]>(p: fc.IPropertyWithHooks<T>, numRuns: number): Promise<void> {
  const base = Date.now() >>> 0;
  for (let done = 0, i = 0; done < numRuns; done += 10_000, i++) {
    fc.assert(p, { numRuns: Math.min(10_000, numRuns - done), seed: (base + i) | 0, verbose: 1 });
    await new Promise((r) => setImmediate(r));
  }
}

// 1,080,000 inputs in all.
describe('torture fuzz: decoders', () => {
  it('frame decoder: 120k streams', () => run(frameStreamProperty(), 120_000));
  it('message decoders: 250k random payloads', () => run(randomMessageProperty(), 250_000));
  it('message decoders: 250k mutated encodings', () => run(mutatedMessageProperty(), 250_000));
  it('codec round trip: 40k', () => run(roundTripProperty(), 40_000));
  it('chain decoders: 150k random inputs', () => run(randomChainProperty(), 150_000));
  it('chain decoders: 150k mutated encodings', () => run(mutatedChainProperty(), 150_000));
  it('decodePhaseState (WASM vs reference): 120k', () => run(phaseStateProperty(cores), 120_000));
});
