// The one conformance suite of the core, run over every backend (as noble-hashes runs one suite over
// every platform): js reference, wasm (SIMD build), wasm-scalar (core-scalar.wasm) and native where it
// loads. Exact vectors, node:crypto, and fast-check properties against the TS reference; then what only
// one backend has (the reference's sha256, the raw .wasm ABI, the native addon, packaging).
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { afterAll, beforeAll, describe, expect, it as vit } from 'vitest';
import fc from 'fast-check';
import { HEADER_SIZE, NONCE_OFFSET } from '../src/constants.js';
import { InputError, ProtocolError } from '../src/errors.js';
import { BROWSER_CORE_ASSETS, browserCoreAsset } from '../src/core/browser-assets.js';
import { CoreAbiError, loadCore } from '../src/core/index.js';
import { loadNativeAddon, loadNativeCore, type NativeAddon } from '../src/core/native.js';
import * as ref from '../src/core/reference.js';
import type { Core } from '../src/core/types.js';
import { bindCore, CORE_ABI_VERSION, loadWasmCore, Wasm, wasmPath, type CoreExports } from '../src/core/wasm.js';
import { SHA256_VECTORS } from './vectors/index.js';

const NO_NATIVE = process.env.BLOOMCOIN_NO_NATIVE === '1';
const TWO_PI = 2 * Math.PI;

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const fromHex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, 'hex'));
const ascii = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));
const nodeSha256 = (x: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(x).digest());
const nodeSha256d = (b: Uint8Array): Uint8Array =>
  new Uint8Array(createHash('sha256').update(createHash('sha256').update(b).digest()).digest());

/** Circular distance, so 2π − ε and 0 count as close. */
const angleDist = (a: number, b: number): number => {
  const d = Math.abs(a - b) % TWO_PI;
  return Math.min(d, TWO_PI - d);
};

/** Largest circular distance between two phase arrays of equal length. */
const maxAngleDist = (a: Float64Array, b: Float64Array): number => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, angleDist(a[i]!, b[i]!));
  return m;
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
/** The same hash as Bitcoin displays it (byte-reversed). */
const GENESIS_DISPLAY = SHA256_VECTORS.genesis.display;
const GENESIS_HEADER_BYTES = fromHex(GENESIS_HEADER);
// FIPS 180-2 / NIST CAVP examples: message → SHA-256 (test/vectors/sha256.json)
const NIST: [Uint8Array, string][] = SHA256_VECTORS.sha256.map((v) => [ascii(v.ascii.repeat(v.repeat ?? 1)), v.digest]);

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

/** The backends the suite runs on: the core's three, and the WASM core's scalar build. */
type Suite = 'js' | 'wasm' | 'wasm-scalar' | 'native';
const backendOf = (s: Suite): Core['backend'] => (s === 'wasm-scalar' ? 'wasm' : s);
const refCore = ref.createReferenceCore();

async function coreFor(suite: Suite): Promise<Core> {
  // native: load directly, so a missing build fails here instead of silently testing wasm
  if (suite === 'native') return loadNativeCore();
  if (suite === 'wasm-scalar') return loadWasmCore({ simd: false });
  return loadCore({ backend: suite });
}

function conformance(suite: Suite): void {
  const backend = backendOf(suite);
  describe(`core backend: ${suite}`, () => {
    let core: Core;
    let loadError: unknown;
    beforeAll(async () => {
      try {
        core = await coreFor(suite);
      } catch (err) {
        loadError = err;
      }
    });
    // a backend that fails to load fails every test with the reason (never a silent skip)
    const it = (name: string, fn: () => void | Promise<void>, timeout?: number) =>
      vit(
        name,
        () => {
          if (loadError) throw loadError;
          return fn();
        },
        timeout,
      );

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
              expect(ref.hashMeetsTargetBytes(nodeSha256d(h), target)).toBe(true);
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

    describe('exact values', () => {
      it('sha256d of the NIST messages = sha256 of their NIST digest', () => {
        for (const [msg, digest] of NIST) expect(hex(core.sha256d(msg))).toBe(hex(nodeSha256(fromHex(digest))));
      });

      it("hashes Bitcoin's genesis header", () => {
        expect(hex(core.sha256d(GENESIS_HEADER_BYTES).reverse())).toBe(GENESIS_DISPLAY);
      });

      it('batch hashes equal single hashes and reject ragged input', () => {
        const items = new Uint8Array(104 * 7).map((_, i) => i * 7);
        const out = core.sha256dBatch(items, 104);
        expect(out.length).toBe(7 * 32);
        for (let i = 0; i < 7; i++) {
          expect(hex(out.subarray(32 * i, 32 * i + 32))).toBe(hex(ref.sha256d(items.subarray(104 * i, 104 * i + 104))));
        }
        expect(core.sha256dBatch(new Uint8Array(0), 104).length).toBe(0);
        expect(() => core.sha256dBatch(new Uint8Array(105), 104)).toThrow(expect.objectContaining({ code: 'batch-ragged' }));
        expect(() => core.sha256dBatch(new Uint8Array(8), 0)).toThrow(expect.objectContaining({ code: 'bad-item-size' }));
      });

      it('grinds to the first nonce whose hash is ≤ the target', () => {
        const header = new Uint8Array(118).map((_, i) => (i * 13) & 0xff);
        const target = new Uint8Array(32).fill(0xff);
        target[0] = 0;
        target[1] = 0x3f; // ~1 in 1024 hashes qualifies
        const nonce = core.grindNonces(header, target, 1000, 20_000);
        expect(nonce).toBeGreaterThanOrEqual(1000);
        const h = header.slice();
        const dv = new DataView(h.buffer);
        for (let n = 1000; n <= nonce; n++) {
          dv.setUint32(114, n, true);
          expect(ref.hashMeetsTargetBytes(nodeSha256(nodeSha256(h)), target)).toBe(n === nonce);
        }
        expect(core.grindNonces(header, target, nonce + 1, 0)).toBe(-1);
        expect(core.grindNonces(header, new Uint8Array(32), 0, 500)).toBe(-1);
        expect(core.grindNonces(header, new Uint8Array(32).fill(0xff), 0xffff_ffff, 1)).toBe(0xffff_ffff);
        expect(() => core.grindNonces(header.subarray(0, 80), target, 0, 1)).toThrow(InputError);
        expect(() => core.grindNonces(header, target, 0xffff_ffff, 2)).toThrow(expect.objectContaining({ code: 'bad-nonce-range' }));
      });

      it('incorporates with the seed formula (numpy values, linspace truncation, wraparound)', () => {
        const out = core.incorporatePeerPhases(Float64Array.of(0.1, 6.2, 3.0, 1.5, 4.0), Float64Array.of(2.0, 0.05, 5.5), 0.3);
        const numpy = [0.5400043263163509, 0.3585423625250005, 2.860037558322427, 1.1155726122749723, 4.393301217829866];
        for (let i = 0; i < 5; i++) expect(out[i]).toBeCloseTo(numpy[i]!, 12);
        // weight 1 exposes the resampling indices: np.linspace(0, p−1, l).astype(int)
        const cases: [number, number, number[]][] = [
          [3, 7, [0, 0, 0, 1, 1, 1, 2]],
          [10, 4, [0, 3, 6, 9]],
          [5, 8, [0, 0, 1, 1, 2, 2, 3, 4]],
          [7, 1, [0]],
        ];
        for (const [p, l, idx] of cases) {
          const peer = Float64Array.from({ length: p }, (_, i) => 0.5 + 0.5 * i);
          const got = core.incorporatePeerPhases(new Float64Array(l), peer, 1);
          expect(Array.from(got, (x) => Math.round((x - 0.5) / 0.5))).toEqual(idx);
        }
        // 359° and 2° meet at 0.5°, not 180.5°
        const deg = Math.PI / 180;
        const w = core.incorporatePeerPhases(Float64Array.of(359 * deg), Float64Array.of(2 * deg), 0.5);
        expect(w[0]! / deg).toBeCloseTo(0.5, 9);
        expect(core.incorporatePeerPhases(new Float64Array(0), Float64Array.of(1), 0.1).length).toBe(0);
        expect(() => core.incorporatePeerPhases(Float64Array.of(1), new Float64Array(0))).toThrow(
          expect.objectContaining({ code: 'phases-empty' }),
        );
      });

      it('merges k states with weight / (total + weight), total starting at 1', () => {
        const m = core.mergePhaseStates([
          { phases: Float64Array.of(0, 1, 2, 3), r: 0.1, weight: 99 },
          { phases: Float64Array.of(0.5, 6.0), r: 0.2, weight: 2 },
          { phases: Float64Array.of(3, 3, 3, 3, 3, 3), r: 0.3, weight: 0.5 },
        ]);
        const numpy = [0.4244051286690096, 0.8002788163165021, 1.1077024225379468, 5.806310123346406];
        for (let i = 0; i < 4; i++) expect(m.phases[i]).toBeCloseTo(numpy[i]!, 12);
        expect(m.r).toBeCloseTo(0.8332965460283245, 12);
        const one = core.mergePhaseStates([{ phases: Float64Array.of(0, Math.PI), r: 0, weight: 1 }]);
        expect(Array.from(one.phases)).toEqual([0, Math.PI]);
        expect(one.r).toBeLessThan(1e-12);
        expect(() => core.mergePhaseStates([])).toThrow(InputError);
      });

      it('encodes `<ffI{n}f` with the seed downsampling (300 → 75, 10000 → 65, 256 kept)', () => {
        const phases = Float64Array.from({ length: 300 }, (_, i) => i * 0.01);
        const bytes = core.encodePhaseState(phases, 0.9, 1.25);
        expect(bytes.length).toBe(312);
        expect(hex(bytes.subarray(0, 24))).toBe('6666663f0000a03f4b000000000000000ad7233d0ad7a33d'); // struct.pack
        const dv = new DataView(bytes.buffer, bytes.byteOffset);
        for (let i = 0; i < 75; i++) expect(dv.getFloat32(12 + 4 * i, true)).toBe(Math.fround(phases[4 * i]!));
        expect(core.encodePhaseState(new Float64Array(10_000), 1, 0).length).toBe(12 + 4 * 65);
        expect(core.encodePhaseState(new Float64Array(256), 0, 0).length).toBe(12 + 4 * 256);
        expect(core.encodePhaseState(new Float64Array(257), 0, 0).length).toBe(12 + 4 * 65);
        expect(core.encodePhaseState(new Float64Array(4096), 0, 0).length).toBe(12 + 4 * 64);
        expect(() => core.encodePhaseState(new Float64Array(4), 1.5, 0)).toThrow(expect.objectContaining({ code: 'bad-phase-state' }));
        expect(() => core.encodePhaseState(Float64Array.of(NaN), 0.5, 0)).toThrow(InputError);
      });

      it('decodes and rejects each malformed state with its code', () => {
        const good = core.encodePhaseState(Float64Array.of(1, 2, 3), 0.5, 4);
        const d = core.decodePhaseState(good);
        expect(Array.from(d.phases)).toEqual([1, 2, 3]);
        expect([d.r, d.psi]).toEqual([0.5, 4]);
        expect(core.decodePhaseState(core.encodePhaseState(new Float64Array(0), 0, 0)).phases.length).toBe(0);
        const state = (r: number, psi: number, n: number, phases: number[], extra = 0): Uint8Array => {
          const b = new Uint8Array(12 + 4 * phases.length + extra);
          const v = new DataView(b.buffer);
          v.setFloat32(0, r, true);
          v.setFloat32(4, psi, true);
          v.setUint32(8, n, true);
          phases.forEach((p, i) => v.setFloat32(12 + 4 * i, p, true));
          return b;
        };
        const rejects: [Uint8Array, string][] = [
          [new Uint8Array(11), 'phase-too-short'],
          [new Uint8Array(0), 'phase-too-short'],
          [state(0.5, 0, 10_001, []), 'phase-too-many'],
          [state(0.5, 0, 0xffff_ffff, []), 'phase-too-many'],
          [state(0.5, 0, 3, [1, 2]), 'phase-bad-length'],
          [state(0.5, 0, 1, [1], 1), 'phase-bad-length'],
          [state(1.5, 0, 1, [1]), 'phase-bad-r'],
          [state(-0.01, 0, 1, [1]), 'phase-bad-r'],
          [state(NaN, 0, 1, [1]), 'phase-bad-r'],
          [state(0.5, Infinity, 1, [1]), 'phase-bad-psi'],
          [state(0.5, NaN, 1, [1]), 'phase-bad-psi'],
          [state(0.5, 0, 2, [1, NaN]), 'phase-bad-phase'],
          [state(0.5, 0, 2, [-Infinity, 1]), 'phase-bad-phase'],
        ];
        for (const [bytes, code] of rejects) {
          let err: unknown;
          try {
            core.decodePhaseState(bytes);
          } catch (e) {
            err = e;
          }
          expect(err, code).toBeInstanceOf(ProtocolError);
          expect((err as ProtocolError).code).toBe(code);
        }
        // a huge buffer is rejected from its prefix
        expect(() => core.decodePhaseState(new Uint8Array(5_000_000))).toThrow(expect.objectContaining({ code: 'phase-bad-length' }));
      });

      it('order parameter: r = |mean e^{iθ}|, psi in [0, 2π)', () => {
        const a = core.orderParameter(Float64Array.of(0.3, 0.3, 0.3));
        expect(a.r).toBeCloseTo(1, 14);
        expect(a.psi).toBeCloseTo(0.3, 14);
        const b = core.orderParameter(Float64Array.of(-0.5, -0.7));
        expect(b.psi).toBeCloseTo(TWO_PI - 0.6, 14);
        expect(b.r).toBeCloseTo(Math.cos(0.1), 14);
        expect(core.orderParameter(Float64Array.of(0, Math.PI / 2, Math.PI, 1.5 * Math.PI)).r).toBeLessThan(1e-15);
        expect(core.orderParameter(new Float64Array(0))).toEqual({ r: 0, psi: 0 });
      });

      it('kuramoto: steps = 0 changes nothing; input errors are typed', () => {
        const ph = Float64Array.of(0.1, 7, -1);
        const op = core.kuramotoIntegrate(ph, new Float64Array(3), 1, 0.1, 0);
        expect(Array.from(ph)).toEqual([0.1, 7, -1]);
        expect(op.r).toBeCloseTo(ref.orderParameter(Float64Array.of(0.1, 7, -1)).r, 12);
        expect(() => core.kuramotoIntegrate(ph, new Float64Array(2), 1, 0.1, 1)).toThrow(
          expect.objectContaining({ code: 'length-mismatch' }),
        );
        expect(() => core.kuramotoIntegrate(ph, new Float64Array(3), 1, 0.1, 1.5)).toThrow(InputError);
      });
    });

    describe('against the reference (properties)', () => {
      it('sha256d and batches of random bytes', () => {
        fc.assert(
          fc.property(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 1, max: 5 }), (data, k) => {
            expect(hex(core.sha256d(data))).toBe(hex(ref.sha256d(data)));
            const items = new Uint8Array(data.length * k).map((_, i) => data[i % Math.max(1, data.length)]! ^ i);
            if (data.length > 0) expect(hex(core.sha256dBatch(items, data.length))).toBe(hex(ref.sha256dBatch(items, data.length)));
          }),
          { numRuns: 200 },
        );
      });

      it('grindNonces agrees with the reference', () => {
        fc.assert(
          fc.property(
            fc.uint8Array({ minLength: 118, maxLength: 118 }),
            fc.integer({ min: 0, max: 0xffff_0000 }),
            fc.integer({ min: 0, max: 0x3ff }),
            (header, start, t) => {
              const target = new Uint8Array(32).fill(0xff);
              target[0] = 0;
              target[1] = t >> 2; // hits are rare to frequent depending on t
              expect(core.grindNonces(header, target, start, 300)).toBe(ref.grindNonces(header, target, start, 300));
            },
          ),
          { numRuns: 30 },
        );
      });

      it('orderParameter, incorporate and merge', () => {
        fc.assert(
          fc.property(phaseArb(0, 300), phaseArb(1, 300), fc.double({ min: 0, max: 0.45, noNaN: true }), (local, peer, w) => {
            const a = core.orderParameter(local);
            const b = ref.orderParameter(local);
            expect(Math.abs(a.r - b.r)).toBeLessThan(1e-12);
            if (b.r > 1e-6) expect(angleDist(a.psi, b.psi)).toBeLessThan(1e-9);
            expect(a.psi >= 0 && a.psi < TWO_PI).toBe(true);
            const x = core.incorporatePeerPhases(local, peer, w);
            expect(maxAngleDist(x, ref.incorporatePeerPhases(local, peer, w))).toBeLessThan(1e-12);
            for (const v of x) expect(v >= 0 && v < TWO_PI).toBe(true);
            const states = [
              { phases: local, r: 0, weight: 1 },
              { phases: peer, r: 0, weight: 0.2 + w },
            ];
            const m1 = core.mergePhaseStates(states);
            const m2 = ref.mergePhaseStates(states);
            expect(maxAngleDist(m1.phases, m2.phases)).toBeLessThan(1e-12);
            expect(Math.abs(m1.r - m2.r)).toBeLessThan(1e-12);
          }),
          { numRuns: 200 },
        );
      });

      it('encode is byte-identical and decode round-trips', () => {
        fc.assert(
          fc.property(phaseArb(0, 2000), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: TWO_PI, noNaN: true }), (p, r, psi) => {
            const e = core.encodePhaseState(p, r, psi);
            expect(hex(e)).toBe(hex(ref.encodePhaseState(p, r, psi)));
            expect(core.decodePhaseState(e)).toEqual(ref.decodePhaseState(e));
          }),
          { numRuns: 200 },
        );
      });

      it('decode of arbitrary bytes: same result or same error code as the reference', () => {
        const words = fc.array(fc.integer({ min: 0, max: 0xffff_ffff }), { maxLength: 40 });
        const wellSized = fc.tuple(fc.float(), fc.float(), words).map(([r, psi, ph]) => {
          const b = new Uint8Array(12 + 4 * ph.length);
          const v = new DataView(b.buffer);
          v.setFloat32(0, r, true);
          v.setFloat32(4, psi, true);
          v.setUint32(8, ph.length, true);
          ph.forEach((w, i) => v.setUint32(12 + 4 * i, w, true));
          return b;
        });
        const outcome = (c: Core, b: Uint8Array): unknown => {
          try {
            return c.decodePhaseState(b);
          } catch (e) {
            expect(e).toBeInstanceOf(ProtocolError);
            return (e as ProtocolError).code;
          }
        };
        fc.assert(
          fc.property(fc.oneof(fc.uint8Array({ maxLength: 64 }), wellSized), (b) => {
            expect(outcome(core, b)).toEqual(outcome(refCore, b));
          }),
          { numRuns: 500 },
        );
      });


    });

    describe('kuramoto physics', () => {
      it('settles near r∞ = √(1 − 2γ/K) for Lorentzian frequencies (N = 20000)', () => {
        const N = 20_000;
        const gamma = 0.5;
        const K = 3;
        // deterministic Lorentzian quantiles; phases spread by the golden ratio (initial r ≈ 0)
        const omegas = Float64Array.from({ length: N }, (_, i) => gamma * Math.tan(Math.PI * ((i + 0.5) / N - 0.5)));
        const phases = Float64Array.from({ length: N }, (_, i) => ((i * 0.6180339887498949) % 1) * TWO_PI);
        expect(core.orderParameter(phases).r).toBeLessThan(0.01);
        core.kuramotoIntegrate(phases, omegas, K, 0.05, 600);
        let sum = 0;
        for (let j = 0; j < 20; j++) sum += core.kuramotoIntegrate(phases, omegas, K, 0.05, 10).r;
        expect(Math.abs(sum / 20 - Math.sqrt(1 - (2 * gamma) / K))).toBeLessThan(0.03);
      }, 60_000);

      it('stays incoherent below the critical coupling K < 2γ', () => {
        const N = 20_000;
        const omegas = Float64Array.from({ length: N }, (_, i) => 0.5 * Math.tan(Math.PI * ((i + 0.5) / N - 0.5)));
        const phases = Float64Array.from({ length: N }, (_, i) => ((i * 0.6180339887498949) % 1) * TWO_PI);
        const { r } = core.kuramotoIntegrate(phases, omegas, 0.5, 0.05, 400);
        expect(r).toBeLessThan(0.1);
      }, 60_000);
    });
  });
}

conformance('js');
conformance('wasm');
conformance('wasm-scalar');

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

describe('reference sha256', () => {
  vit('matches the NIST vectors', () => {
    for (const [msg, digest] of NIST) expect(hex(ref.sha256(msg))).toBe(digest);
  });
  vit('matches node:crypto at every padding boundary', () => {
    for (let n = 0; n <= 200; n++) {
      const x = new Uint8Array(n).map((_, i) => (i * 31 + n) & 0xff);
      expect(hex(ref.sha256(x))).toBe(hex(nodeSha256(x)));
    }
  });
});


describe('wasm and wasm-scalar', () => {
  let simd: Core;
  let scalar: Core;
  beforeAll(async () => {
    simd = await loadWasmCore();
    scalar = await loadWasmCore({ simd: false });
  });

  vit('kuramotoIntegrate tracks the reference; the SIMD and scalar builds are bit-identical', () => {
    fc.assert(
      fc.property(
        phaseArb(1, 65),
        fc.integer({ min: 0, max: 20 }),
        fc.double({ min: 0, max: 5, noNaN: true }),
        fc.double({ min: 0.001, max: 0.1, noNaN: true }),
        (p, steps, k, dt) => {
          const omegas = p.map((_, i) => Math.sin(i * 1.7) * 2);
          const a = p.slice();
          const b = p.slice();
          const c = p.slice();
          const oa = simd.kuramotoIntegrate(a, omegas, k, dt, steps);
          const ob = ref.kuramotoIntegrate(b, omegas, k, dt, steps);
          const oc = scalar.kuramotoIntegrate(c, omegas, k, dt, steps);
          expect(maxAngleDist(a, b)).toBeLessThan(1e-9);
          expect(Math.abs(oa.r - ob.r)).toBeLessThan(1e-9);
          if (ob.r > 1e-6) expect(angleDist(oa.psi, ob.psi)).toBeLessThan(1e-6);
          expect(Array.from(a)).toEqual(Array.from(c));
          expect(oa).toEqual(oc);
          if (steps > 0) for (const v of a) expect(v >= 0 && v < TWO_PI).toBe(true);
          expect(simd.orderParameter(a)).toEqual(scalar.orderParameter(a));
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('loadCore', () => {
  vit('loads wasm by default, js on request, and native or a wasm fallback with a reason', async () => {
    expect((await loadCore()).backend).toBe('wasm');
    expect((await loadCore({ backend: 'js' })).backend).toBe('js');
    const warnings: unknown[] = [];
    const n = await loadCore({ backend: 'native', logger: { warn: (o: unknown) => warnings.push(o) } as never });
    if (n.backend === 'native') {
      expect(n.fallbackReason).toBeUndefined();
    } else {
      expect(n.backend).toBe('wasm');
      expect(n.fallbackReason).toMatch(/native core unavailable/);
      expect(warnings.length).toBe(1);
    }
    expect(hex(n.sha256d(GENESIS_HEADER_BYTES).reverse())).toBe(GENESIS_DISPLAY);
  });
});

describe('embedding build/core.wasm without a loader', () => {
  vit.each([true, false])('bare WebAssembly.instantiate (simd %s) runs sha256, sha256d and fastSin', async (useSimd) => {
    const bytes = await readFile(wasmPath(useSimd));
    const { instance } = await Wasm.instantiate(new Uint8Array(bytes), {});
    const x = instance.exports as CoreExports;
    expect(x.simd()).toBe(useSimd ? 1 : 0);
    const base = x.scratchBase();
    expect(base % 16).toBe(0);
    const mem = new Uint8Array(x.memory.buffer);
    mem.set(ascii('abc'), base);
    x.sha256(base, 3, base + 64);
    expect(hex(mem.slice(base + 64, base + 96))).toBe(NIST[1]![1]);
    mem.set(GENESIS_HEADER_BYTES, base);
    x.sha256d(base, 80, base + 128);
    expect(hex(mem.slice(base + 128, base + 160).reverse())).toBe(GENESIS_DISPLAY);
    // the fast sin/cos polynomial: stated bound 4.5e-16 absolute for |x| ≤ 1e5; checked at 1e-15
    let err = 0;
    for (let i = 0; i <= 20_000; i++) {
      const t = -100 + i * 0.01 + 1e-4 * Math.sin(i);
      err = Math.max(err, Math.abs(x.fastSin(t) - Math.sin(t)), Math.abs(x.fastCos(t) - Math.cos(t)));
    }
    for (const t of [1e3, -1e4, 99_999.5, Math.PI / 4, Math.PI / 2, 3 * Math.PI, 0, -0]) {
      err = Math.max(err, Math.abs(x.fastSin(t) - Math.sin(t)), Math.abs(x.fastCos(t) - Math.cos(t)));
    }
    expect(err).toBeLessThan(1e-15);
  });
  vit.each([true, false])('the Kuramoto step’s table sin/cos (simd %s) is within 1e-15 of Math.sin/cos on [0, 2π]', async (useSimd) => {
    const { instance } = await Wasm.instantiate(new Uint8Array(await readFile(wasmPath(useSimd))), {});
    const x = instance.exports as CoreExports;
    let err = 0;
    for (let i = 0; i <= 200_000; i++) {
      const t = (i / 200_000) * TWO_PI;
      err = Math.max(err, Math.abs(x.tableSin(t) - Math.sin(t)), Math.abs(x.tableCos(t) - Math.cos(t)));
    }
    // the table rows' own angles, and NaN through the masked index
    for (let j = 0; j <= 256; j++) {
      const t = (j / 256) * TWO_PI;
      err = Math.max(err, Math.abs(x.tableSin(t) - Math.sin(t)), Math.abs(x.tableCos(t) - Math.cos(t)));
    }
    expect(err).toBeLessThan(1e-15);
    expect(x.tableSin(NaN)).toBeNaN();
  });
});

describe('ABI version', () => {
  vit.each([true, false])('build (simd %s) exports abiVersion() = CORE_ABI_VERSION', async (useSimd) => {
    const { instance } = await Wasm.instantiate(new Uint8Array(await readFile(wasmPath(useSimd))), {});
    expect((instance.exports as CoreExports).abiVersion()).toBe(CORE_ABI_VERSION);
  });

  vit('bindCore refuses a module of another ABI, or one without abiVersion, with CoreAbiError', async () => {
    const { instance } = await Wasm.instantiate(new Uint8Array(await readFile(wasmPath())), {});
    const x = instance.exports as CoreExports;
    const wrong = { ...x, abiVersion: () => CORE_ABI_VERSION + 1 };
    expect(() => bindCore(wrong)).toThrow(CoreAbiError);
    expect(() => bindCore(wrong)).toThrow(/implements core ABI 2, this loader speaks ABI 1/);
    const { abiVersion: _drop, ...none } = x;
    expect(() => bindCore(none as CoreExports)).toThrow(/exports no abiVersion/);
    expect(bindCore(x).sha256d(GENESIS_HEADER_BYTES).reverse()).toEqual(fromHex(GENESIS_DISPLAY));
  });

  vit('loadCore({ wasm }) takes bytes and checks them', async () => {
    const core = await loadCore({ wasm: await readFile(wasmPath(false)) });
    expect(hex(core.sha256d(GENESIS_HEADER_BYTES).reverse())).toBe(GENESIS_DISPLAY);
    await expect(loadCore({ wasm: new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]) })).rejects.toThrow(CoreAbiError);
  });
});

describe('optional native build (the prepare step)', () => {
  const runStep = (env: Record<string, string>): { status: number | null; out: string } => {
    const dir = mkdtempSync(join(tmpdir(), 'bloom-native-'));
    try {
      cpSync('native/binding.gyp', join(dir, 'binding.gyp'));
      cpSync('native/src', join(dir, 'src'), { recursive: true });
      cpSync('native/optional-build.mjs', join(dir, 'optional-build.mjs'));
      const r = spawnSync(process.execPath, [join(dir, 'optional-build.mjs')], {
        env: { ...process.env, ...env },
        encoding: 'utf8',
        timeout: 120_000,
      });
      return { status: r.status, out: r.stdout + r.stderr };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  vit('a failing compiler prints one line, falls back to WASM and exits 0', () => {
    const r = runStep({ CXX: '/bin/false', CC: '/bin/false', BLOOMCOIN_NO_NATIVE: '' });
    expect(r.status).toBe(0);
    expect(r.out.trim().split('\n')).toHaveLength(1);
    expect(r.out).toMatch(/native addon not built .*falls back to WASM/);
  }, 130_000);

  vit('BLOOMCOIN_NO_NATIVE=1 skips it silently', () => {
    expect(runStep({ BLOOMCOIN_NO_NATIVE: '1' })).toEqual({ status: 0, out: '' });
  });
});

describe('browser assets', () => {
  vit('BROWSER_CORE_ASSETS is exactly the browser entry import graph (from dist/) plus build/core.wasm', () => {
    const seen = new Set<string>();
    const walk = (rel: string): void => {
      if (seen.has(rel)) return;
      seen.add(rel);
      const src = readFileSync(rel, 'utf8');
      for (const m of src.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)) {
        expect(m[1]!.startsWith('.'), `${rel} imports a bare specifier ${m[1]}`).toBe(true);
        walk(posix.normalize(posix.join(posix.dirname(rel), m[1]!)));
      }
    };
    walk('dist/core/browser.js');
    expect([...seen, 'build/core.wasm'].sort()).toEqual([...BROWSER_CORE_ASSETS].sort());
    expect(browserCoreAsset('build/core.wasm')?.contentType).toBe('application/wasm');
    expect(browserCoreAsset('dist/core/index.js')).toBeUndefined();
    expect(browserCoreAsset('../package.json')).toBeUndefined();
  });
});
