// The console's read-only routes over real HTTP: bounded query sizes, shapes, the /pkg/ files, and
// a real mining node's additions to /status and its r-per-round series.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiServer } from '../src/api/server.js';
import { createMetrics } from '../src/api/metrics.js';
import { CONSOLE_ASSETS, RECENT_BLOCKS_MAX } from '../src/api/console.js';
import { RoundSeries } from '../src/api/rounds.js';
import { decodeTx } from '../src/chain/tx.js';
import { encodeCert } from '../src/chain/cert.js';
import { encodeHeader } from '../src/chain/header.js';
import { BloomNode } from '../src/node.js';
import { resolveConfig } from '../src/config.js';
import { silentLogger } from '../src/log.js';
import { DEVNET, TX_SIZE, Z_C } from '../src/constants.js';
import type { MempoolSummaryJson, RecentBlocksJson, RoundsJson, StatusJson } from '../src/api/types.js';
import { FakeView, makeTx } from './helpers/api-fakeview.js';
import { fetchJson } from './helpers/http.js';

describe('console routes on an in-memory view', () => {
  let api: ApiServer;
  let view: FakeView;
  beforeAll(async () => {
    view = new FakeView(40);
    api = await startApi(view, { port: 0, metrics: createMetrics(view, { processMetrics: false }) });
  });
  afterAll(() => api?.close());

  it('GET /blocks/recent: newest first, 12 by default, n bounded to 1…32, with the bytes the proofs hash', async () => {
    const def = (await fetchJson(api.url + '/blocks/recent')).json as RecentBlocksJson;
    expect(def.height).toBe(40);
    expect(def.blocks.map((b) => b.height)).toEqual(Array.from({ length: 12 }, (_, i) => 40 - i));
    const b = def.blocks[0]!;
    const info = view.blocks[40]!;
    expect(b.hash).toBe(Buffer.from(info.hash).toString('hex'));
    expect(b.header).toBe(Buffer.from(encodeHeader(info.block.header)).toString('hex'));
    expect(b.certificate).toBe(Buffer.from(encodeCert(info.block.cert)).toString('hex'));
    expect(b.cert.phases).toHaveLength(64);
    expect(b).toMatchObject({ time: info.block.header.timestamp, txs: 0, size: info.size, minerAddress: Buffer.from(info.block.minerAddress).toString('hex') });

    expect(((await fetchJson(api.url + `/blocks/recent?n=${RECENT_BLOCKS_MAX}`)).json as RecentBlocksJson).blocks).toHaveLength(32);
    expect(((await fetchJson(api.url + '/blocks/recent?n=2')).json as RecentBlocksJson).blocks.map((x) => x.height)).toEqual([40, 39]);
    for (const bad of ['0', '33', '-1', 'abc', '1e3', '99999999999']) {
      const r = await fetchJson(api.url + `/blocks/recent?n=${bad}`);
      expect(r.status, bad).toBe(400);
      expect(r.json.error).toMatchObject({ code: 'bad-param', field: 'n' });
    }
    // /blocks/:ref still answers heights and hashes
    expect((await fetchJson(api.url + '/blocks/3')).json.height).toBe(3);
  });

  it('GET /blocks/recent on a short chain lists every block down to genesis', async () => {
    const small = new FakeView(2);
    const a = await startApi(small, { port: 0, metrics: createMetrics(small, { processMetrics: false }) });
    try {
      expect(((await fetchJson(a.url + '/blocks/recent?n=32')).json as RecentBlocksJson).blocks.map((b) => b.height)).toEqual([2, 1, 0]);
    } finally {
      await a.close();
    }
  });

  it('GET /mempool/summary: count, bytes and the fee range in base units', async () => {
    const empty = (await fetchJson(api.url + '/mempool/summary')).json as MempoolSummaryJson;
    expect(empty).toEqual({ count: 0, bytes: 0, feeMin: null, feeMax: null, feeMedian: null, sampled: 0, oldest: null });
    const fees = [7n, 2n, 30n];
    fees.forEach((fee, i) => view.pool.push({ txid: new Uint8Array(32).fill(i + 1), tx: { ...decodeTx(makeTx(BigInt(i))), fee }, addedAt: 1000 + i }));
    try {
      const s = (await fetchJson(api.url + '/mempool/summary')).json as MempoolSummaryJson;
      expect(s).toEqual({ count: 3, bytes: 3 * TX_SIZE, feeMin: '2', feeMax: '30', feeMedian: '7', sampled: 3, oldest: 1000 });
    } finally {
      view.pool.length = 0;
    }
  });

  it('GET /coherence/rounds: empty for a view without a series; since and limit bounded', async () => {
    const r = (await fetchJson(api.url + '/coherence/rounds')).json as RoundsJson;
    expect(r).toEqual({ zc: Z_C, intervalMs: DEVNET.gossipIntervalMs, rounds: [], tips: [] });
    for (const q of ['since=-1', 'since=x', 'limit=0', 'limit=601']) {
      const bad = await fetchJson(api.url + '/coherence/rounds?' + q);
      expect(bad.status, q).toBe(400);
      expect(bad.json.error.code).toBe('bad-param');
    }
  });

  it('GET /pkg/…: exactly the console assets, with their content types', async () => {
    for (const a of CONSOLE_ASSETS) {
      const res = await fetch(api.url + '/pkg/' + a);
      expect(res.status, a).toBe(200);
      expect(res.headers.get('content-type')).toBe(a.endsWith('.wasm') ? 'application/wasm' : 'text/javascript; charset=utf-8');
      expect(Buffer.from(await res.arrayBuffer()).equals(readFileSync(a))).toBe(true);
    }
    for (const p of ['dist/core/index.js', 'dist/node.js', 'package.json', '..%2Fpackage.json', 'dist/api/..%2F..%2Fpackage.json', 'build/core.wat', 'dist/core/reference/../../../package.json']) {
      expect((await fetch(api.url + '/pkg/' + p)).status, p).toBe(404);
    }
  });
});

describe('RoundSeries', () => {
  const sample = (round: number) => ({ round, t: 1000 * round, r: 0.5, above: 0, reseeded: false });

  it('keeps the last rounds and tips, and answers the rounds after `since` (the newest `limit`)', () => {
    const s = new RoundSeries(5, 3);
    for (let i = 1; i <= 8; i++) s.round(sample(i));
    for (let h = 1; h <= 5; h++) s.tip({ t: 1000 * (h + 3) + 1, height: h, hash: new Uint8Array(32) });
    expect(s.since(0, 100).rounds.map((p) => p.round)).toEqual([4, 5, 6, 7, 8]);
    expect(s.since(6, 100).rounds.map((p) => p.round)).toEqual([7, 8]);
    expect(s.since(8, 100).rounds).toEqual([]);
    expect(s.since(0, 2).rounds.map((p) => p.round)).toEqual([7, 8]);
    // three tips kept (t = 6001, 7001, 8001); since = 0 is not kept: all since the oldest round (t = 4000)
    expect(s.since(0, 100).tips.map((m) => m.height)).toEqual([3, 4, 5]);
    // from the start of round `since` on: a poller that has round 7 (t = 7000) gets the tips after it
    expect(s.since(7, 100).tips.map((m) => m.height)).toEqual([4, 5]);
    expect(s.since(8, 100).tips.map((m) => m.height)).toEqual([5]);
  });

  it('keeps tips with no rounds (a node that does not mine)', () => {
    const s = new RoundSeries();
    s.tip({ t: 5, height: 1, hash: new Uint8Array(32) });
    expect(s.since(0, 10)).toEqual({ rounds: [], tips: [{ t: 5, height: 1, hash: new Uint8Array(32) }] });
  });
});

describe('a mining node', () => {
  let dir: string;
  let node: BloomNode;
  let api: ApiServer;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bloom-console-'));
    node = await BloomNode.create(resolveConfig({ host: '127.0.0.1', port: 0, apiPort: 0, oscillators: 256, dataDir: join(dir, 'n') }), { logger: silentLogger });
    await node.start();
    api = await startApi(node, { port: 0, metrics: createMetrics(node, { processMetrics: false }) });
  });
  afterAll(async () => {
    await api?.close();
    await node?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds dataDir, hashrate and blocksMined to /status and records every round, the tips marked', async () => {
    for (const t0 = Date.now(); node.status().height < 2; ) {
      if (Date.now() - t0 > 30_000) throw new Error('no 2 blocks in 30 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    const s = (await fetchJson(api.url + '/status')).json as StatusJson;
    expect(s.dataDir).toBe(join(dir, 'n'));
    expect(s.blocksMined).toBeGreaterThanOrEqual(2);
    expect(typeof s.hashrate).toBe('number');
    const all = (await fetchJson(api.url + '/coherence/rounds')).json as RoundsJson;
    const rounds = all.rounds.map((p) => p.round);
    // consecutive round numbers: one sample per round, none skipped
    expect(rounds.length).toBeGreaterThanOrEqual(10);
    expect(rounds).toEqual(Array.from({ length: rounds.length }, (_, i) => rounds[0]! + i));
    expect(all.tips.map((m) => m.height)).toEqual(expect.arrayContaining([1, 2]));
    // the round after each tip re-seeded the oscillators: the dips the chart marks
    for (const tip of all.tips.filter((m) => m.t >= all.rounds[0]!.t && m.t < all.rounds.at(-1)!.t - 1000)) {
      const next = all.rounds.find((p) => p.t >= tip.t)!;
      expect(next.reseeded, `round after tip ${tip.height}`).toBe(true);
    }
    const since = rounds.at(-1)! - 3;
    expect(((await fetchJson(api.url + `/coherence/rounds?since=${since}`)).json as RoundsJson).rounds[0]!.round).toBe(since + 1);
  }, 40_000);
});
