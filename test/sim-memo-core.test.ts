import { describe, expect, it } from 'vitest';
import { createReferenceCore } from '../src/core/reference.js';
import { memoCore } from '../src/sim/memo-core.js';

const core = createReferenceCore();

describe('simulator memo core (same answers as the core, repeats from the table)', () => {
  it('decodePhaseState and sha256d answer as the core does; a repeat is a hit; malformed states still throw', () => {
    const m = memoCore(core);
    const states = Array.from({ length: 50 }, (_, k) => {
      const phases = Float64Array.from({ length: 64 }, (_, i) => (k * 0.37 + i * 0.11) % 6.28);
      return core.encodePhaseState(phases, 0.5 + k / 200, 1);
    });
    for (let round = 0; round < 3; round++) {
      for (const s of states) {
        expect(m.decodePhaseState(s)).toEqual(core.decodePhaseState(s));
        expect(m.sha256d(s.subarray(12))).toEqual(core.sha256d(s.subarray(12)));
      }
    }
    // direct-mapped: a colliding pair of the 50 would evict each other, so only most repeats are hits
    expect(m.memoStats.decodeMisses + m.memoStats.decodeHits).toBe(150);
    expect(m.memoStats.decodeHits).toBeGreaterThanOrEqual(90);
    expect(m.memoStats.hashHits).toBeGreaterThanOrEqual(90);
    const bad = states[0]!.slice();
    new DataView(bad.buffer).setFloat32(0, 1.5, true); // r > 1
    expect(() => m.decodePhaseState(bad)).toThrow();
    expect(() => m.decodePhaseState(bad)).toThrow();
    expect(m.encodePhaseState).toBe(core.encodePhaseState);
  });

  it('a caller changing its bytes after a call cannot poison the table', () => {
    const m = memoCore(core);
    const s = core.encodePhaseState(new Float64Array([1, 2, 3]), 0.9, 0);
    const d1 = m.sha256d(s);
    d1.fill(0); // a caller writing into its answer changes nothing for the next
    const first = m.decodePhaseState(s);
    s[12] ^= 1; // the same object, other bytes
    expect(m.decodePhaseState(s)).toEqual(core.decodePhaseState(s));
    expect(m.decodePhaseState(s)).not.toEqual(first);
    s[12] ^= 1;
    expect(m.sha256d(s)).toEqual(core.sha256d(s));
  });

  it('inputs alike at both ends but not in the middle get their own answers (the slot hash reads only the ends)', () => {
    const m = memoCore(core);
    const base = Float64Array.from({ length: 200 }, (_, i) => (i * 0.05) % 6.28);
    const a = core.encodePhaseState(base, 0.7, 1);
    const other = base.slice();
    other[100] = 3.0; // phase 100 sits at bytes 412..415: past the 32 head bytes, before the 16 tail bytes
    const b = core.encodePhaseState(other, 0.7, 1);
    expect(a.subarray(0, 32)).toEqual(b.subarray(0, 32));
    expect(a.subarray(-16)).toEqual(b.subarray(-16));
    for (let round = 0; round < 2; round++) {
      expect(m.decodePhaseState(a)).toEqual(core.decodePhaseState(a));
      expect(m.decodePhaseState(b)).toEqual(core.decodePhaseState(b));
      expect(m.sha256d(a)).toEqual(core.sha256d(a));
      expect(m.sha256d(b)).toEqual(core.sha256d(b));
    }
    expect(m.sha256d(a)).not.toEqual(m.sha256d(b));
  });
});
