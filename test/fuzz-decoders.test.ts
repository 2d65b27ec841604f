// Fuzzing the decoders (CI size, ~50k inputs): arbitrary bytes and mutated valid encodings may only
// raise the typed errors. test/torture/fuzz-decoders.test.ts runs the same properties with >1M inputs.
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadCore } from '../src/core/index.js';
import { createReferenceCore } from '../src/core/reference.js';
import type { Core } from '../src/core/types.js';
import { ProtocolError, ValidationError } from '../src/errors.js';
import { decodeBlockParts } from '../src/chain/block.js';
import { decodeMessage } from '../src/wire/codec.js';
import {
  frameStreamProperty,
  mutate,
  mutatedChainProperty,
  mutatedMessageProperty,
  onlyTyped,
  phaseStateProperty,
  randomChainProperty,
  randomMessageProperty,
  roundTripProperty,
  SAMPLE_BLOCKS,
  type Mutation,
} from './helpers/fuzz-targets.js';

let cores: Core[];
beforeAll(async () => {
  cores = [await loadCore({ backend: 'wasm' }), createReferenceCore()];
});

/** Fixed seed per property so a CI failure reproduces; the torture run uses random seeds. */
const run = <T extends unknown[]>(p: fc.IPropertyWithHooks<T>, numRuns: number, seed: number) => fc.assert(p, { numRuns, seed });

describe('fuzz: wire decoders', () => {
  it('frame decoder: random streams in random chunks, oversized claims poison it, nothing else escapes', () => {
    run(frameStreamProperty(), 4_000, 0x10_01);
  });
  it('every message decoder: random payloads for every type byte', () => {
    run(randomMessageProperty(), 12_000, 0x10_02);
  });
  it('every message decoder: mutated valid encodings', () => {
    run(mutatedMessageProperty(), 10_000, 0x10_03);
  });
  it('round trip holds (the codec accepts what it makes)', () => {
    run(roundTripProperty(), 2_000, 0x10_04);
  });
});

describe('fuzz: chain decoders', () => {
  it('header, tx, certificate and block decoders: random bytes', () => {
    run(randomChainProperty(), 8_000, 0x20_01);
  });
  it('header, tx, certificate and block decoders: mutated valid encodings', () => {
    run(mutatedChainProperty(), 8_000, 0x20_02);
  });
});

describe('fuzz: core.decodePhaseState', () => {
  it('WASM and reference backends reject with the same ProtocolError code or decode to the same state', () => {
    run(phaseStateProperty(cores), 8_000, 0x30_01);
  });
});

describe('fuzz regressions', () => {
  // Inputs that once broke a property (or sit on a limit worth pinning): replayed on every run.
  const cases: { name: string; base: Uint8Array; muts: Mutation[] }[] = [
    { name: 'block claiming 2^32-1 txs', base: SAMPLE_BLOCKS[0]!, muts: [{ k: 'u32', pos: 118 + 20 + 4 + 272, v: 0xffffffff }] },
    { name: 'block with a cert length of 2^31', base: SAMPLE_BLOCKS[1]!, muts: [{ k: 'u32', pos: 142 - 4, v: 0x80000000 }] },
    { name: 'block cut inside its last tx', base: SAMPLE_BLOCKS[2]!, muts: [{ k: 'cut', pos: SAMPLE_BLOCKS[2]!.length - 3 }] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(() => decodeBlockParts(mutate(c.base, c.muts))).toThrow(ValidationError);
    });
  }
  it('BLOCKS / GETDATA / ADDR counts past their caps fail before allocating', () => {
    const big = new Uint8Array(8);
    new DataView(big.buffer).setUint32(0, 0xffffffff, true);
    for (const t of [0x11, 0x12]) expect(() => decodeMessage(t, big)).toThrow(ProtocolError);
    expect(onlyTyped(ProtocolError, () => decodeMessage(0x04, Uint8Array.of(0xff, 0xff)))).toBeUndefined();
  });
});
