import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createReferenceCore } from '../src/core/reference.js';
import { AggregateRound, buildAggregate, MERGE_MAX_LOSS, parseRelayMode, selectInputs } from '../src/gossip/aggregate.js';
import { maintainMesh, MESH_D, MESH_D_HI } from '../src/gossip/mesh.js';
import { Rng } from '../src/prng.js';

const core = createReferenceCore();
const phasesArb = fc.float64Array({ minLength: 8, maxLength: 64, min: 0, max: 6.28, noNaN: true, noDefaultInfinity: true });
const inputArb = fc.record({ phases: phasesArb, r: fc.double({ min: 0, max: 1, noNaN: true }) });

describe('aggregate PHASE (seed 2.5 merge)', () => {
  it("the aggregate is mergePhaseStates of the inputs, highest r first, unless that loses more than 0.02 of r against the best input, which then goes as is; it decodes", () => {
    fc.assert(
      fc.property(fc.array(inputArb, { minLength: 1, maxLength: 20 }), (inputs) => {
        const agg = buildAggregate(core, inputs, 16)!;
        const chosen = selectInputs(inputs, 16);
        const m = core.mergePhaseStates(chosen.map((i) => ({ phases: i.phases, r: i.r, weight: 1 })));
        const bestR = core.orderParameter(chosen[0]!.phases).r;
        const merge = chosen.length > 1 && m.r >= bestR - MERGE_MAX_LOSS;
        const sent = merge ? m : { phases: chosen[0]!.phases, r: bestR };
        expect(agg.forwarded).toBe(merge ? null : chosen[0]);
        expect(agg.inputs).toBe(merge ? Math.min(16, inputs.length) : 1);
        expect(agg.r).toBeCloseTo(Math.min(1, sent.r), 9);
        expect(agg.r).toBeGreaterThanOrEqual(bestR - MERGE_MAX_LOSS - 1e-12);
        expect(agg.psi).toBeCloseTo(core.orderParameter(sent.phases).psi, 9);
        const wire = core.decodePhaseState(agg.state);
        expect(wire.r).toBeCloseTo(agg.r, 5);
        expect(wire.phases.length).toBe(sent.phases.length);
      }),
      { numRuns: 50 },
    );
  });

  it('states in phase are merged; states out of phase are not (the best goes as is)', () => {
    const at = (center: number, r: number) => ({ phases: Float64Array.from({ length: 64 }, (_, i) => center + 0.3 * Math.sin(i * 12.9898)), r });
    const inPhase = buildAggregate(core, [at(1, 0.95), at(1.1, 0.94), at(0.9, 0.93)])!;
    expect(inPhase.forwarded).toBeNull();
    expect(inPhase.inputs).toBe(3);
    const best = at(1, 0.95);
    const outOfPhase = buildAggregate(core, [at(1 + Math.PI / 2, 0.9), best, at(1 + Math.PI, 0.94)])!;
    expect(outOfPhase.forwarded).toBe(best);
    expect(outOfPhase.inputs).toBe(1);
    expect(outOfPhase.state).toEqual(buildAggregate(core, [best])!.state);
    expect(outOfPhase.r).toBeGreaterThan(0.95);
  });

  it('over budget the highest r are kept, never the first come', () => {
    const inputs = [0.1, 0.9, 0.3, 0.8, 0.5].map((r) => ({ phases: new Float64Array(8).fill(r), r }));
    expect(selectInputs(inputs, 2).map((i) => i.r)).toEqual([0.9, 0.8]);
  });

  it('a round keeps the best state per source', () => {
    const round = new AggregateRound<number>();
    round.add(1, { phases: new Float64Array(8), r: 0.4 });
    round.add(1, { phases: new Float64Array(8), r: 0.2 });
    round.add(2, { phases: new Float64Array(8), r: 0.7 });
    expect(round.take().map((i) => i.r).sort()).toEqual([0.4, 0.7]);
    expect(round.size).toBe(0);
  });

  it('parses relay modes and rejects others with a typed error', () => {
    expect(parseRelayMode(' Flood ')).toBe('flood');
    expect(parseRelayMode('aggregate')).toBe('aggregate');
    expect(() => parseRelayMode('eager')).toThrow(expect.objectContaining({ code: 'bad-relay-mode' }));
  });
});

describe('mesh (gossipsub D 6 / D_lo 4 / D_hi 12)', () => {
  it('fills to D below D_lo, prunes to D above D_hi, drops peers that left, only connected peers', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat(1000), { maxLength: 40 }), fc.uniqueArray(fc.nat(1000), { maxLength: 40 }), fc.nat(), (connected, current, seed) => {
        const rng = new Rng(seed);
        const mesh = maintainMesh(new Set(current), connected, (n) => rng.int(n));
        for (const id of mesh) expect(connected).toContain(id);
        expect(mesh.size).toBeLessThanOrEqual(Math.max(MESH_D_HI, MESH_D));
        expect(mesh.size).toBeGreaterThanOrEqual(Math.min(4, connected.length));
      }),
    );
  });
});
