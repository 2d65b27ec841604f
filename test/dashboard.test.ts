// The dashboard in a real headless Chromium (Debian's chromium + puppeteer-core): height shown, chart drawn.
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiServer } from '../src/api/server.js';
import { createMetrics } from '../src/api/metrics.js';
import { FakeView } from './helpers/api-fakeview.js';
import { BloomNode } from '../src/node.js';
import { resolveConfig } from '../src/config.js';
import { silentLogger } from '../src/log.js';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

let browser: Browser;
let api: ApiServer;
let view: FakeView;
let profile: string;

beforeAll(async () => {
  if (!CHROMIUM) throw new Error('Chromium not found at /usr/bin/chromium: apt-get install -y chromium (.ci/run does this)');
  view = new FakeView(7);
  api = await startApi(view, { port: 0, metrics: createMetrics(view, { processMetrics: false }) });
  profile = mkdtempSync(join(tmpdir(), 'bloom-chromium-'));
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    userDataDir: profile,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
    timeout: 20_000,
  });
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await api?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

describe('dashboard', () => {
  it('shows height and peers and draws r against Z_C', async () => {
    const page = await browser.newPage();
    const failed: string[] = [];
    page.on('requestfailed', (r) => failed.push(r.url()));
    page.on('request', (r) => {
      if (!r.url().startsWith(api.url)) failed.push('external: ' + r.url());
    });
    await page.setViewport({ width: 1000, height: 700 });
    await page.goto(api.url + '/', { waitUntil: 'load', timeout: 10_000 });
    await page.waitForFunction(() => (globalThis as any).document.getElementById('height')?.textContent === '7', { timeout: 10_000 });
    await page.waitForFunction(() => ((globalThis as any).document.getElementById('r-line')?.getAttribute('points') ?? '').split(' ').length >= 10, { timeout: 10_000 });

    const got = await page.evaluate(() => {
      const doc = (): any => (globalThis as any).document; // the page's DOM (this file compiles without lib.dom)
      const pts = (id: string) =>
        (doc().getElementById(id)!.getAttribute('points') ?? '')
          .trim()
          .split(' ')
          .map((p: string) => p.split(',').map(Number));
      const zc = doc().getElementById('zc-line')!;
      return {
        height: doc().getElementById('height')!.textContent,
        peers: doc().getElementById('peers')!.textContent,
        network: doc().getElementById('network')!.textContent,
        rows: doc().querySelectorAll('#peer-rows tr').length,
        r: pts('r-line'),
        net: pts('net-line'),
        zcY: Number(zc.getAttribute('y1')),
        lineBox: doc().getElementById('r-line').getBBox().width,
      };
    });
    expect(got.height).toBe('7');
    expect(got.peers).toBe('2');
    expect(got.network).toBe('devnet');
    expect(got.rows).toBe(2);
    expect(got.r.length).toBe(30);
    expect(got.net.length).toBe(30);
    expect(got.lineBox).toBeGreaterThan(100);
    // y grows downward: r = √3/2 sits at 250 − 240·0.866 ≈ 42.2; the rising r series ends above the line
    expect(got.zcY).toBeCloseTo(250 - 240 * (Math.sqrt(3) / 2), 0);
    const lastR = got.r[got.r.length - 1]!;
    expect(lastR[1]).toBeCloseTo(250 - 240 * (0.5 + 29 * 0.015), 0);
    expect(got.r[0]![0]).toBeLessThan(lastR[0]!);

    const shot = join(profile, 'dashboard.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(5_000);
    if (process.env.DASHBOARD_SHOT) copyFileSync(shot, process.env.DASHBOARD_SHOT); // keep it to look at
    expect(failed).toEqual([]);
    await page.close();
  }, 30_000);

  it('follows a real mining devnet node', async () => {
    const node = await BloomNode.create(
      resolveConfig({ host: '127.0.0.1', port: 0, apiPort: 0, oscillators: 256, dataDir: join(profile, 'node') }),
      { logger: silentLogger },
    );
    await node.start();
    const live = await startApi(node, { port: 0, metrics: createMetrics(node, { processMetrics: false }) });
    try {
      const page = await browser.newPage();
      await page.goto(live.url + '/', { waitUntil: 'load', timeout: 10_000 });
      // the page keeps polling: the height it shows climbs past 1 and the r series grows
      await page.waitForFunction(() => Number((globalThis as any).document.getElementById('height')?.textContent) >= 2, { timeout: 15_000 });
      await page.waitForFunction(() => ((globalThis as any).document.getElementById('r-line')?.getAttribute('points') ?? '').trim().split(' ').length >= 2, {
        timeout: 10_000,
      });
      const shown = await page.evaluate(() => Number((globalThis as any).document.getElementById('height').textContent));
      expect(shown).toBeLessThanOrEqual(node.status().height);
      expect(await page.evaluate(() => (globalThis as any).document.getElementById('tip').textContent)).toMatch(/^[0-9a-f]{64}$/);
      await page.screenshot({ path: join(profile, 'live.png') });
      expect(statSync(join(profile, 'live.png')).size).toBeGreaterThan(5_000);
      await page.close();
    } finally {
      await live.close();
      await node.stop();
    }
  }, 30_000);
});
