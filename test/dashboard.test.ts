// The operator console in a real headless Chromium (Debian's chromium + puppeteer-core): against an
// in-memory view, and against a 3-node devnet (real nodes, real TCP, mining) — the values shown are
// those the node's API served, the recent blocks are verified in the page by the browser core, and a
// tampered copy served by a man-in-the-middle proxy is marked failed.
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiServer } from '../src/api/server.js';
import { createMetrics } from '../src/api/metrics.js';
import { bitsToTarget } from '../src/chain/header.js';
import { BloomNode } from '../src/node.js';
import { resolveConfig } from '../src/config.js';
import { createReferenceCore } from '../src/core/reference.js';
import { DEVNET, NONCE_OFFSET, Z_C } from '../src/constants.js';
import { fromHex } from '../src/bytes.js';
import { buildSignedTx, defaultKey } from '../src/wallet.js';
import { silentLogger } from '../src/log.js';
import type { PeerJson, RecentBlocksJson, StatusJson } from '../src/api/types.js';
import { decodeTx } from '../src/chain/tx.js';
import { FakeView, makeTx } from './helpers/api-fakeview.js';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const doc = (): any => (globalThis as any).document; // the page's DOM (this file compiles without lib.dom)
const Y = (r: number): number => 226 - 218 * Math.max(0, Math.min(1, r)); // the chart's y of an r

let browser: Browser;
let profile: string;

beforeAll(async () => {
  if (!CHROMIUM) throw new Error('Chromium not found at /usr/bin/chromium: apt-get install -y chromium (.ci/run does this)');
  profile = mkdtempSync(join(tmpdir(), 'bloom-chromium-'));
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    userDataDir: profile,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    timeout: 20_000,
  });
}, 30_000);

afterAll(async () => {
  await browser?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

/** A page that records failed and off-origin requests and console errors. */
async function openPage(url: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage();
  const problems: string[] = [];
  const origin = new URL(url).origin;
  page.on('requestfailed', (r) => problems.push('failed: ' + r.url()));
  page.on('request', (r) => {
    if (!r.url().startsWith(origin)) problems.push('external: ' + r.url());
  });
  page.on('pageerror', (e) => problems.push('page error: ' + String(e)));
  await page.setViewport({ width: 1200, height: 900 });
  await page.goto(url, { waitUntil: 'load', timeout: 10_000 });
  return { page, problems };
}

/** "1.2 KB" → 1200: a byte count shown with its unit (1 KB = 1000 B). */
function parseBytes(s: string): number {
  const m = /^(\d+(?:\.\d+)?) (B|KB|MB|GB)$/.exec(s);
  if (!m) throw new Error(`not a byte count with a unit: "${s}"`);
  return Number(m[1]) * { B: 1, KB: 1e3, MB: 1e6, GB: 1e9 }[m[2] as 'B'];
}
const bytesMatch = (shown: string, n: number): boolean => Math.abs(parseBytes(shown) - n) <= Math.max(0.5, n * 0.051);

/** What the page shows, read from the DOM. */
function readConsole(page: Page) {
  return page.evaluate(() => {
    const d = (globalThis as any).document;
    const t = (id: string) => d.getElementById(id).textContent as string;
    const v = (id: string) => d.getElementById(id).dataset.value as string;
    const rows = (id: string) => Array.from(d.querySelectorAll(`#${id} tr`)) as any[];
    const pts = ((d.getElementById('r-line').getAttribute('points') ?? '') as string).trim().split(' ').filter(Boolean).map((p) => p.split(',').map(Number));
    return {
      height: t('height'),
      tip: t('tip'),
      peers: t('peers'),
      network: t('network'),
      listen: t('listen'),
      datadir: t('datadir'),
      uptime: { text: t('uptime'), value: Number(v('uptime')) },
      mined: v('mined'),
      hashrate: { text: t('hashrate'), value: v('hashrate') },
      sync: { text: t('sync'), detail: t('sync-detail'), value: v('sync') },
      mempool: { count: t('mempool-count'), bytes: t('mempool-bytes'), fees: t('mempool-fees') },
      r: t('r'),
      xRight: t('x-right'),
      zcY: Number(d.getElementById('zc-line').getAttribute('y1')),
      points: pts,
      tipMarks: (Array.from(d.querySelectorAll('#tip-marks g.tip')) as any[]).map((g) => Number(g.dataset.height)),
      peerRows: rows('peer-rows').map((tr) => ({ id: Number(tr.dataset.id), cells: (Array.from(tr.children) as any[]).map((c) => c.textContent as string) })),
      blockRows: rows('block-rows').map((tr) => ({
        height: Number(tr.dataset.height),
        hash: tr.dataset.hash as string,
        verdict: tr.dataset.verdict as string,
        cells: (Array.from(tr.children) as any[]).map((c) => c.textContent as string),
      })),
      verifyInfo: t('verify-info'),
      error: t('error'),
    };
  });
}

const fmtDur = (s: number): string => {
  s = Math.max(0, Math.floor(s));
  const pad = (n: number) => String(n).padStart(2, '0');
  const d = Math.floor(s / 86400), h = Math.floor(s / 3600) % 24, m = Math.floor(s / 60) % 60, sec = s % 60;
  return d ? `${d}d ${h}h` : h ? `${h}h ${pad(m)}m` : m ? `${m}m ${pad(sec)}s` : `${sec}s`;
};

/**
 * A man in the middle of the page and a node's API: forwards every request, keeps the last JSON body
 * per path, and can freeze (answer every JSON path with its last body, so the page settles on
 * exactly what the node served) or `tamper` a path's body before the page sees it.
 */
async function startProxy(target: string, tamper?: (path: string, body: string) => string) {
  const last = new Map<string, string>();
  let frozen = false;
  let freezeOn: string | null = null;
  let onFrozen = (): void => {};
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (frozen && last.has(path)) return void res.writeHead(200, { 'content-type': 'application/json' }).end(last.get(path));
    const up = request(target + (req.url ?? '/'), { method: req.method, headers: { ...req.headers, host: new URL(target).host } }, (r) => {
      const type = String(r.headers['content-type'] ?? '');
      if (!type.startsWith('application/json')) {
        res.writeHead(r.statusCode ?? 502, r.headers);
        return void r.pipe(res);
      }
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => {
        let body = Buffer.concat(chunks).toString('utf8');
        if (tamper && r.statusCode === 200) body = tamper(path, body);
        if (r.statusCode === 200) last.set(path, body);
        if (!frozen && path === freezeOn) {
          frozen = true;
          onFrozen();
        }
        res.writeHead(r.statusCode ?? 502, { 'content-type': type }).end(body);
      });
    });
    up.on('error', () => res.writeHead(502).end());
    req.pipe(up);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** Freezes once `path` was next answered (the page reads /blocks/recent last in a poll: a consistent set). */
    freezeAfter: (path: string) =>
      new Promise<void>((ok) => {
        freezeOn = path;
        onFrozen = ok;
      }),
    last: <T>(path: string): T => JSON.parse(last.get(path)!) as T,
    close: () => new Promise<void>((ok) => { server.closeAllConnections(); server.close(() => ok()); }),
  };
}

describe('console on an in-memory view', () => {
  let api: ApiServer;
  let view: FakeView;
  beforeAll(async () => {
    view = new FakeView(7);
    // two pending txs paying 5 and 1 base units
    for (const [nonce, fee] of [[0n, 5n], [1n, 1n]] as const) {
      const bytes = makeTx(nonce);
      view.pool.push({ txid: new Uint8Array(32).fill(Number(nonce)), tx: { ...decodeTx(bytes), fee }, addedAt: Date.now() - 1000 });
    }
    api = await startApi(view, { port: 0, metrics: createMetrics(view, { processMetrics: false }) });
  });
  afterAll(() => api?.close());

  it('shows height, peers with units, the r chart against Z_C, and fails the fake blocks', async () => {
    const { page, problems } = await openPage(api.url + '/');
    await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('#block-rows tr[data-verdict="failed"]').length === 8, { timeout: 15_000 });
    const got = await readConsole(page);
    expect(got.height).toBe('7');
    expect(got.peers).toBe('2');
    expect(got.network).toBe('devnet');
    expect(got.peerRows.map((r) => r.cells.slice(0, 7))).toEqual([
      ['127.0.0.1:40001', 'in', '3', '3 ms', '1.2 KB', '900 B', '0'],
      ['127.0.0.1:17620', 'out', '2', '–', '800 B', '700 B', '5'],
    ]);
    expect(got.mempool).toEqual({ count: '2 txs', bytes: '280 B', fees: '0.00000001–0.00000005 BLOOM' });
    // no round series (the view has none): the 1 Hz r history, y growing downward
    expect(got.points.length).toBe(30);
    expect(got.zcY).toBeCloseTo(Y(Z_C), 0);
    expect(got.points.at(-1)![1]).toBeCloseTo(Y(0.5 + 29 * 0.015), 0);
    // the fake view's blocks carry no real proofs (certHash 0xcc…, an unground nonce, no real genesis)
    expect(got.blockRows.map((b) => b.height)).toEqual([7, 6, 5, 4, 3, 2, 1, 0]);
    expect(got.blockRows.every((b) => b.verdict === 'failed')).toBe(true);
    expect(got.blockRows[0]!.cells[6]).toMatch(/bad-cert-hash/);
    expect(got.blockRows.at(-1)!.cells[6]).toMatch(/bad-genesis/);
    expect(got.verifyInfo).toMatch(/checked in this browser with bloomcoin\/core \(wasm\)/);
    expect(problems).toEqual([]);
    await page.close();
  }, 30_000);
});

describe('console during initial sync', () => {
  it('shows blocks / target with the percentage, the rate and the ETA the node reports', async () => {
    const view = new FakeView(3);
    const base = view.status.bind(view);
    view.status = () => ({ ...base(), syncing: true, mining: false, sync: { headers: 5000, blocks: 1200, targetHeight: 5000, rate: 250.46, etaSec: 75.2 } });
    const api = await startApi(view, { port: 0, metrics: createMetrics(view, { processMetrics: false }) });
    try {
      const { page, problems } = await openPage(api.url + '/');
      await page.waitForFunction(() => (globalThis as any).document.getElementById('sync').dataset.value === '1200', { timeout: 10_000 });
      const got = await readConsole(page);
      expect(got.sync.text).toBe('1200 / 5000');
      expect(got.sync.detail).toBe('syncing 24.0% · 250.5 blk/s · ETA 1m 15s · headers 5000');
      expect(await page.evaluate(() => (globalThis as any).document.getElementById('state').textContent)).toBe('syncing');
      expect(got.hashrate.text).toBe('–'); // the view reports no miner
      expect(problems).toEqual([]);
      await page.close();
    } finally {
      await api.close();
    }
  }, 30_000);
});

describe('console on a 3-node devnet (real nodes over TCP, mining)', () => {
  const nodes: BloomNode[] = [];
  const apis: ApiServer[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 3; i++) {
      const seeds = [...new Set([nodes[0], nodes[i - 1]].filter((n): n is BloomNode => n !== undefined))].map((n) => n.status().listen!);
      const node = await BloomNode.create(
        resolveConfig({ host: '127.0.0.1', port: 0, apiPort: 0, oscillators: 256, dataDir: join(profile, `node${i}`), seeds }),
        { logger: silentLogger },
      );
      await node.start();
      nodes.push(node);
      apis.push(await startApi(node, { port: 0, metrics: createMetrics(node, { processMetrics: false }) }));
    }
    const t0 = Date.now();
    while (!nodes.every((n) => n.status().peers === 2 && n.status().height >= 3)) {
      if (Date.now() - t0 > 90_000) throw new Error('devnet did not link and mine 3 blocks in 90 s: ' + JSON.stringify(nodes.map((n) => [n.status().peers, n.status().height])));
      await new Promise((r) => setTimeout(r, 250));
    }
  }, 120_000);

  afterAll(async () => {
    for (const a of apis) await a.close();
    for (const n of nodes) await n.stop();
  }, 30_000);

  it('shows what the node served: status, peers, mempool, recent blocks (each verified in the page), r per round with tips marked', async () => {
    // node1 dialled node0 and was dialled by node2: both directions in its peer table
    const node = nodes[1]!;
    const proxy = await startProxy(apis[1]!.url);
    let feeder: ReturnType<typeof setInterval> | undefined;
    try {
      const { page, problems } = await openPage(proxy.url + '/');
      // live: the page follows new tips and a growing round series without reloading
      await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('#block-rows tr[data-verdict="verified"]').length >= 4, { timeout: 20_000 });
      const first = Number(await page.evaluate(() => (globalThis as any).document.getElementById('height').textContent));
      const h0 = node.status().height;
      await page.waitForFunction((h: number) => Number((globalThis as any).document.getElementById('height').textContent) > h, { timeout: 30_000 }, Math.max(first, h0));
      await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('#tip-marks g.tip').length >= 1, { timeout: 20_000 });
      if (process.env.CONSOLE_SHOT) {
        // for the picture in docs/: a minute of rounds, a dozen blocks, and payments from node1's mined coins
        const key = defaultKey(node.config.dataDir);
        feeder = setInterval(() => {
          const nonce = node.txpool.nextNonce(fromHex(key.address));
          const fee = BigInt(1000 + Math.floor(Math.random() * 9000));
          void node.submitTx(buildSignedTx(key, { to: 'ab'.repeat(20), amount: 100_000n, fee, nonce }, DEVNET.magic).bytes).catch(() => {});
        }, 300);
        await page.waitForFunction(() => Number((globalThis as any).document.getElementById('height').textContent) >= 14, { timeout: 120_000 });
        await page.waitForFunction(() => /round ([4-9]\d\d|\d{4,}) /.test((globalThis as any).document.getElementById('x-right').textContent), { timeout: 120_000 });
      }

      await proxy.freezeAfter('/blocks/recent');
      clearInterval(feeder);
      await new Promise((r) => setTimeout(r, 2500)); // two polls of the frozen bodies
      const got = await readConsole(page);
      const s = proxy.last<StatusJson>('/status');
      const peers = proxy.last<PeerJson[]>('/peers');
      const recent = proxy.last<RecentBlocksJson>('/blocks/recent');
      const mp = proxy.last<{ count: number; bytes: number }>('/mempool/summary');
      expect(got.error).toBe('');

      expect(got.height).toBe(String(s.height));
      expect(got.tip).toBe(s.tipHash);
      expect(got.peers).toBe(String(s.peers));
      expect(got.network).toBe('devnet');
      expect(got.listen).toBe(s.listen);
      expect(got.listen).toBe(node.status().listen);
      expect(got.datadir).toBe(node.config.dataDir);
      expect(got.uptime.value).toBe(s.uptimeSec);
      expect(got.uptime.text).toBe(fmtDur(s.uptimeSec));
      expect(got.mined).toBe(String(s.blocksMined));
      expect(got.hashrate.value).toBe(String(s.hashrate));
      expect(got.hashrate.text).toMatch(/^\d+(\.\d+)? (H|kH|MH|GH)\/s$/);
      expect(got.sync.value).toBe(String(s.sync.blocks));
      expect(got.sync.text).toBe(s.syncing ? `${s.sync.blocks} / ${s.sync.targetHeight}` : 'in sync');
      if (s.syncing) expect(got.sync.detail).toContain(`syncing ${Math.min(100, (100 * s.sync.blocks) / s.sync.targetHeight).toFixed(1)}% · ${s.sync.rate.toFixed(1)} blk/s`);
      expect(got.sync.detail).toContain(`headers ${s.sync.headers}`);
      expect(got.r).toBe(s.coherence.r.toFixed(4));
      expect(parseBytes(got.mempool.bytes)).toBe(mp.bytes);
      expect(got.mempool.count).toBe(`${mp.count} txs`.replace(/^1 txs$/, '1 tx'));

      // peers: one row per peer the node listed, in its order, byte counts with units
      expect(peers.length).toBe(2);
      expect(got.peerRows.map((r) => r.id)).toEqual(peers.map((p) => p.id));
      for (const [i, p] of peers.entries()) {
        const c = got.peerRows[i]!.cells;
        expect(c.slice(0, 3)).toEqual([p.address, p.inbound ? 'in' : 'out', String(p.height)]);
        expect(c[3]).toBe(p.pingMs == null ? '–' : `${p.pingMs} ms`);
        expect(bytesMatch(c[4]!, p.bytesIn), `${c[4]} vs ${p.bytesIn}`).toBe(true);
        expect(bytesMatch(c[5]!, p.bytesOut), `${c[5]} vs ${p.bytesOut}`).toBe(true);
        expect(c[6]).toBe(String(p.score));
        expect(c[7]).toBe(p.userAgent);
      }
      expect(new Set(got.peerRows.map((r) => r.cells[1]))).toEqual(new Set(peers.map((p) => (p.inbound ? 'in' : 'out'))));

      // recent blocks: those served, newest first, every one verified by the browser core
      expect(got.blockRows.map((b) => [b.height, b.hash])).toEqual(recent.blocks.map((b) => [b.height, b.hash]));
      // read in the same poll, just after /status: the tip may have moved on by then
      expect(recent.height).toBeGreaterThanOrEqual(s.height);
      expect(recent.blocks[0]!.height).toBe(recent.height);
      expect(got.blockRows.length).toBe(Math.min(12, recent.height + 1));
      expect(got.blockRows.map((b) => b.verdict)).toEqual(recent.blocks.map(() => 'verified'));
      for (const [i, b] of recent.blocks.entries()) {
        const c = got.blockRows[i]!.cells;
        expect(c[3]).toBe(String(b.txs));
        expect(bytesMatch(c[4]!, b.size)).toBe(true);
        if (b.height > 0) expect(Number(c[5])).toBeCloseTo(b.cert.r, 3);
        expect(Number(c[5])).toBeGreaterThanOrEqual(b.height > 0 ? Z_C : 1);
      }
      const genesis = await node.getBlock(0);
      if (got.blockRows.at(-1)!.height === 0) expect(got.blockRows.at(-1)!.hash).toBe(Buffer.from(genesis!.hash).toString('hex'));

      // r per round: the newest point is the round the x axis names, as the node recorded it; tips marked
      const lastRound = Number(/round (\d+)/.exec(got.xRight)![1]);
      const series = node.roundSeries(0, 600);
      const rec = series.rounds.find((p) => p.round === lastRound)!;
      expect(rec).toBeDefined();
      expect(got.points.length).toBeGreaterThanOrEqual(10);
      expect(got.points.at(-1)![1]).toBeCloseTo(Y(rec.r), 0);
      expect(got.zcY).toBeCloseTo(Y(Z_C), 0);
      const tipHeights = new Set(series.tips.map((m) => m.height));
      expect(got.tipMarks.length).toBeGreaterThanOrEqual(1);
      for (const h of got.tipMarks) expect(tipHeights.has(h)).toBe(true);
      // the dips are the re-seeds: the round after a tip was re-seeded and starts over below Z_C
      const reseeded = series.rounds.filter((p) => p.reseeded);
      expect(reseeded.length).toBeGreaterThanOrEqual(1);
      for (const p of reseeded) expect(p.above).toBe(p.r > Z_C ? 1 : 0);

      expect(problems).toEqual([]);
      await page.setViewport({ width: 1200, height: 1000 });
      const shot = join(profile, 'console.png');
      await page.screenshot({ path: shot, fullPage: true });
      expect(statSync(shot).size).toBeGreaterThan(20_000);
      if (process.env.CONSOLE_SHOT) copyFileSync(shot, process.env.CONSOLE_SHOT); // CONSOLE_SHOT=docs/console.png
      await page.close();
    } finally {
      clearInterval(feeder);
      await proxy.close();
    }
  }, 300_000);

  it('marks failed the blocks a man in the middle altered (a phase, a header byte, a re-hashed header)', async () => {
    const ref = createReferenceCore();
    const hex = (u: Uint8Array) => Buffer.from(u).toString('hex');
    const tamper = (path: string, body: string): string => {
      if (path !== '/blocks/recent') return body;
      const rb = JSON.parse(body) as RecentBlocksJson;
      const [, a, b, c] = rb.blocks;
      if (a && a.height > 0) {
        // one certificate phase moved (its float32 at byte 16 + 4·5)
        const cert = Buffer.from(a.certificate, 'hex');
        cert.writeFloatLE(cert.readFloatLE(16 + 4 * 5) + 2.5, 16 + 4 * 5);
        a.certificate = cert.toString('hex');
      }
      if (b && b.height > 0) {
        const h = Buffer.from(b.header, 'hex');
        h[NONCE_OFFSET]! ^= 1; // the served hash no longer is this header's
        b.header = h.toString('hex');
      }
      if (c && c.height > 0) {
        // a header re-ground to a nonce whose hash misses the target, served with its own (correct) hash
        const h = Uint8Array.from(Buffer.from(c.header, 'hex'));
        const target = bitsToTarget(new DataView(h.buffer).getUint32(110, true))!;
        for (let n = 0; ; n++) {
          new DataView(h.buffer).setUint32(NONCE_OFFSET, n, true);
          if (BigInt('0x' + hex(ref.sha256d(h))) > target) break;
        }
        c.header = hex(h);
        c.hash = hex(ref.sha256d(h));
      }
      return JSON.stringify(rb);
    };
    // blocks 1–3 of the list must be above genesis (which is taken by hash, not proof)
    for (const t0 = Date.now(); nodes[2]!.status().height < 4; ) {
      if (Date.now() - t0 > 30_000) throw new Error('node2 did not reach height 4');
      await new Promise((r) => setTimeout(r, 250));
    }
    const proxy = await startProxy(apis[2]!.url, tamper);
    try {
      const { page, problems } = await openPage(proxy.url + '/');
      await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('#block-rows tr[data-verdict="failed"]').length === 3, { timeout: 20_000 });
      const rows = (await readConsole(page)).blockRows;
      expect(rows.map((r) => r.verdict)).toEqual(rows.map((_, i) => (i >= 1 && i <= 3 ? 'failed' : 'verified')));
      expect(rows[1]!.cells[6]).toMatch(/✗ failed: .*bad-cert-hash/);
      expect(rows[2]!.cells[6]).toMatch(/✗ failed: bad-hash/);
      expect(rows[3]!.cells[6]).toBe('✗ failed: high-hash');
      expect(rows[0]!.cells[6]).toBe('✓ verified');
      expect(problems).toEqual([]);
      await page.close();
    } finally {
      await proxy.close();
    }
  }, 60_000);
});
