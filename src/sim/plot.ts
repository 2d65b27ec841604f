// A dependency-free SVG line chart for the simulator's coverage curves (pure: data in, SVG text out).
import { escapeXml, niceStep } from '../svg.js';

export { niceStep };

export interface Series {
  name: string;
  points: readonly (readonly [number, number])[];
  color?: string;
  /** Thin and faint (e.g. one block among many). */
  faint?: boolean;
}

export interface ChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly Series[];
  /** Vertical markers (claims, bounds). */
  vlines?: readonly { x: number; label: string; color?: string }[];
  xMax?: number;
  yMax?: number;
  width?: number;
  height?: number;
}

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf'];

const esc = escapeXml;
const fmt = (v: number): string => (Math.abs(v) >= 100 || Number.isInteger(v) ? v.toFixed(0) : v.toPrecision(2));

export function lineChart(spec: ChartSpec): string {
  const W = spec.width ?? 940;
  const H = spec.height ?? 440;
  const m = { l: 64, r: 330, t: 40, b: 52 };
  const pw = W - m.l - m.r;
  const ph = H - m.t - m.b;
  let xMax = spec.xMax ?? 0;
  let yMax = spec.yMax ?? 0;
  if (spec.xMax === undefined) for (const s of spec.series) for (const [x] of s.points) xMax = Math.max(xMax, x);
  if (spec.yMax === undefined) for (const s of spec.series) for (const [, y] of s.points) yMax = Math.max(yMax, y);
  if (spec.xMax === undefined) for (const v of spec.vlines ?? []) xMax = Math.max(xMax, v.x * 1.05);
  xMax = xMax > 0 ? xMax : 1;
  yMax = yMax > 0 ? yMax : 1;
  const X = (x: number): number => m.l + (Math.min(x, xMax) / xMax) * pw;
  const Y = (y: number): number => m.t + ph - (Math.min(y, yMax) / yMax) * ph;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  out.push(`<text x="${W / 2 - m.r / 2}" y="22" text-anchor="middle" font-size="15">${esc(spec.title)}</text>`);
  const xs = niceStep(xMax);
  for (let v = 0; v <= xMax + 1e-9; v += xs) {
    out.push(`<line x1="${X(v).toFixed(1)}" y1="${m.t}" x2="${X(v).toFixed(1)}" y2="${m.t + ph}" stroke="#eee"/>`);
    out.push(`<text x="${X(v).toFixed(1)}" y="${m.t + ph + 16}" text-anchor="middle">${fmt(v)}</text>`);
  }
  const ys = niceStep(yMax, 5);
  for (let v = 0; v <= yMax + 1e-9; v += ys) {
    out.push(`<line x1="${m.l}" y1="${Y(v).toFixed(1)}" x2="${m.l + pw}" y2="${Y(v).toFixed(1)}" stroke="#eee"/>`);
    out.push(`<text x="${m.l - 6}" y="${(Y(v) + 4).toFixed(1)}" text-anchor="end">${fmt(v)}</text>`);
  }
  out.push(`<rect x="${m.l}" y="${m.t}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`);
  out.push(`<text x="${m.l + pw / 2}" y="${H - 12}" text-anchor="middle">${esc(spec.xLabel)}</text>`);
  out.push(`<text transform="translate(16 ${m.t + ph / 2}) rotate(-90)" text-anchor="middle">${esc(spec.yLabel)}</text>`);
  (spec.vlines ?? []).forEach((v, i) => {
    const c = v.color ?? '#555';
    out.push(`<line x1="${X(v.x).toFixed(1)}" y1="${m.t}" x2="${X(v.x).toFixed(1)}" y2="${m.t + ph}" stroke="${c}" stroke-dasharray="5 4"/>`);
    // Labels of lines in the right part of the plot go to their left, so they stay inside it.
    const right = X(v.x) > m.l + pw * 0.6;
    out.push(
      `<text x="${(X(v.x) + (right ? -4 : 4)).toFixed(1)}" y="${m.t + 14 + 14 * i}" fill="${c}" text-anchor="${right ? 'end' : 'start'}">${esc(v.label)}</text>`,
    );
  });
  let legend = 0;
  spec.series.forEach((s, i) => {
    const c = s.color ?? PALETTE[i % PALETTE.length]!;
    if (s.points.length === 0) return;
    const d = s.points.map(([x, y], k) => `${k ? 'L' : 'M'}${X(x).toFixed(1)} ${Y(y).toFixed(1)}`).join('');
    out.push(`<path d="${d}" fill="none" stroke="${c}" stroke-width="${s.faint ? 0.8 : 2.2}" stroke-opacity="${s.faint ? 0.35 : 1}"/>`);
    if (!s.faint) {
      const ly = m.t + 10 + 18 * legend++;
      out.push(`<line x1="${m.l + pw + 12}" y1="${ly}" x2="${m.l + pw + 32}" y2="${ly}" stroke="${c}" stroke-width="2.2"/>`);
      out.push(`<text x="${m.l + pw + 38}" y="${ly + 4}">${esc(s.name)}</text>`);
    }
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
