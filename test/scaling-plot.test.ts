import { describe, expect, it } from 'vitest';
import { phaseScalingChart, phaseSeries, type RelayReport } from '../src/sim/scaling-plot.js';

const rep = (miners: number, relay: string, bytes: number): RelayReport => ({
  params: { miners, relay },
  bandwidth: { byType: { PHASE: { bytesPerNodePerSec: bytes } } },
});

describe('PHASE scaling plot', () => {
  const reports = [rep(10, 'flood', 49_000), rep(1, 'flood', 4800), rep(1, 'aggregate', 2550), rep(1000, 'aggregate', 2780)];

  it('groups reports by relay, sorted by miners', () => {
    const s = phaseSeries(reports);
    expect([...s.keys()].sort()).toEqual(['aggregate', 'flood']);
    expect(s.get('flood')!.map((p) => p.miners)).toEqual([1, 10]);
  });

  it('draws one path per relay on a log x axis (one tick per decade, evenly spaced)', () => {
    const svg = phaseScalingChart(phaseSeries(reports), 't');
    expect(svg.match(/<path /g)).toHaveLength(2);
    expect(svg).toContain('data-relay="flood"');
    expect(svg).toContain('data-relay="aggregate"');
    const xs = [...svg.matchAll(/<line x1="([\d.]+)"[^>]*class="xtick"/g)].map((m) => Number(m[1]));
    expect(xs).toHaveLength(4); // 1, 10, 100, 1000
    const gaps = xs.slice(1).map((x, i) => x - xs[i]!);
    for (const g of gaps) expect(g).toBeCloseTo(gaps[0]!, 0);
    for (const t of ['>1<', '>10<', '>100<', '>1000<']) expect(svg).toContain(t);
  });
});
