// A tiny SVG writer: escaped text, elements from attribute objects, one document wrapper, tick steps.
// Pure (data in, SVG text out), no dependency; the charts in src/sim/plot.ts and bench/chart.ts build on it.

export type Attrs = Readonly<Record<string, string | number | undefined>>;

/** Text and attribute values escaped for XML. */
export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Numbers in coordinates: at most one decimal, no "-0". */
export function num(v: number): string {
  const r = Math.round(v * 10) / 10;
  return Object.is(r, -0) ? '0' : String(r);
}

function attrs(a: Attrs): string {
  let out = '';
  for (const [k, v] of Object.entries(a)) {
    if (v === undefined) continue;
    out += ` ${k}="${typeof v === 'number' ? num(v) : escapeXml(v)}"`;
  }
  return out;
}

/** One element; `body` is raw SVG (children) or, with `text`, escaped text. */
export function el(name: string, a: Attrs = {}, body?: string | { text: string }): string {
  if (body === undefined) return `<${name}${attrs(a)}/>`;
  const inner = typeof body === 'string' ? body : escapeXml(body.text);
  return `<${name}${attrs(a)}>${inner}</${name}>`;
}

/** A `<text>` element with escaped content. */
export const text = (x: number, y: number, s: string, a: Attrs = {}): string => el('text', { x, y, ...a }, { text: s });

/** A whole document: white background, then the parts in order. */
export function svgDocument(width: number, height: number, parts: readonly string[], a: Attrs = {}): string {
  const head = el('rect', { width, height, fill: 'white' });
  const open = `<svg xmlns="http://www.w3.org/2000/svg"${attrs({ width, height, viewBox: `0 0 ${width} ${height}`, 'font-family': 'sans-serif', 'font-size': 12, ...a })}>`;
  return [open, head, ...parts, '</svg>'].join('\n') + '\n';
}

/** A "nice" tick step for a range (1, 2 or 5 × 10^k), about `target` ticks. */
export function niceStep(range: number, target = 6): number {
  if (!(range > 0)) return 1;
  const raw = range / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * mag;
}
