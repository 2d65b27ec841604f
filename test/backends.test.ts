// The same conformance suite on every core backend (js reference, wasm, native): exact vectors,
// node:crypto, and fast-check properties against the TS reference.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it as vit } from 'vitest';
import fc from 'fast-check';
import { HEADER_SIZE, NONCE_OFFSET } from '../src/constants.js';
import { InputError, ProtocolError } from '../src/errors.js';
import { loadCore } from '../src/core/index.js';
import { loadNativeAddon, loadNativeCore, type NativeAddon } from '../src/core/native.js';
import * as ref from '../src/core/reference.js';
import type { Backend, Core } from '../src/core/types.js';
import { SHA256_VECTORS } from './vectors/index.js';

const NO_NATIVE = process.env.BLOOMCOIN_NO_NATIVE === '1';
const TWO_PI = 2 * Math.PI;

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const fromHex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, 'hex'));
const nodeSha256d = (b: Uint8Array): Uint8Array =>
  new Uint8Array(createHash('sha256').update(createHash('sha256').update(b).digest()).digest());

/** Circular distance, so 2π − ε and 0 count as close. */
const angleDist = (a: number, b: number): number => {
  const d = Math.abs(a - b) % TWO_PI;
  return Math.min(d, TWO_PI - d);
};

function expectPhasesClose(got: Float64Array, want: Float64Array, tol: number): void {
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < got.length; i++) worst = Math.max(worst, angleDist(got[i]!, want[i]!));
  expect(worst).toBeLessThanOrEqual(tol);
}

function expectInRange(phases: Float64Array): void {
  for (const p of phases) {
    expect(p).toBeGreaterThanOrEqual(0);
    expect(p).toBeLessThan(TWO_PI);
  }
}

function expectCode(fn: () => unknown, type: typeof InputError | typeof ProtocolError, code: string): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(type);
  expect((caught as InputError).code).toBe(code);
}

// Bitcoin's genesis block header (80 bytes) and its hash in internal byte order.
const GENESIS_HEADER = SHA256_VECTORS.genesis.header;
const GENESIS_HASH = SHA256_VECTORS.genesis.sha256d;

const seeded = (seed: number): (() => number) => {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
};
const randomPhases = (n: number, seed: number): Float64Array => {
  const rnd = seeded(seed);
  return Float64Array.from({ length: n }, () => rnd() * TWO_PI);
};
const headerWith = (seed: number): Uint8Array => {
  const rnd = seeded(seed);
  return Uint8Array.from({ length: HEADER_SIZE }, () => Math.floor(rnd() * 256));
};

const phaseArb = (min: number, max: number) =>
  fc
    .array(fc.double({ min: 0, max: TWO_PI, maxExcluded: true, noNaN: true }), { minLength: min, maxLength: max })
    .map((a) => Float64Array.from(a));

async function coreFor(backend: Backend): Promise<Core> {
  // native: load directly, so a missing build fails here instead of silently testing wasm
  return backend === 'native' ? loadNativeCore() : loadCore({ backend });
}

function conformance(backend: Backend): void {
  describe(`core backend: ${backend}`, () => {
    let core: Core;
    let loadError: unknown;
    beforeAll(async () => {
      try {
        core = await coreFor(backend);
      } catch (err) {
        loadError = err;
      }
    });
    // a backend that fails to load fails every test with the reason (never a silent skip)
    const it = (name: string, fn: () => void | Promise<void>) =>
      vit(name, () => {
        if (loadError) throw loadError;
        return fn();
      });

    it('reports its backend', () => {
      expect(core.backend).toBe(backend);
    });

    describe('sha256d', () => {
      it('hashes Bitcoin’s genesis header and the empty string to their known values', () => {
        expect(hex(core.sha256d(fromHex(GENESIS_HEADER)))).toBe(GENESIS_HASH);
        expect(hex(core.sha256d(new Uint8Array(0)))).toBe(
          '5df6e0e2761359d30a8275058e299fcc0381534545f55cf43e41983f5d4c9456',
        );
        // SHA-256("abc") is the NIST FIPS 180-2 vector ba7816bf…; hashing it again gives this
        expect(hex(core.sha256d(new TextEncoder().encode('abc')))).toBe(
          '4f8b42c22dd3729b519ba6f68d2da7cc5b2d606d05daed5ad5128cc03e6c6358',
        );
      });

      it('matches node:crypto at every length 0..200 (all padding boundaries)', () => {
        const buf = Uint8Array.from({ length: 200 }, (_, i) => (i * 37 + 11) & 0xff);
        for (let len = 0; len <= 200; len++) {
          expect(hex(core.sha256d(buf.subarray(0, len)))).toBe(hex(nodeSha256d(buf.subarray(0, len))));
        }
      });

      it('matches node:crypto on random inputs, including views into larger buffers', () => {
        fc.assert(
          fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat({ max: 16 }), (data, off) => {
            const big = new Uint8Array(data.length + off + 3);
            big.set(data, off);
            expect(hex(core.sha256d(big.subarray(off, off + data.length)))).toBe(hex(nodeSha256d(data)));
          }),
          { numRuns: 200 },
        );
      });
    });

    describe('sha256dBatch', () => {
      it('equals the concatenation of single hashes', () => {
        fc.assert(
          fc.property(fc.integer({ min: 1, max: 130 }), fc.nat({ max: 9 }), fc.integer(), (itemSize, n, seed) => {
            const rnd = seeded(seed);
            const data = Uint8Array.from({ length: itemSize * n }, () => Math.floor(rnd() * 256));
            const out = core.sha256dBatch(data, itemSize);
            expect(out.length).toBe(32 * n);
            for (let i = 0; i < n; i++) {
              expect(hex(out.subarray(32 * i, 32 * i + 32))).toBe(
                hex(nodeSha256d(data.subarray(i * itemSize, (i + 1) * itemSize))),
              );
            }
          }),
          { numRuns: 60 },
        );
      });

      it('hashes 1000 headers of 104 bytes like node:crypto', () => {
        const data = Uint8Array.from({ length: 104 * 1000 }, (_, i) => (i * 131 + 7) & 0xff);
        const out = core.sha256dBatch(data, 104);
        for (const i of [0, 1, 499, 998, 999]) {
          expect(hex(out.subarray(32 * i, 32 * i + 32))).toBe(hex(nodeSha256d(data.subarray(104 * i, 104 * i + 104))));
        }
      });

      it('rejects ragged lengths and bad item sizes with typed errors', () => {
        expectCode(() => core.sha256dBatch(new Uint8Array(105), 104), InputError, 'batch-ragged');
        expectCode(() => core.sha256dBatch(new Uint8Array(8), 0), InputError, 'bad-item-size');
        expectCode(() => core.sha256dBatch(new Uint8Array(8), 2.5), InputError, 'bad-item-size');
        expect(core.sha256dBatch(new Uint8Array(0), 104).length).toBe(0);
      });
    });

    describe('grindNonces', () => {
      const ALL_FF = new Uint8Array(32).fill(0xff);

      it('finds the same first nonce as the reference for random headers and targets', () => {
        fc.assert(
          fc.property(fc.integer(), fc.nat({ max: 1_000_000 }), fc.integer({ min: 0, max: 0xff }), (seed, start, t1) => {
            const header = headerWith(seed);
            const target = new Uint8Array(32).fill(0xff);
            target[0] = 0;
            target[1] = t1; // about one nonce in 256·256/t1 qualifies
            const want = ref.grindNonces(header, target, start, 300);
            expect(core.grindNonces(header, target, start, 300)).toBe(want);
            if (want >= 0) {
              const h = header.slice();
              new DataView(h.buffer).setUint32(NONCE_OFFSET, want, true);
              expect(ref.hashMeetsTarget(nodeSha256d(h), target)).toBe(true);
            }
          }),
          { numRuns: backend === 'js' ? 15 : 40 },
        );
      });

      it('treats hash == target as a hit (≤, big-endian) and hash > target by one as a miss', () => {
        const header = headerWith(7);
        const h = header.slice();
        new DataView(h.buffer).setUint32(NONCE_OFFSET, 5, true);
        const hash = nodeSha256d(h);
        // nonces 0..4 must miss a target equal to nonce 5's hash for this check to be meaningful
        const earlier = ref.grindNonces(header, hash, 0, 5);
        const expected = earlier >= 0 ? earlier : 5;
        expect(core.grindNonces(header, hash, 0, 6)).toBe(expected);
        // one less than the hash (big-endian): nonce 5 no longer qualifies
        const below = hash.slice();
        let i = 31;
        while (below[i] === 0) below[i--] = 0xff;
        below[i]! -= 1;
        expect(core.grindNonces(header, below, 5, 1)).toBe(-1);
        expect(core.grindNonces(header, hash, 5, 1)).toBe(5);
      });

      it('returns the start nonce for the easiest target, -1 for an impossible one and for count 0', () => {
        const header = headerWith(3);
        expect(core.grindNonces(header, ALL_FF, 12345, 10)).toBe(12345);
        expect(core.grindNonces(header, new Uint8Array(32), 0, 500)).toBe(-1);
        expect(core.grindNonces(header, ALL_FF, 0, 0)).toBe(-1);
      });

      it('reaches the top of the u32 nonce space without wrapping', () => {
        const header = headerWith(11);
        expect(core.grindNonces(header, ALL_FF, 2 ** 32 - 1, 1)).toBe(2 ** 32 - 1);
        const target = new Uint8Array(32).fill(0xff);
        target[0] = 0x20;
        expect(core.grindNonces(header, target, 2 ** 32 - 40, 40)).toBe(ref.grindNonces(header, target, 2 ** 32 - 40, 40));
      });

      it('rejects bad headers, targets and ranges with typed errors', () => {
        const header = headerWith(1);
        expectCode(() => core.grindNonces(header.subarray(1), ALL_FF, 0, 1), InputError, 'bad-header-size');
        expectCode(() => core.grindNonces(header, ALL_FF.subarray(1), 0, 1), InputError, 'bad-target-size');
        expectCode(() => core.grindNonces(header, ALL_FF, 2 ** 32 - 1, 2), InputError, 'bad-nonce-range');
        expectCode(() => core.grindNonces(header, ALL_FF, -1, 2), InputError, 'bad-nonce-range');
        expectCode(() => core.grindNonces(header, ALL_FF, 0.5, 2), InputError, 'bad-nonce-range');
      });
    });

    describe('orderParameter', () => {
      it('gives exact values for aligned, opposed and empty phase sets', () => {
        const aligned = core.orderParameter(new Float64Array(100).fill(1.25));
        expect(aligned.r).toBeCloseTo(1, 12);
        expect(aligned.r).toBeLessThanOrEqual(1);
        expect(aligned.psi).toBeCloseTo(1.25, 12);
        expect(core.orderParameter(Float64Array.from([0, Math.PI])).r).toBeLessThan(1e-15);
        const third = core.orderParameter(Float64Array.from([0, TWO_PI / 3, (2 * TWO_PI) / 3]));
        expect(third.r).toBeLessThan(1e-15);
        expect(core.orderParameter(new Float64Array(0))).toEqual({ r: 0, psi: 0 });
        // psi of a cluster around 0 lands in [0, 2π), near 2π or near 0
        const wrapped = core.orderParameter(Float64Array.from([TWO_PI - 0.1, TWO_PI - 0.2, 0.05]));
        expect(wrapped.psi).toBeGreaterThanOrEqual(0);
        expect(wrapped.psi).toBeLessThan(TWO_PI);
        expect(angleDist(wrapped.psi, TWO_PI - 0.0833)).toBeLessThan(1e-3);
      });

      it('matches the reference on random phase sets (every length mod 8)', () => {
        fc.assert(
          fc.property(phaseArb(1, 300), (phases) => {
            const got = core.orderParameter(phases);
            const want = ref.orderParameter(phases);
            expect(Math.abs(got.r - want.r)).toBeLessThan(1e-12);
            if (want.r > 1e-6) expect(angleDist(got.psi, want.psi)).toBeLessThan(1e-9);
            expect(got.psi).toBeGreaterThanOrEqual(0);
            expect(got.psi).toBeLessThan(TWO_PI);
          }),
          { numRuns: 200 },
        );
      });
    });

    describe('kuramotoIntegrate', () => {
      it('matches the reference step for step on random systems', () => {
        fc.assert(
          fc.property(
            phaseArb(0, 70),
            fc.double({ min: 0, max: 5, noNaN: true }),
            fc.double({ min: 0.001, max: 0.2, noNaN: true }),
            fc.integer({ min: 0, max: 30 }),
            fc.integer(),
            (phases, k, dt, steps, seed) => {
              const rnd = seeded(seed);
              const omegas = Float64Array.from(phases, () => (rnd() - 0.5) * 4);
              const a = phases.slice();
              const b = phases.slice();
              const got = core.kuramotoIntegrate(a, omegas, k, dt, steps);
              const want = ref.kuramotoIntegrate(b, omegas, k, dt, steps);
              expectInRange(a);
              expectPhasesClose(a, b, 1e-9);
              expect(Math.abs(got.r - want.r)).toBeLessThan(1e-9);
              if (want.r > 1e-6) expect(angleDist(got.psi, want.psi)).toBeLessThan(1e-6);
            },
          ),
          { numRuns: 100 },
        );
      });

      it('keeps phases in [0, 2π) when one step moves them by many turns', () => {
        const phases = randomPhases(37, 5);
        const omegas = Float64Array.from({ length: 37 }, (_, i) => (i % 2 ? 1 : -1) * (50 + i * 40));
        const b = phases.slice();
        core.kuramotoIntegrate(phases, omegas, 1.5, 0.37, 3);
        ref.kuramotoIntegrate(b, omegas, 1.5, 0.37, 3);
        expectInRange(phases);
        expectPhasesClose(phases, b, 1e-9);
      });

      it('with zero steps leaves phases alone and returns their order parameter', () => {
        const phases = randomPhases(65, 9);
        const copy = phases.slice();
        const got = core.kuramotoIntegrate(phases, new Float64Array(65), 2, 0.1, 0);
        expect(phases).toEqual(copy);
        expect(got.r).toBeCloseTo(ref.orderParameter(copy).r, 12);
      });

      it('settles at r∞ = √(1 − 2γ/K) for Lorentzian frequencies at large N', () => {
        const n = 4096;
        const gamma = 0.1;
        const k = 1;
        // deterministic Lorentzian quantiles: ω = γ·tan(π(u − ½)), u at the midpoints of n bins
        const omegas = Float64Array.from({ length: n }, (_, i) => gamma * Math.tan(Math.PI * ((i + 0.5) / n - 0.5)));
        const phases = randomPhases(n, 42);
        core.kuramotoIntegrate(phases, omegas, k, 0.05, 1000);
        const { r } = core.kuramotoIntegrate(phases, omegas, k, 0.05, 200);
        expect(Math.abs(r - Math.sqrt(1 - (2 * gamma) / k))).toBeLessThan(0.02);
        expectInRange(phases);
      });

      it('rejects mismatched lengths and bad parameters with typed errors', () => {
        expectCode(() => core.kuramotoIntegrate(new Float64Array(3), new Float64Array(4), 1, 0.1, 1), InputError, 'length-mismatch');
        expectCode(() => core.kuramotoIntegrate(new Float64Array(3), new Float64Array(3), 1, 0.1, -1), InputError, 'bad-steps');
        expectCode(() => core.kuramotoIntegrate(new Float64Array(3), new Float64Array(3), NaN, 0.1, 1), InputError, 'bad-param');
      });
    });

    describe('phase merge and codec', () => {
      it('incorporatePeerPhases matches the reference (resampling and weights)', () => {
        fc.assert(
          fc.property(phaseArb(1, 90), phaseArb(1, 90), fc.double({ min: 0, max: 1, noNaN: true }), (local, peer, w) => {
            const got = core.incorporatePeerPhases(local, peer, w);
            expectInRange(got);
            expectPhasesClose(got, ref.incorporatePeerPhases(local, peer, w), 1e-9);
          }),
          { numRuns: 100 },
        );
      });

      it('mergePhaseStates matches the reference', () => {
        fc.assert(
          fc.property(
            fc.array(fc.record({ phases: phaseArb(1, 40), r: fc.constant(0.5), weight: fc.double({ min: 0, max: 3, noNaN: true }) }), {
              minLength: 1,
              maxLength: 5,
            }),
            (states) => {
              const got = core.mergePhaseStates(states);
              const want = ref.mergePhaseStates(states);
              expectPhasesClose(got.phases, want.phases, 1e-9);
              expect(Math.abs(got.r - want.r)).toBeLessThan(1e-9);
            },
          ),
          { numRuns: 60 },
        );
        expectCode(() => core.mergePhaseStates([]), InputError, 'no-states');
      });

      it('encode/decode round-trip at 64 and 10000 phases (the latter downsampled) and match the reference bytes', () => {
        for (const n of [0, 64, 256, 257, 10000]) {
          const phases = randomPhases(n, n);
          const bytes = core.encodePhaseState(phases, 0.75, 1.5);
          expect(hex(bytes)).toBe(hex(ref.encodePhaseState(phases, 0.75, 1.5)));
          const back = core.decodePhaseState(bytes);
          expect(back.r).toBe(0.75);
          expect(back.psi).toBe(1.5);
          const stride = n > 256 ? Math.floor(n / 64) : 1;
          expect(back.phases.length).toBe(Math.ceil(n / stride));
          for (let i = 0; i < back.phases.length; i++) expect(back.phases[i]).toBe(Math.fround(phases[i * stride]!));
        }
      });

      it('decode rejects every malformed shape with its ProtocolError code', () => {
        const good = core.encodePhaseState(randomPhases(4, 1), 0.5, 1);
        const dv = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);
        expectCode(() => core.decodePhaseState(good.subarray(0, 11)), ProtocolError, 'phase-too-short');
        const many = good.slice();
        dv(many).setUint32(8, 10001, true);
        expectCode(() => core.decodePhaseState(many), ProtocolError, 'phase-too-many');
        expectCode(() => core.decodePhaseState(good.subarray(0, good.length - 1)), ProtocolError, 'phase-bad-length');
        for (const r of [NaN, -0.01, 1.01]) {
          const b = good.slice();
          dv(b).setFloat32(0, r, true);
          expectCode(() => core.decodePhaseState(b), ProtocolError, 'phase-bad-r');
        }
        const psi = good.slice();
        dv(psi).setFloat32(4, Infinity, true);
        expectCode(() => core.decodePhaseState(psi), ProtocolError, 'phase-bad-psi');
        const ph = good.slice();
        dv(ph).setFloat32(12 + 4 * 3, NaN, true);
        expectCode(() => core.decodePhaseState(ph), ProtocolError, 'phase-bad-phase');
      });
    });
  });
}

conformance('js');
conformance('wasm');

if (NO_NATIVE) {
  describe('core backend: native (disabled by BLOOMCOIN_NO_NATIVE=1)', () => {
    vit('loadCore({ backend: "native" }) falls back to wasm and says why', async () => {
      const warnings: unknown[] = [];
      const core = await loadCore({ backend: 'native', logger: { warn: (o: unknown) => warnings.push(o) } as never });
      expect(core.backend).toBe('wasm');
      expect(core.fallbackReason).toMatch(/BLOOMCOIN_NO_NATIVE/);
      expect(warnings).toHaveLength(1);
      expect(hex(core.sha256d(fromHex(GENESIS_HEADER)))).toBe(GENESIS_HASH);
    });
  });
} else {
  conformance('native');

  describe('native addon specifics', () => {
    let addon: NativeAddon;
    let core: Core;
    let shaNiWasOn = false;
    let loadError: unknown;
    beforeAll(async () => {
      try {
        addon = loadNativeAddon();
        core = await loadNativeCore();
        shaNiWasOn = addon.info().sha === 'sha-ni';
      } catch (err) {
        loadError = err;
      }
    });
    const it = (name: string, fn: () => void | Promise<void>) =>
      vit(name, () => {
        if (loadError) throw loadError;
        return fn();
      });
    afterAll(() => {
      addon?.setShaNi(shaNiWasOn);
    });

    it('loadCore({ backend: "native" }) returns the native core without a fallback reason', async () => {
      const loaded = await loadCore({ backend: 'native' });
      expect(loaded.backend).toBe('native');
      expect(loaded.fallbackReason).toBeUndefined();
    });

    it('uses SHA-NI exactly when the CPU has it', async () => {
      const { readFileSync } = await import('node:fs');
      const cpuHasSha = /\bsha_ni\b/.test(readFileSync('/proc/cpuinfo', 'utf8'));
      expect(addon.info().shaNiSupported).toBe(cpuHasSha);
      expect(addon.info().sha).toBe(cpuHasSha ? 'sha-ni' : 'portable');
    });

    it('the path without SHA-NI (4-lane SIMD batches and grinding) agrees with node:crypto and the reference', () => {
      expect(addon.setShaNi(false)).toBe(false);
      try {
        expect(hex(core.sha256d(fromHex(GENESIS_HEADER)))).toBe(GENESIS_HASH);
        const buf = Uint8Array.from({ length: 200 }, (_, i) => (i * 53 + 1) & 0xff);
        for (let len = 0; len <= 200; len++) expect(hex(core.sha256d(buf.subarray(0, len)))).toBe(hex(nodeSha256d(buf.subarray(0, len))));
        // batches run four items per pass in SIMD lanes, the rest two at a time
        for (const itemSize of [1, 55, 64, 104, 130]) {
          const data = Uint8Array.from({ length: itemSize * 11 }, (_, i) => (i * 29 + itemSize) & 0xff);
          const out = core.sha256dBatch(data, itemSize);
          for (let i = 0; i < 11; i++) {
            expect(hex(out.subarray(32 * i, 32 * i + 32))).toBe(hex(nodeSha256d(data.subarray(i * itemSize, (i + 1) * itemSize))));
          }
        }
        // grinding: four nonces per pass, hits in any lane, odd counts end on the scalar tail
        for (let seed = 0; seed < 12; seed++) {
          const header = headerWith(100 + seed);
          const target = new Uint8Array(32).fill(0xff);
          target[0] = 0;
          target[1] = seed * 20;
          const start = 1000 + seed;
          const count = 600 + seed;
          expect(core.grindNonces(header, target, start, count)).toBe(ref.grindNonces(header, target, start, count));
        }
        const last = headerWith(5);
        const easy = new Uint8Array(32).fill(0xff);
        expect(core.grindNonces(last, easy, 2 ** 32 - 7, 7)).toBe(2 ** 32 - 7);
      } finally {
        addon.setShaNi(shaNiWasOn);
      }
    });

    it('its sin/cos polynomials stay within 2 ulp of 1 of Math.sin/cos over [−4π, 8π]', () => {
      const rnd = seeded(1234);
      let worst = 0;
      for (let i = 0; i < 50_000; i++) {
        const x = -4 * Math.PI + rnd() * 12 * Math.PI;
        const [s, c] = addon.sinCos(x);
        worst = Math.max(worst, Math.abs(s - Math.sin(x)), Math.abs(c - Math.cos(x)));
      }
      expect(worst).toBeLessThanOrEqual(2 * Number.EPSILON);
    });

    it('throws TypeError instead of crashing on wrong argument types', () => {
      expect(() => addon.sha256dInto(new Uint16Array(4) as never, new Uint8Array(32))).toThrow(TypeError);
      expect(() => addon.orderParameter(new Float32Array(4) as never)).toThrow(TypeError);
      expect(() => addon.grindNonces(new Uint8Array(118), new Uint8Array(32), 'x' as never, 1)).toThrow(TypeError);
      expect(() => addon.sha256dInto(new Uint8Array(4), new Uint8Array(31))).toThrow(RangeError);
    });

    it('hands a block with a huge or NaN step to the scalar path mid-array and still matches the reference', () => {
      for (const odd of [1e20, NaN]) {
        const phases = randomPhases(64, 8);
        const omegas = Float64Array.from({ length: 64 }, (_, i) => (i === 9 ? odd : (i % 5) * 0.3));
        const want = phases.slice();
        ref.kuramotoIntegrate(want, omegas, 1, 0.1, 4);
        core.kuramotoIntegrate(phases, omegas, 1, 0.1, 4);
        if (Number.isNaN(odd)) {
          // one NaN phase poisons the mean field, exactly as in the reference
          expect(Array.from(phases).every(Number.isNaN)).toBe(true);
          expect(Array.from(want).every(Number.isNaN)).toBe(true);
        } else {
          expectInRange(phases);
          expectPhasesClose(phases, want, 1e-9);
        }
      }
    });

    it('loads in a worker thread with its own result slot', async () => {
      const { Worker } = await import('node:worker_threads');
      const { nativeAddonPath } = await import('../src/core/native.js');
      const code = `
        const { parentPort, workerData } = require('node:worker_threads');
        const a = require(workerData);
        const slot = new Float64Array(2);
        a.bindResult(slot);
        a.orderParameter(new Float64Array(64).fill(2));
        parentPort.postMessage([slot[0], slot[1]]);`;
      const w = new Worker(code, { eval: true, workerData: nativeAddonPath() });
      try {
        const [r, psi] = await new Promise<number[]>((resolve, reject) => {
          w.once('message', resolve);
          w.once('error', reject);
        });
        expect(r).toBeCloseTo(1, 12);
        expect(psi).toBeCloseTo(2, 12);
        // the main thread's slot is untouched by the worker
        expect(core.orderParameter(new Float64Array(8).fill(0.5)).psi).toBeCloseTo(0.5, 12);
      } finally {
        await w.terminate();
      }
    });

    it('copes with phases and omegas that alias one buffer', () => {
      const buf = new Float64Array(randomPhases(64, 3));
      const want = buf.slice();
      ref.kuramotoIntegrate(want, buf.slice(), 1, 0.01, 3);
      core.kuramotoIntegrate(buf, buf, 1, 0.01, 3);
      expectPhasesClose(buf, want, 1e-9);
    });
  });
}
