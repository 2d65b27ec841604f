import { describe, expect, it } from 'vitest';
import { RateMeter } from '../src/rate.js';

describe('RateMeter', () => {
  it('rate is units per second over the window; ETA from it', () => {
    const m = new RateMeter({ windowMs: 10_000 });
    expect(m.rate()).toBe(0);
    expect(m.eta(10)).toBeNull();
    m.add(0, 1000);
    expect(m.rate()).toBe(0);
    m.add(500, 2000);
    expect(m.rate()).toBe(500);
    expect(m.eta(1500)).toBe(2);
    expect(m.eta(400)).toBe(0);
  });

  it('drops samples older than the window (keeping two) and caps the count', () => {
    const m = new RateMeter({ windowMs: 1000, maxSamples: 4 });
    for (let t = 0; t <= 10_000; t += 100) m.add(t < 5000 ? t : 5000 + (t - 5000) * 10, t);
    expect(m.rate()).toBe(10_000); // only the recent fast samples count
    const c = new RateMeter({ windowMs: 1e9, maxSamples: 3 });
    for (let t = 0; t < 10; t++) c.add(t * t, t * 1000);
    expect(c.rate()).toBe((81 - 49) / 2); // samples t = 7, 8, 9
  });

  it('stepMs merges samples closer than a step (bounded under a fast caller)', () => {
    const m = new RateMeter({ windowMs: 1e9, stepMs: 250, maxSamples: 1e6 });
    for (let t = 0; t <= 1000; t++) m.add(t, t);
    expect(m.rate()).toBe(1000);
    expect((m as unknown as { samples: unknown[] }).samples.length).toBeLessThanOrEqual(6);
  });

  it('a falling value or no elapsed time is rate 0', () => {
    const m = new RateMeter();
    m.add(10, 0);
    m.add(5, 1000);
    expect(m.rate()).toBe(0);
    const z = new RateMeter();
    z.add(1, 5);
    z.add(2, 5);
    expect(z.rate()).toBe(0);
  });
});
