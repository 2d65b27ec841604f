import { describe, expect, it } from 'vitest';
import { CERT_PHASES, Z_C } from '../src/constants.js';
import { createReferenceCore } from '../src/core/reference.js';
import { Rng } from '../src/prng.js';
import {
  DEFAULT_COUPLING,
  DEFAULT_GAMMA,
  Oscillators,
  certPhases,
  lorentzian,
  stationaryR,
} from '../src/miner/oscillators.js';

const core = createReferenceCore();

describe('oscillators', () => {
  it('default coupling puts the stationary r comfortably above Z_C', () => {
    const rInf = stationaryR(DEFAULT_GAMMA, DEFAULT_COUPLING);
    expect(rInf).toBeGreaterThan(Z_C + 0.05);
    expect(stationaryR(0.05, 0.09)).toBe(0); // below K_c = 2γ nothing locks
  });

  it('Lorentzian frequencies: median ≈ 0, quartiles ≈ ±γ; seeded and deterministic', () => {
    const rng = (seed: number): (() => number) => {
      const r = new Rng(seed);
      return () => r.next();
    };
    const w = lorentzian(20_000, 0.05, rng(7));
    const s = Float64Array.from(w).sort();
    expect(Math.abs(s[10_000]!)).toBeLessThan(0.005);
    expect(s[5_000]!).toBeCloseTo(-0.05, 2);
    expect(s[15_000]!).toBeCloseTo(0.05, 2);
    expect(lorentzian(5, 0.05, rng(7))).toEqual(lorentzian(5, 0.05, rng(7)));
  });

  it('a lone miner with the defaults reaches r > Z_C within a few rounds, and stays there', async () => {
    for (const seed of [1, 2, 3]) {
      const o = new Oscillators({ core, n: 4096, seed });
      expect(o.r).toBeLessThan(0.1);
      let first = -1;
      for (let round = 1; round <= 8 && first < 0; round++) if ((await o.step()).r > Z_C) first = round;
      expect(first).toBeGreaterThan(0);
      expect(first).toBeLessThanOrEqual(6);
      for (let i = 0; i < 7; i++) expect((await o.step()).r).toBeGreaterThan(Z_C);
      expect(o.certificate().r).toBeGreaterThan(Z_C);
    }
  });

  it('reseed() destroys coherence', async () => {
    const o = new Oscillators({ core, n: 2048, seed: 4 });
    for (let i = 0; i < 8; i++) await o.step();
    expect(o.r).toBeGreaterThan(Z_C);
    expect(o.reseed().r).toBeLessThan(0.1);
  });

  it('incorporation moves local phases toward the peer', () => {
    const o = new Oscillators({ core, n: 1024, seed: 5 });
    const peer = new Float64Array(64).fill(1.0); // a perfectly coherent peer at ψ = 1
    const along = (r: number, psi: number): number => r * Math.cos(psi - 1); // mean field along the peer's ψ
    const before = along(o.r, o.psi);
    let dist0 = 0;
    for (const th of o.phases) dist0 += 1 - Math.cos(th - 1);
    const after = o.incorporate([{ phases: peer, r: 1, weight: 0.1 }]);
    let dist1 = 0;
    for (const th of o.phases) dist1 += 1 - Math.cos(th - 1);
    expect(dist1).toBeLessThan(dist0);
    // uniform phases gain ≈ ½ · 0.1/0.9 ≈ 0.055 of mean field toward the peer's ψ
    expect(along(after.r, after.psi) - before).toBeGreaterThan(0.04);
    expect(along(after.r, after.psi) - before).toBeLessThan(0.07);
    // several peers at once still pull with weight 0.1
    const o2 = new Oscillators({ core, n: 1024, seed: 5 });
    const r2 = o2.incorporate([
      { phases: peer, r: 1, weight: 0.1 },
      { phases: peer, r: 1, weight: 0.1 },
      { phases: peer, r: 1, weight: 0.1 },
    ]).r;
    expect(r2).toBeCloseTo(after.r, 9);
    expect(o2.incorporate([]).r).toBe(r2);
  });

  it('peers speed up synchronisation', async () => {
    const peer = new Float64Array(64).fill(0.5);
    for (const seed of [1, 2, 5]) {
      const lone = new Oscillators({ core, n: 4096, seed });
      const helped = new Oscillators({ core, n: 4096, seed });
      for (let round = 0; round < 2; round++) {
        helped.incorporate([{ phases: peer, r: 1, weight: 0.1 }]);
        await lone.step();
        await helped.step();
        expect(helped.r).toBeGreaterThan(lone.r + 0.05);
      }
    }
  });

  it('certificate: 64 phases phases[::N/64] at float32, r recomputed from them', async () => {
    const o = new Oscillators({ core, n: 4096, seed: 9 });
    for (let i = 0; i < 8; i++) await o.step();
    const c = o.certificate();
    expect(c.phases.length).toBe(CERT_PHASES);
    expect(c.phases[1]).toBe(Math.fround(o.phases[64]!));
    expect(c.r).toBeCloseTo(core.orderParameter(c.phases).r, 12);
    expect(certPhases(new Float64Array(10)).length).toBe(10);
  });

  it('rejects bad parameters with typed errors', () => {
    expect(() => new Oscillators({ core, n: 0 })).toThrow(expect.objectContaining({ code: 'bad-oscillators' }));
    expect(() => new Oscillators({ core, n: 8, steps: 0 })).toThrow(expect.objectContaining({ code: 'bad-kuramoto' }));
  });
});
