// The core: WASM (SIMD and scalar builds) against the TS reference, node:crypto and exact values.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { BROWSER_CORE_ASSETS, browserCoreAsset } from '../src/core/browser-assets.js';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { CoreAbiError, loadCore, type Core } from '../src/core/index.js';
import * as R from '../src/core/reference.js';
import { bindCore, CORE_ABI_VERSION, loadWasmCore, Wasm, wasmPath, type CoreExports } from '../src/core/wasm.js';
import { InputError, ProtocolError } from '../src/errors.js';
import { SHA256_VECTORS } from './vectors/index.js';

const TWO_PI = 2 * Math.PI;
const hex = (u: Uint8Array): string => Buffer.from(u).toString('hex');
const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));
const ascii = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));
const nodeSha256 = (x: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(x).digest());
/** Distance on the circle. */
const circ = (a: number, b: number): number => {
  const d = Math.abs(a - b) % TWO_PI;
  return Math.min(d, TWO_PI - d);
};
const maxCirc = (a: Float64Array, b: Float64Array): number => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, circ(a[i]!, b[i]!));
  return m;
};
const phasesArb = (maxLength = 300, minLength = 0) =>
  fc.array(fc.double({ min: 0, max: TWO_PI, noNaN: true, maxExcluded: true }), { minLength, maxLength }).map((a) => Float64Array.from(a));

// FIPS 180-2 / NIST CAVP examples: message → SHA-256 (test/vectors/sha256.json)
const NIST: [Uint8Array, string][] = SHA256_VECTORS.sha256.map((v) => [ascii(v.ascii.repeat(v.repeat ?? 1)), v.digest]);

// Bitcoin's genesis block header (80 bytes) and its hash as usually displayed (byte-reversed).
const GENESIS_HEADER = unhex(SHA256_VECTORS.genesis.header);
const GENESIS_HASH = SHA256_VECTORS.genesis.display;

let simd: Core;
let scalar: Core;
const ref = R.createReferenceCore();

beforeAll(async () => {
  simd = await loadWasmCore();
  scalar = await loadWasmCore({ simd: false });
});

const backends = (): [string, Core][] => [
  ['wasm', simd],
  ['wasm-scalar', scalar],
  ['js', ref],
];

describe('reference sha256', () => {
  it('matches the NIST vectors', () => {
    for (const [msg, digest] of NIST) expect(hex(R.sha256(msg))).toBe(digest);
  });
  it('matches node:crypto at every padding boundary', () => {
    for (let n = 0; n <= 200; n++) {
      const x = new Uint8Array(n).map((_, i) => (i * 31 + n) & 0xff);
      expect(hex(R.sha256(x))).toBe(hex(nodeSha256(x)));
    }
  });
});

describe.each(['wasm', 'wasm-scalar', 'js'])('%s core: exact values', (name) => {
  const core = (): Core => backends().find(([n]) => n === name)![1];

  it('sha256d of the NIST messages = sha256 of their NIST digest', () => {
    for (const [msg, digest] of NIST) expect(hex(core().sha256d(msg))).toBe(hex(nodeSha256(unhex(digest))));
  });

  it("hashes Bitcoin's genesis header", () => {
    expect(hex(core().sha256d(GENESIS_HEADER).reverse())).toBe(GENESIS_HASH);
  });

  it('batch hashes equal single hashes and reject ragged input', () => {
    const items = new Uint8Array(104 * 7).map((_, i) => i * 7);
    const out = core().sha256dBatch(items, 104);
    expect(out.length).toBe(7 * 32);
    for (let i = 0; i < 7; i++) {
      expect(hex(out.subarray(32 * i, 32 * i + 32))).toBe(hex(R.sha256d(items.subarray(104 * i, 104 * i + 104))));
    }
    expect(core().sha256dBatch(new Uint8Array(0), 104).length).toBe(0);
    expect(() => core().sha256dBatch(new Uint8Array(105), 104)).toThrow(expect.objectContaining({ code: 'batch-ragged' }));
    expect(() => core().sha256dBatch(new Uint8Array(8), 0)).toThrow(expect.objectContaining({ code: 'bad-item-size' }));
  });

  it('grinds to the first nonce whose hash is ≤ the target', () => {
    const header = new Uint8Array(118).map((_, i) => (i * 13) & 0xff);
    const target = new Uint8Array(32).fill(0xff);
    target[0] = 0;
    target[1] = 0x3f; // ~1 in 1024 hashes qualifies
    const nonce = core().grindNonces(header, target, 1000, 20_000);
    expect(nonce).toBeGreaterThanOrEqual(1000);
    const h = header.slice();
    const dv = new DataView(h.buffer);
    for (let n = 1000; n <= nonce; n++) {
      dv.setUint32(114, n, true);
      expect(R.hashMeetsTarget(nodeSha256(nodeSha256(h)), target)).toBe(n === nonce);
    }
    expect(core().grindNonces(header, target, nonce + 1, 0)).toBe(-1);
    expect(core().grindNonces(header, new Uint8Array(32), 0, 500)).toBe(-1);
    expect(core().grindNonces(header, new Uint8Array(32).fill(0xff), 0xffff_ffff, 1)).toBe(0xffff_ffff);
    expect(() => core().grindNonces(header.subarray(0, 80), target, 0, 1)).toThrow(InputError);
    expect(() => core().grindNonces(header, target, 0xffff_ffff, 2)).toThrow(expect.objectContaining({ code: 'bad-nonce-range' }));
  });

  it('incorporates with the seed formula (numpy values, linspace truncation, wraparound)', () => {
    const out = core().incorporatePeerPhases(Float64Array.of(0.1, 6.2, 3.0, 1.5, 4.0), Float64Array.of(2.0, 0.05, 5.5), 0.3);
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
      const got = core().incorporatePeerPhases(new Float64Array(l), peer, 1);
      expect(Array.from(got, (x) => Math.round((x - 0.5) / 0.5))).toEqual(idx);
    }
    // 359° and 2° meet at 0.5°, not 180.5°
    const deg = Math.PI / 180;
    const w = core().incorporatePeerPhases(Float64Array.of(359 * deg), Float64Array.of(2 * deg), 0.5);
    expect(w[0]! / deg).toBeCloseTo(0.5, 9);
    expect(core().incorporatePeerPhases(new Float64Array(0), Float64Array.of(1), 0.1).length).toBe(0);
    expect(() => core().incorporatePeerPhases(Float64Array.of(1), new Float64Array(0))).toThrow(
      expect.objectContaining({ code: 'phases-empty' }),
    );
  });

  it('merges k states with weight / (total + weight), total starting at 1', () => {
    const m = core().mergePhaseStates([
      { phases: Float64Array.of(0, 1, 2, 3), r: 0.1, weight: 99 },
      { phases: Float64Array.of(0.5, 6.0), r: 0.2, weight: 2 },
      { phases: Float64Array.of(3, 3, 3, 3, 3, 3), r: 0.3, weight: 0.5 },
    ]);
    const numpy = [0.4244051286690096, 0.8002788163165021, 1.1077024225379468, 5.806310123346406];
    for (let i = 0; i < 4; i++) expect(m.phases[i]).toBeCloseTo(numpy[i]!, 12);
    expect(m.r).toBeCloseTo(0.8332965460283245, 12);
    const one = core().mergePhaseStates([{ phases: Float64Array.of(0, Math.PI), r: 0, weight: 1 }]);
    expect(Array.from(one.phases)).toEqual([0, Math.PI]);
    expect(one.r).toBeLessThan(1e-12);
    expect(() => core().mergePhaseStates([])).toThrow(InputError);
  });

  it('encodes `<ffI{n}f` with the seed downsampling (300 → 75, 10000 → 65, 256 kept)', () => {
    const phases = Float64Array.from({ length: 300 }, (_, i) => i * 0.01);
    const bytes = core().encodePhaseState(phases, 0.9, 1.25);
    expect(bytes.length).toBe(312);
    expect(hex(bytes.subarray(0, 24))).toBe('6666663f0000a03f4b000000000000000ad7233d0ad7a33d'); // struct.pack
    const dv = new DataView(bytes.buffer, bytes.byteOffset);
    for (let i = 0; i < 75; i++) expect(dv.getFloat32(12 + 4 * i, true)).toBe(Math.fround(phases[4 * i]!));
    expect(core().encodePhaseState(new Float64Array(10_000), 1, 0).length).toBe(12 + 4 * 65);
    expect(core().encodePhaseState(new Float64Array(256), 0, 0).length).toBe(12 + 4 * 256);
    expect(core().encodePhaseState(new Float64Array(257), 0, 0).length).toBe(12 + 4 * 65);
    expect(core().encodePhaseState(new Float64Array(4096), 0, 0).length).toBe(12 + 4 * 64);
    expect(() => core().encodePhaseState(new Float64Array(4), 1.5, 0)).toThrow(expect.objectContaining({ code: 'bad-phase-state' }));
    expect(() => core().encodePhaseState(Float64Array.of(NaN), 0.5, 0)).toThrow(InputError);
  });

  it('decodes and rejects each malformed state with its code', () => {
    const good = core().encodePhaseState(Float64Array.of(1, 2, 3), 0.5, 4);
    const d = core().decodePhaseState(good);
    expect(Array.from(d.phases)).toEqual([1, 2, 3]);
    expect([d.r, d.psi]).toEqual([0.5, 4]);
    expect(core().decodePhaseState(core().encodePhaseState(new Float64Array(0), 0, 0)).phases.length).toBe(0);
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
        core().decodePhaseState(bytes);
      } catch (e) {
        err = e;
      }
      expect(err, code).toBeInstanceOf(ProtocolError);
      expect((err as ProtocolError).code).toBe(code);
    }
    // a huge buffer is rejected from its prefix
    expect(() => core().decodePhaseState(new Uint8Array(5_000_000))).toThrow(expect.objectContaining({ code: 'phase-bad-length' }));
  });

  it('order parameter: r = |mean e^{iθ}|, psi in [0, 2π)', () => {
    const a = core().orderParameter(Float64Array.of(0.3, 0.3, 0.3));
    expect(a.r).toBeCloseTo(1, 14);
    expect(a.psi).toBeCloseTo(0.3, 14);
    const b = core().orderParameter(Float64Array.of(-0.5, -0.7));
    expect(b.psi).toBeCloseTo(TWO_PI - 0.6, 14);
    expect(b.r).toBeCloseTo(Math.cos(0.1), 14);
    expect(core().orderParameter(Float64Array.of(0, Math.PI / 2, Math.PI, 1.5 * Math.PI)).r).toBeLessThan(1e-15);
    expect(core().orderParameter(new Float64Array(0))).toEqual({ r: 0, psi: 0 });
  });

  it('kuramoto: steps = 0 changes nothing; input errors are typed', () => {
    const ph = Float64Array.of(0.1, 7, -1);
    const op = core().kuramotoIntegrate(ph, new Float64Array(3), 1, 0.1, 0);
    expect(Array.from(ph)).toEqual([0.1, 7, -1]);
    expect(op.r).toBeCloseTo(R.orderParameter(Float64Array.of(0.1, 7, -1)).r, 12);
    expect(() => core().kuramotoIntegrate(ph, new Float64Array(2), 1, 0.1, 1)).toThrow(
      expect.objectContaining({ code: 'length-mismatch' }),
    );
    expect(() => core().kuramotoIntegrate(ph, new Float64Array(3), 1, 0.1, 1.5)).toThrow(InputError);
  });
});

describe('wasm against the reference (properties)', () => {
  it('sha256d and batches of random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 1, max: 5 }), (data, k) => {
        expect(hex(simd.sha256d(data))).toBe(hex(R.sha256d(data)));
        expect(hex(scalar.sha256d(data))).toBe(hex(R.sha256d(data)));
        const items = new Uint8Array(data.length * k).map((_, i) => data[i % Math.max(1, data.length)]! ^ i);
        if (data.length > 0) expect(hex(simd.sha256dBatch(items, data.length))).toBe(hex(R.sha256dBatch(items, data.length)));
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
          expect(simd.grindNonces(header, target, start, 300)).toBe(R.grindNonces(header, target, start, 300));
        },
      ),
      { numRuns: 30 },
    );
  });

  it('orderParameter, incorporate and merge', () => {
    fc.assert(
      fc.property(phasesArb(), phasesArb(300, 1), fc.double({ min: 0, max: 0.45, noNaN: true }), (local, peer, w) => {
        const a = simd.orderParameter(local);
        const b = R.orderParameter(local);
        expect(Math.abs(a.r - b.r)).toBeLessThan(1e-12);
        if (b.r > 1e-6) expect(circ(a.psi, b.psi)).toBeLessThan(1e-9);
        expect(a.psi >= 0 && a.psi < TWO_PI).toBe(true);
        const x = simd.incorporatePeerPhases(local, peer, w);
        expect(maxCirc(x, R.incorporatePeerPhases(local, peer, w))).toBeLessThan(1e-12);
        for (const v of x) expect(v >= 0 && v < TWO_PI).toBe(true);
        const states = [
          { phases: local, r: 0, weight: 1 },
          { phases: peer, r: 0, weight: 0.2 + w },
        ];
        const m1 = simd.mergePhaseStates(states);
        const m2 = R.mergePhaseStates(states);
        expect(maxCirc(m1.phases, m2.phases)).toBeLessThan(1e-12);
        expect(Math.abs(m1.r - m2.r)).toBeLessThan(1e-12);
      }),
      { numRuns: 200 },
    );
  });

  it('encode is byte-identical and decode round-trips', () => {
    fc.assert(
      fc.property(phasesArb(2000), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: TWO_PI, noNaN: true }), (p, r, psi) => {
        const e = simd.encodePhaseState(p, r, psi);
        expect(hex(e)).toBe(hex(R.encodePhaseState(p, r, psi)));
        expect(simd.decodePhaseState(e)).toEqual(R.decodePhaseState(e));
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
        expect(outcome(simd, b)).toEqual(outcome(ref, b));
      }),
      { numRuns: 500 },
    );
  });

  it('kuramotoIntegrate tracks the reference; SIMD and scalar builds are bit-identical', () => {
    fc.assert(
      fc.property(
        phasesArb(65, 1),
        fc.integer({ min: 0, max: 20 }),
        fc.double({ min: 0, max: 5, noNaN: true }),
        fc.double({ min: 0.001, max: 0.1, noNaN: true }),
        (p, steps, k, dt) => {
          const omegas = p.map((_, i) => Math.sin(i * 1.7) * 2);
          const a = p.slice();
          const b = p.slice();
          const c = p.slice();
          const oa = simd.kuramotoIntegrate(a, omegas, k, dt, steps);
          const ob = R.kuramotoIntegrate(b, omegas, k, dt, steps);
          const oc = scalar.kuramotoIntegrate(c, omegas, k, dt, steps);
          expect(maxCirc(a, b)).toBeLessThan(1e-9);
          expect(Math.abs(oa.r - ob.r)).toBeLessThan(1e-9);
          if (ob.r > 1e-6) expect(circ(oa.psi, ob.psi)).toBeLessThan(1e-6);
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

describe('kuramoto physics', () => {
  it('settles near r∞ = √(1 − 2γ/K) for Lorentzian frequencies (N = 20000)', () => {
    const N = 20_000;
    const gamma = 0.5;
    const K = 3;
    // deterministic Lorentzian quantiles; phases spread by the golden ratio (initial r ≈ 0)
    const omegas = Float64Array.from({ length: N }, (_, i) => gamma * Math.tan(Math.PI * ((i + 0.5) / N - 0.5)));
    const phases = Float64Array.from({ length: N }, (_, i) => ((i * 0.6180339887498949) % 1) * TWO_PI);
    expect(simd.orderParameter(phases).r).toBeLessThan(0.01);
    simd.kuramotoIntegrate(phases, omegas, K, 0.05, 600);
    let sum = 0;
    for (let j = 0; j < 20; j++) sum += simd.kuramotoIntegrate(phases, omegas, K, 0.05, 10).r;
    expect(Math.abs(sum / 20 - Math.sqrt(1 - (2 * gamma) / K))).toBeLessThan(0.03);
  });

  it('stays incoherent below the critical coupling K < 2γ', () => {
    const N = 20_000;
    const omegas = Float64Array.from({ length: N }, (_, i) => 0.5 * Math.tan(Math.PI * ((i + 0.5) / N - 0.5)));
    const phases = Float64Array.from({ length: N }, (_, i) => ((i * 0.6180339887498949) % 1) * TWO_PI);
    const { r } = simd.kuramotoIntegrate(phases, omegas, 0.5, 0.05, 400);
    expect(r).toBeLessThan(0.1);
  });
});

describe('loadCore', () => {
  it('loads wasm by default, js on request, and native or a wasm fallback with a reason', async () => {
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
    expect(hex(n.sha256d(GENESIS_HEADER).reverse())).toBe(GENESIS_HASH);
  });
});

describe('embedding build/core.wasm without a loader', () => {
  it.each([true, false])('bare WebAssembly.instantiate (simd %s) runs sha256, sha256d and fastSin', async (useSimd) => {
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
    mem.set(GENESIS_HEADER, base);
    x.sha256d(base, 80, base + 128);
    expect(hex(mem.slice(base + 128, base + 160).reverse())).toBe(GENESIS_HASH);
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
});

describe('ABI version', () => {
  it.each([true, false])('build (simd %s) exports abiVersion() = CORE_ABI_VERSION', async (useSimd) => {
    const { instance } = await Wasm.instantiate(new Uint8Array(await readFile(wasmPath(useSimd))), {});
    expect((instance.exports as CoreExports).abiVersion()).toBe(CORE_ABI_VERSION);
  });

  it('bindCore refuses a module of another ABI, or one without abiVersion, with CoreAbiError', async () => {
    const { instance } = await Wasm.instantiate(new Uint8Array(await readFile(wasmPath())), {});
    const x = instance.exports as CoreExports;
    const wrong = { ...x, abiVersion: () => CORE_ABI_VERSION + 1 };
    expect(() => bindCore(wrong)).toThrow(CoreAbiError);
    expect(() => bindCore(wrong)).toThrow(/implements core ABI 2, this loader speaks ABI 1/);
    const { abiVersion: _drop, ...none } = x;
    expect(() => bindCore(none as CoreExports)).toThrow(/exports no abiVersion/);
    expect(bindCore(x).sha256d(GENESIS_HEADER).reverse()).toEqual(unhex(GENESIS_HASH));
  });

  it('loadCore({ wasm }) takes bytes and checks them', async () => {
    const core = await loadCore({ wasm: await readFile(wasmPath(false)) });
    expect(hex(core.sha256d(GENESIS_HEADER).reverse())).toBe(GENESIS_HASH);
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

  it('a failing compiler prints one line, falls back to WASM and exits 0', () => {
    const r = runStep({ CXX: '/bin/false', CC: '/bin/false', BLOOMCOIN_NO_NATIVE: '' });
    expect(r.status).toBe(0);
    expect(r.out.trim().split('\n')).toHaveLength(1);
    expect(r.out).toMatch(/native addon not built .*falls back to WASM/);
  }, 130_000);

  it('BLOOMCOIN_NO_NATIVE=1 skips it silently', () => {
    expect(runStep({ BLOOMCOIN_NO_NATIVE: '1' })).toEqual({ status: 0, out: '' });
  });
});

describe('browser assets', () => {
  it('BROWSER_CORE_ASSETS is exactly the browser entry import graph (from dist/) plus build/core.wasm', () => {
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
