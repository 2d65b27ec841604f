// The dashboard at GET /: one self-contained page (inline CSS, JS and SVG) polling the API.
import { Z_C } from '../constants.js';
const WINDOW_MS = 5 * 60 * 1000;
const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>BloomCoin node</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:0;background:#0f1419;color:#e6e6e6}
header{padding:12px 20px;background:#18202a;display:flex;gap:16px;align-items:baseline}
h1{font-size:18px;margin:0;color:#f4a4c0}
main{padding:16px 20px;display:grid;gap:16px}
.cards{display:flex;gap:12px;flex-wrap:wrap}
.card{background:#18202a;border-radius:6px;padding:10px 14px;min-width:120px}
.card b{display:block;font-size:22px;color:#fff}
.card span{font-size:12px;color:#9aa}
svg{background:#18202a;border-radius:6px;width:100%;max-width:900px;height:260px}
table{border-collapse:collapse;width:100%;max-width:900px;font-size:13px}
td,th{padding:4px 8px;border-bottom:1px solid #2a3440;text-align:left}
.err{color:#ff7b7b}
.mono{font-family:ui-monospace,monospace;font-size:12px}
</style></head>
<body>
<header><h1>BloomCoin</h1><span id="network">…</span><span id="version" class="mono"></span><span id="error" class="err"></span></header>
<main>
<div class="cards">
 <div class="card"><b id="height">–</b><span>height</span></div>
 <div class="card"><b id="peers">–</b><span>peers</span></div>
 <div class="card"><b id="r">–</b><span>coherence r (Z<sub>C</sub> = ${Z_C.toFixed(4)})</span></div>
 <div class="card"><b id="rounds">–</b><span>rounds above Z<sub>C</sub></span></div>
 <div class="card"><b id="state">–</b><span>state</span></div>
</div>
<div class="mono">tip <span id="tip">–</span></div>
<svg id="chart" viewBox="0 0 900 260" preserveAspectRatio="none" role="img" aria-label="coherence r against Z_C">
 <line id="zc-line" x1="40" x2="890" stroke="#f4a4c0" stroke-dasharray="6 4" stroke-width="1.5"/>
 <text id="zc-label" x="44" fill="#f4a4c0" font-size="11">Z_C</text>
 <text x="4" y="16" fill="#9aa" font-size="11">1.0</text><text x="4" y="250" fill="#9aa" font-size="11">0.0</text>
 <polyline id="net-line" fill="none" stroke="#6ec1ff" stroke-width="1.5" points=""/>
 <polyline id="r-line" fill="none" stroke="#8ef08e" stroke-width="2" points=""/>
 <text x="40" y="258" fill="#9aa" font-size="10">−5 min</text><text x="868" y="258" fill="#9aa" font-size="10">now</text>
 <text x="760" y="16" fill="#8ef08e" font-size="11">local r</text><text x="820" y="16" fill="#6ec1ff" font-size="11">network</text>
</svg>
<table><thead><tr><th>peer</th><th>dir</th><th>height</th><th>r</th><th>ping</th><th>in/out</th><th>agent</th></tr></thead><tbody id="peer-rows"></tbody></table>
</main>
<script>
const ZC = ${Z_C}, WINDOW = ${WINDOW_MS};
const $ = (id) => document.getElementById(id);
const X0 = 40, X1 = 890, Y0 = 250, Y1 = 10;
const y = (r) => (Y0 - (Y0 - Y1) * Math.max(0, Math.min(1, r))).toFixed(1);
$('zc-line').setAttribute('y1', y(ZC)); $('zc-line').setAttribute('y2', y(ZC)); $('zc-label').setAttribute('y', y(ZC) - 4);
let local = [];
async function get(path) { const r = await fetch(path, { cache: 'no-store' }); if (!r.ok) throw new Error(path + ' ' + r.status); return r.json(); }
function draw(points) {
  const now = Date.now(), pts = points.filter((p) => p.t >= now - WINDOW);
  const x = (t) => (X0 + (X1 - X0) * (1 - (now - t) / WINDOW)).toFixed(1);
  $('r-line').setAttribute('points', pts.map((p) => x(p.t) + ',' + y(p.r)).join(' '));
  $('net-line').setAttribute('points', pts.map((p) => x(p.t) + ',' + y(p.network)).join(' '));
}
function text(id, v) { $(id).textContent = v; }
function td(v) { const c = document.createElement('td'); c.textContent = v; return c; }
async function tick() {
  try {
    const s = await get('/status');
    text('height', s.height); text('peers', s.peers); text('r', s.coherence.r.toFixed(4));
    text('rounds', s.coherenceRounds); text('network', s.network); text('version', 'v' + s.version);
    text('tip', s.tipHash);
    text('state', s.syncing ? 'syncing ' + s.sync.blocks + '/' + s.sync.targetHeight : s.mining ? 'mining' : 'idle');
    local.push({ t: Date.now(), r: s.coherence.r, network: s.networkCoherence });
    local = local.filter((p) => p.t >= Date.now() - WINDOW);
    const h = await get('/coherence');
    draw(h.points.length ? h.points : local);
    const peers = await get('/peers');
    const rows = peers.map((p) => { const tr = document.createElement('tr');
      [p.address, p.inbound ? 'in' : 'out', p.height, p.coherence.toFixed(3), p.pingMs == null ? '–' : p.pingMs + ' ms',
       p.bytesIn + '/' + p.bytesOut, p.userAgent].forEach((v) => tr.appendChild(td(v))); return tr; });
    $('peer-rows').replaceChildren(...rows);
    text('error', '');
  } catch (e) { text('error', String(e.message || e)); }
}
tick(); setInterval(tick, 1000);
</script>
</body></html>
`;
export function dashboardHtml() {
    return PAGE;
}
//# sourceMappingURL=dashboard.js.map