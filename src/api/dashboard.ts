// The operator console at GET /: one page (inline CSS, JS and SVG) polling the JSON API once a second.
// It verifies the recent blocks it shows with the browser core it loads from /pkg/ (src/api/console.ts).
import { toHex } from '../bytes.js';
import { PROFILES, Z_C, type NetworkName } from '../constants.js';
import { genesisBlock } from '../chain/genesis.js';
import { createReferenceCore } from '../core/reference.js';
import { RECENT_BLOCKS_DEFAULT } from './console.js';
import { ROUND_SERIES_LEN, TIP_MARKS_LEN } from './rounds.js';

/** Rounds on the chart: all the node keeps (one minute at the devnet's 100 ms, six at mainnet's 618 ms). */
const CHART_ROUNDS = ROUND_SERIES_LEN;
/** The 1 Hz history a node that does not mine shows instead: 5 minutes. */
const HISTORY_WINDOW_MS = 5 * 60 * 1000;
/** Recent blocks are re-read at least this often even when the tip has not moved. */
const BLOCKS_REFRESH_MS = 10_000;

const page = (genesis: Record<NetworkName, string>): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>BloomCoin console</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:0;background:#0f1419;color:#e6e6e6}
header{padding:10px 20px;background:#18202a;display:flex;gap:16px;align-items:baseline;flex-wrap:wrap}
h1{font-size:18px;margin:0;color:#f4a4c0}
h2{font-size:13px;margin:0 0 6px;color:#9aa;font-weight:600;text-transform:uppercase;letter-spacing:.04em}
main{padding:14px 20px;display:grid;gap:14px;max-width:1180px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:10px}
.card{background:#18202a;border-radius:6px;padding:8px 12px}
.card b{display:block;font-size:20px;color:#fff;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.card span,.sub{font-size:12px;color:#9aa}
.panel{background:#18202a;border-radius:6px;padding:10px 12px;overflow-x:auto}
svg{width:100%;height:240px;display:block}
table{border-collapse:collapse;width:100%;font-size:13px}
td,th{padding:3px 8px;border-bottom:1px solid #2a3440;text-align:left;white-space:nowrap}
th{color:#9aa;font-weight:600}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.err{color:#ff7b7b}
.ok{color:#8ef08e}.bad{color:#ff7b7b;font-weight:600}.wait{color:#9aa}
.mono{font-family:ui-monospace,monospace;font-size:12px}
.badge{padding:1px 8px;border-radius:10px;background:#2a3440;font-size:12px}
.info{display:flex;gap:22px;flex-wrap:wrap;font-size:12px;color:#9aa}.info b{color:#e6e6e6;font-weight:500}
</style></head>
<body>
<header><h1>BloomCoin</h1><span id="network" class="badge">…</span><span id="state" class="badge">…</span>
<span id="version" class="mono"></span><span id="updated" class="sub"></span><span id="error" class="err"></span></header>
<main>
<div class="cards">
 <div class="card"><b id="height">–</b><span>height · tip <span id="tip-age">–</span></span></div>
 <div class="card"><b id="peers">–</b><span>peers (<span id="peers-dir">–</span>)</span></div>
 <div class="card"><b id="sync">–</b><span id="sync-detail">sync</span></div>
 <div class="card"><b id="hashrate">–</b><span>hashrate · <span id="mined">–</span> blocks mined</span></div>
 <div class="card"><b id="r">–</b><span>r now · <span id="rounds">–</span> rounds above Z<sub>C</sub></span></div>
 <div class="card"><b id="mempool-count">–</b><span><span id="mempool-bytes">–</span> · fee <span id="mempool-fees">–</span></span></div>
 <div class="card"><b id="uptime">–</b><span>uptime</span></div>
</div>
<div class="panel mono">tip <span id="tip">–</span></div>
<div class="info">
 <span>P2P listen <b id="listen" class="mono">–</b></span><span>API <b id="api" class="mono">–</b></span>
 <span>data dir <b id="datadir" class="mono">–</b></span><span>mining backend <b id="backend">–</b></span>
 <span>warnings <b id="warnings">none</b></span>
</div>
<div class="panel">
<h2>coherence r per round against Z<sub>C</sub> = ${Z_C.toFixed(4)}</h2>
<div class="sub"><span style="color:#8ef08e">━ <span id="series-name">r per round</span></span> · <span style="color:#f4a4c0">╌ Z<sub>C</sub></span> ·
 <span style="color:#6ec1ff">┆ new tip: the miner re-seeds its oscillators, so r starts over (the dips)</span></div>
<svg id="chart" viewBox="0 0 1000 240" preserveAspectRatio="none" role="img" aria-label="coherence r per round against Z_C, new tips marked">
 <line id="zc-line" x1="40" x2="990" stroke="#f4a4c0" stroke-dasharray="6 4" stroke-width="1.5"/>
 <text id="zc-label" x="44" fill="#f4a4c0" font-size="11">Z_C</text>
 <text x="4" y="16" fill="#9aa" font-size="11">1.0</text><text x="4" y="226" fill="#9aa" font-size="11">0.0</text>
 <g id="tip-marks"></g>
 <polyline id="r-line" fill="none" stroke="#8ef08e" stroke-width="1.5" points=""/>
 <text id="x-left" x="40" y="238" fill="#9aa" font-size="10"></text><text id="x-right" x="990" y="238" fill="#9aa" font-size="10" text-anchor="end"></text>
</svg>
</div>
<div class="panel"><h2>peers</h2>
<table><thead><tr><th>peer</th><th>dir</th><th class="n">height</th><th class="n">ping</th><th class="n">in</th><th class="n">out</th><th class="n">score</th><th>agent</th><th class="n">connected</th></tr></thead><tbody id="peer-rows"></tbody></table></div>
<div class="panel"><h2>recent blocks</h2><div id="verify-info" class="sub wait">loading the core…</div>
<table><thead><tr><th class="n">height</th><th>time (UTC)</th><th>hash</th><th class="n">txs</th><th class="n">size</th><th class="n">cert r</th><th>check</th></tr></thead><tbody id="block-rows"></tbody></table></div>
</main>
<script type="module">
const TIPS_KEPT = ${TIP_MARKS_LEN}, HISTORY_MS = ${HISTORY_WINDOW_MS}, ZC = ${Z_C}, GENESIS = ${JSON.stringify(genesis)}, CHART_ROUNDS = ${CHART_ROUNDS}, NBLOCKS = ${RECENT_BLOCKS_DEFAULT}, BLOCKS_MS = ${BLOCKS_REFRESH_MS};
const $ = (id) => document.getElementById(id);
const X0 = 40, X1 = 990, Y0 = 226, Y1 = 8;
const y = (r) => (Y0 - (Y0 - Y1) * Math.max(0, Math.min(1, r))).toFixed(1);
$('zc-line').setAttribute('y1', y(ZC)); $('zc-line').setAttribute('y2', y(ZC)); $('zc-label').setAttribute('y', y(ZC) - 4);
$('api').textContent = location.host;

// ---- units (1 KB = 1000 B, as the peers' byte counts are read)
const fmtBytes = (n) => n < 1000 ? n + ' B' : n < 1e6 ? (n / 1e3).toFixed(1) + ' KB' : n < 1e9 ? (n / 1e6).toFixed(1) + ' MB' : (n / 1e9).toFixed(2) + ' GB';
const fmtRate = (h) => h < 1e3 ? h.toFixed(0) + ' H/s' : h < 1e6 ? (h / 1e3).toFixed(1) + ' kH/s' : h < 1e9 ? (h / 1e6).toFixed(2) + ' MH/s' : (h / 1e9).toFixed(2) + ' GH/s';
const pad = (n) => String(n).padStart(2, '0');
function fmtDur(s) {
  s = Math.max(0, Math.floor(s));
  const d = Math.floor(s / 86400), h = Math.floor(s / 3600) % 24, m = Math.floor(s / 60) % 60, sec = s % 60;
  return d ? d + 'd ' + h + 'h' : h ? h + 'h ' + pad(m) + 'm' : m ? m + 'm ' + pad(sec) + 's' : sec + 's';
}
function fmtBloom(units) {
  if (units == null) return '–';
  const x = BigInt(units), i = x / 100000000n, f = (x % 100000000n).toString().padStart(8, '0').replace(/0+$/, '');
  return i + (f ? '.' + f : '');
}
const fmtTime = (ms) => { const d = new Date(ms); return pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes()) + ':' + pad(d.getUTCSeconds()); };
const fromHex = (s) => Uint8Array.from(s.match(/../g) || [], (x) => parseInt(x, 16));
function text(id, v, raw) { const e = $(id); e.textContent = v; if (raw !== undefined) e.dataset.value = String(raw); }
function cell(v, cls) { const c = document.createElement('td'); c.textContent = v; if (cls) c.className = cls; return c; }
// relative URLs: the console also works behind a reverse proxy that mounts the API under a prefix
async function get(path) { const r = await fetch(path, { cache: 'no-store' }); if (!r.ok) throw new Error(path + ': HTTP ' + r.status); return r.json(); }

// ---- block checks in this browser, with the package's browser core
const verifier = (async () => {
  const [{ loadCore }, { checkBlockProof }] = await Promise.all([import('./pkg/dist/core/browser.js'), import('./pkg/dist/api/block-check.js')]);
  const core = await loadCore();
  return { core, check: checkBlockProof };
})();
verifier.then((v) => { text('verify-info', 'each block checked in this browser with bloomcoin/core (' + v.core.backend + '): sha256d(header) ≤ target, r recomputed from the 64 certificate phases ≥ Z_C, certificate bound to the header (certHash); genesis by its hash. Tx count and size as served.'); $('verify-info').className = 'sub ok'; },
  (e) => { text('verify-info', 'cannot load the core, blocks unverified: ' + (e.message || e)); $('verify-info').className = 'sub bad'; });
const verdicts = new Map();
async function verdictOf(b, network) {
  const key = [b.hash, b.header, b.certificate, b.minerAddress, network].join(':');
  if (!verdicts.has(key)) {
    const { core, check } = await verifier;
    const v = check(core, { header: fromHex(b.header), certificate: fromHex(b.certificate), minerAddress: fromHex(b.minerAddress), hash: fromHex(b.hash), genesisHash: fromHex(GENESIS[network] || '') });
    if (verdicts.size > 256) verdicts.clear();
    verdicts.set(key, v);
  }
  return verdicts.get(key);
}

// ---- chart: r per round (or, on a node that does not mine, its 1 Hz r history), new tips as marks
function drawChart(rs, hist) {
  const marks = [];
  let pts = [];
  if (rs.rounds.length) {
    const rounds = rs.rounds.slice(-CHART_ROUNDS);
    const first = rounds[0].round, newest = rounds[rounds.length - 1].round, span = Math.max(1, CHART_ROUNDS - 1);
    const x = (round) => X1 - (X1 - X0) * ((newest - round) / span); // newest at the right edge
    pts = rounds.map((p) => x(p.round).toFixed(1) + ',' + y(p.r));
    for (const tip of rs.tips) {
      const at = rounds.find((p) => p.t >= tip.t); // the first round after the tip: the one that re-seeded
      if (at) marks.push({ x: x(at.round), tip });
    }
    text('series-name', 'r per round');
    text('x-left', 'round ' + Math.max(1, newest - span) + ' (−' + fmtDur((span * rs.intervalMs) / 1000) + ')'); text('x-right', 'round ' + newest + ' (' + (rs.intervalMs / 1000).toFixed(3) + ' s each)');
  } else {
    const now = Date.now(), W = HISTORY_MS, pts0 = hist.points.filter((p) => p.t >= now - W);
    const x = (t) => X0 + (X1 - X0) * (1 - (now - t) / W);
    pts = pts0.map((p) => x(p.t).toFixed(1) + ',' + y(p.r));
    for (const tip of rs.tips) if (tip.t >= now - W) marks.push({ x: x(tip.t), tip });
    text('series-name', 'r once a second (no rounds: this node does not mine)');
    text('x-left', '−' + fmtDur(W / 1000)); text('x-right', 'now');
  }
  $('r-line').setAttribute('points', pts.join(' '));
  const ns = 'http://www.w3.org/2000/svg';
  let lastLabel = -1e9;
  $('tip-marks').replaceChildren(...marks.map((m) => {
    const g = document.createElementNS(ns, 'g'); g.setAttribute('class', 'tip'); g.dataset.height = m.tip.height;
    const l = document.createElementNS(ns, 'line');
    for (const [k, v] of [['x1', m.x], ['x2', m.x], ['y1', Y1], ['y2', Y0], ['stroke', '#6ec1ff'], ['stroke-dasharray', '2 3']]) l.setAttribute(k, String(v));
    const t = document.createElementNS(ns, 'text');
    for (const [k, v] of [['x', m.x + 2], ['y', Y0 - 4], ['fill', '#6ec1ff'], ['font-size', '10']]) t.setAttribute(k, String(v));
    t.textContent = '#' + m.tip.height;
    g.append(l);
    if (m.x - lastLabel >= 28) { g.append(t); lastLabel = m.x; } // labels of close tips would overlap
    return g;
  }));
}

// ---- tables
function drawPeers(peers) {
  text('peers-dir', peers.filter((p) => p.inbound).length + ' in, ' + peers.filter((p) => !p.inbound).length + ' out');
  const now = Date.now();
  $('peer-rows').replaceChildren(...peers.map((p) => {
    const tr = document.createElement('tr'); tr.dataset.id = p.id;
    tr.append(cell(p.address, 'mono'), cell(p.inbound ? 'in' : 'out'), cell(String(p.height), 'n'), cell(p.pingMs == null ? '–' : p.pingMs + ' ms', 'n'),
      cell(fmtBytes(p.bytesIn), 'n'), cell(fmtBytes(p.bytesOut), 'n'), cell(String(p.score), 'n'), cell(p.userAgent, 'mono'), cell(fmtDur((now - p.connectedAt) / 1000), 'n'));
    return tr;
  }));
}
async function drawBlocks(rb, network) {
  const now = Date.now();
  const rows = await Promise.all(rb.blocks.map(async (b) => {
    const tr = document.createElement('tr'); tr.dataset.height = b.height; tr.dataset.hash = b.hash;
    let v = null, why = '';
    try { v = await verdictOf(b, network); } catch (e) { why = String(e.message || e); }
    tr.dataset.verdict = v ? (v.verified ? 'verified' : 'failed') : 'unverified';
    const check = v ? (v.verified ? (v.genesis ? '✓ genesis' : '✓ verified') : '✗ failed: ' + v.failures.map((f) => f.code).join(', ')) : '? ' + why;
    const c = cell(check, v ? (v.verified ? 'ok' : 'bad') : 'wait');
    if (v && !v.verified) c.title = v.failures.map((f) => f.message).join('; ');
    tr.append(cell(String(b.height), 'n'), cell(fmtTime(b.time) + ' (' + fmtDur((now - b.time) / 1000) + ' ago)'), cell(b.hash.slice(0, 16) + '…', 'mono'),
      cell(String(b.txs), 'n'), cell(fmtBytes(b.size), 'n'), cell(v && Number.isFinite(v.r) ? v.r.toFixed(4) : '–', 'n'), c);
    return tr;
  }));
  $('block-rows').replaceChildren(...rows);
}

// ---- the loop
let lastRound = 0, lastUptime = 0, series = { rounds: [], tips: [], intervalMs: 618 }, blocksTip = '', blocksAt = 0;
function drawStatus(s) {
  text('network', s.network); text('version', 'v' + s.version + ' ' + s.userAgent);
  text('height', String(s.height), s.height); text('tip', s.tipHash); text('tip-age', fmtDur((Date.now() - s.tipTime) / 1000) + ' ago');
  text('peers', String(s.peers), s.peers);
  const sy = s.sync, pct = sy.targetHeight > 0 ? Math.min(100, (100 * sy.blocks) / sy.targetHeight) : 100;
  if (s.syncing) {
    text('sync', sy.blocks + ' / ' + sy.targetHeight, sy.blocks);
    text('sync-detail', 'syncing ' + pct.toFixed(1) + '% · ' + sy.rate.toFixed(1) + ' blk/s · ETA ' + (sy.etaSec == null ? '–' : fmtDur(sy.etaSec)) + ' · headers ' + sy.headers);
  } else {
    text('sync', 'in sync', sy.blocks);
    text('sync-detail', 'sync · headers ' + sy.headers + ' · blocks ' + sy.blocks + ' · peers’ best ' + sy.targetHeight);
  }
  text('state', s.syncing ? 'syncing' : s.mining ? 'mining' + (s.miningActivity ? ' · ' + s.miningActivity : '') : 'not mining');
  text('hashrate', s.hashrate == null ? '–' : fmtRate(s.hashrate), s.hashrate ?? '');
  text('mined', s.blocksMined == null ? '–' : String(s.blocksMined), s.blocksMined ?? '');
  text('r', s.coherence.r.toFixed(4), s.coherence.r); text('rounds', String(s.coherenceRounds), s.coherenceRounds);
  text('uptime', fmtDur(s.uptimeSec), s.uptimeSec);
  text('listen', s.listen || 'not listening'); text('datadir', s.dataDir || '–'); text('backend', s.miningBackend || '–');
  text('warnings', s.warnings && s.warnings.length ? s.warnings.join('; ') : 'none'); $('warnings').className = s.warnings && s.warnings.length ? 'err' : '';
}
function drawMempool(m) {
  text('mempool-count', m.count + (m.count === 1 ? ' tx' : ' txs'), m.count);
  text('mempool-bytes', fmtBytes(m.bytes), m.bytes);
  text('mempool-fees', m.feeMin == null ? '–' : fmtBloom(m.feeMin) + '–' + fmtBloom(m.feeMax) + ' BLOOM');
}
async function tick() {
  try {
    const [s, peers, rs, mp] = await Promise.all([get('status'), get('peers'), get('coherence/rounds?since=' + lastRound), get('mempool/summary')]);
    if (s.uptimeSec < lastUptime) { series = { rounds: [], tips: [], intervalMs: 618 }; lastRound = 0; } // the node restarted
    lastUptime = s.uptimeSec;
    drawStatus(s); drawPeers(peers); drawMempool(mp);
    const keep = series.rounds.concat(rs.rounds.filter((p) => p.round > lastRound)).slice(-CHART_ROUNDS);
    // tips come from round lastRound on: merge, one per (time, height), none older than the chart
    const seen = new Set(), oldest = keep.length ? keep[0].t : -Infinity;
    const tips = series.tips.concat(rs.tips).filter((m) => m.t >= oldest && !seen.has(m.t + ':' + m.height) && seen.add(m.t + ':' + m.height)).slice(-TIPS_KEPT);
    series = { rounds: keep, tips, intervalMs: rs.intervalMs };
    if (keep.length) lastRound = keep[keep.length - 1].round;
    drawChart(series, keep.length ? null : await get('coherence'));
    if (s.tipHash !== blocksTip || Date.now() - blocksAt > BLOCKS_MS) {
      const rb = await get('blocks/recent?n=' + NBLOCKS);
      await drawBlocks(rb, s.network);
      blocksTip = s.tipHash; blocksAt = Date.now();
    }
    text('updated', 'updated ' + fmtTime(Date.now())); text('error', '');
  } catch (e) { text('error', String(e.message || e)); }
}
async function loop() { await tick(); setTimeout(loop, 1000); }
loop();
</script>
</body></html>
`;

let html: string | undefined;

export function dashboardHtml(): string {
  // genesis has no proof to check: the page takes it by hash, as the node takes it from its software
  html ??= page({
    mainnet: toHex(genesisBlock(createReferenceCore(), PROFILES.mainnet).hash),
    devnet: toHex(genesisBlock(createReferenceCore(), PROFILES.devnet).hash),
  });
  return html;
}
