import { describe, expect, it } from 'vitest';
import { systemClock, timeSource } from '../src/clock.js';

describe('clock', () => {
  it('systemClock reads wall time and runs timers', async () => {
    const t0 = Date.now();
    expect(Math.abs(systemClock.now() - t0)).toBeLessThan(1000);
    let fired = 0;
    const h = systemClock.setTimeout(() => fired++, 1);
    const cancelled = systemClock.setTimeout(() => (fired += 100), 1);
    systemClock.clearTimeout(cancelled);
    let ticks = 0;
    const iv = systemClock.setInterval(() => ticks++, 1);
    await new Promise((r) => setTimeout(r, 30));
    systemClock.clearInterval(iv);
    void h;
    expect(fired).toBe(1);
    expect(ticks).toBeGreaterThan(0);
  });

  it('timeSource wraps a now() option', () => {
    let t = 5;
    const s = timeSource(() => t);
    t = 9;
    expect(s.now()).toBe(9);
  });
});
