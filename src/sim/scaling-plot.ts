// PHASE bytes per node against miners, log x axis, one line per relay (pure: reports in, SVG text out).
import { el, niceStep, svgDocument, text } from '../svg.js';

export interface RelayPoint { miners: number; bytesPerNodePerSec: number }

/** What a sim report (`--json`) holds that this plot needs. */
export interface RelayReport {
  params: { miners: number; relay?: string };
  bandwidth: { byType: Record<string, { bytesPerNodePerSec: number } | undefined> };
}

/** Group reports by relay, PHASE bytes per node per second, sorted by miners. */
export function phaseSeries(reports: readonly RelayReport[]): Map<string, RelayPoint[]> {
  const out = new Map<string, RelayPoint[]>();
  for (const r of reports) {
    const relay = r.params.relay ?? 'flood';
    const bytes = r.bandwidth.byType.PHASE?.bytesPerNodePerSec ?? 0;
    const list = out.get(relay) ?? [];
    list.push({ miners: r.params.miners, bytesPerNodePerSec: bytes });
    out.set(relay, list);
  }
  for (const l of out.values()) l.sort((a, b) => a.miners - b.miners);
  return out;
}

const COLORS: Record<string, string> = { flood: '#d62728', aggregate: '#1f77b4' };

/** One path per relay; x is log10(miners) over whole decades, y linear in KB/s from 0. */
export function phaseScalingChart(series: ReadonlyMap<string, readonly RelayPoint[]>, title: string): string {
  const W = 720, H = 420, m = { l: 64, r: 150, t: 40, b: 52 };
  const pw = W - m.l - m.r, ph = H - m.t - m.b;
  const all = [...series.values()].flat();
  const maxMiners = Math.max(10, ...all.map((p) => p.miners));
  const decades = Math.ceil(Math.log10(maxMiners));
  const yMaxRaw = Math.max(1, ...all.map((p) => p.bytesPerNodePerSec / 1000));
  const yStep = niceStep(yMaxRaw);
  const yMax = Math.ceil(yMaxRaw / yStep) * yStep;
  const X = (miners: number): number => m.l + (Math.log10(Math.max(1, miners)) / decades) * pw;
  const Y = (kb: number): number => m.t + ph - (kb / yMax) * ph;
  const parts: string[] = [text(m.l, 24, title, { 'font-size': 15, 'font-family': 'sans-serif' })];
  for (let d = 0; d <= decades; d++) {
    const x = X(10 ** d);
    parts.push(el('line', { x1: x, y1: m.t, x2: x, y2: m.t + ph, stroke: '#ddd', class: 'xtick' }));
    parts.push(text(x, m.t + ph + 18, String(10 ** d), { 'text-anchor': 'middle', 'font-size': 12, 'font-family': 'sans-serif' }));
  }
  for (let v = 0; v <= yMax + 1e-9; v += yStep) {
    const y = Y(v);
    parts.push(el('line', { x1: m.l, y1: y, x2: m.l + pw, y2: y, stroke: '#eee' }));
    parts.push(text(m.l - 6, y + 4, String(+v.toPrecision(3)), { 'text-anchor': 'end', 'font-size': 12, 'font-family': 'sans-serif' }));
  }
  parts.push(el('rect', { x: m.l, y: m.t, width: pw, height: ph, fill: 'none', stroke: '#333' }));
  parts.push(text(m.l + pw / 2, H - 12, 'miners (log scale)', { 'text-anchor': 'middle', 'font-size': 13, 'font-family': 'sans-serif' }));
  parts.push(text(16, m.t + ph / 2, 'PHASE KB/s per node', { 'font-size': 13, 'font-family': 'sans-serif', transform: `rotate(-90 16 ${m.t + ph / 2})`, 'text-anchor': 'middle' }));
  let i = 0;
  for (const [relay, pts] of series) {
    const color = COLORS[relay] ?? '#2ca02c';
    const d = pts.map((p, k) => `${k ? 'L' : 'M'}${X(p.miners).toFixed(1)} ${Y(p.bytesPerNodePerSec / 1000).toFixed(1)}`).join(' ');
    parts.push(el('path', { d, fill: 'none', stroke: color, 'stroke-width': 2, 'data-relay': relay }));
    for (const p of pts) parts.push(el('circle', { cx: X(p.miners), cy: Y(p.bytesPerNodePerSec / 1000), r: 3.5, fill: color }));
    const ly = m.t + 16 + i++ * 20;
    parts.push(el('line', { x1: m.l + pw + 12, y1: ly - 4, x2: m.l + pw + 32, y2: ly - 4, stroke: color, 'stroke-width': 2 }));
    parts.push(text(m.l + pw + 38, ly, relay, { 'font-size': 12, 'font-family': 'sans-serif' }));
  }
  return svgDocument(W, H, parts);
}
