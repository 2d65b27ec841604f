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

const run = <T extends unknown[]>(p: fc.IPropertyWithHooks<T>, numRuns: number) => fc.assert(p, { numRuns, verbose: 1 });

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
