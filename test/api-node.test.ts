// Every API route with good and bad input over a real devnet node (real TCP, store, WASM, miner),
// plus a second non-mining node that syncs from it so /peers and sync progress have content.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BloomNode } from '../src/node.js';
import { startApi, type ApiServer } from '../src/api/server.js';
import { resolveConfig } from '../src/config.js';
import { DEVNET } from '../src/constants.js';
import { silentLogger } from '../src/log.js';
import { createMetrics } from '../src/api/metrics.js';
import { buildSignedTx, newKey, type WalletKey } from '../src/wallet.js';
import { checkPromText } from './helpers/api-promcheck.js';
import { fetchJson } from './helpers/http.js';

let dir: string;
let miner: BloomNode;
let follower: BloomNode;
let api: ApiServer;
let api2: ApiServer;
let key: WalletKey;
let other: WalletKey;

async function waitFor<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, ms: number): Promise<T> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const v = await fn();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bloom-api-node-'));
  key = newKey(join(dir, 'a'));
  other = newKey(join(dir, 'b'));
  const base = { network: 'devnet', host: '127.0.0.1', port: 0, apiPort: 0, oscillators: 256, logLevel: 'silent' } as const;
  miner = await BloomNode.create(resolveConfig({ ...base, dataDir: join(dir, 'a'), minerAddress: key.address }), { logger: silentLogger });
  await miner.start();
  api = await startApi(miner, { port: 0, metrics: createMetrics(miner, { processMetrics: false }) });
  await waitFor('height 2', () => (miner.status().height >= 2 ? true : undefined), 20_000);
  const listen = miner.status().listen!;
  follower = await BloomNode.create(
    resolveConfig({ ...base, dataDir: join(dir, 'b'), mine: false, seeds: [listen], minerAddress: other.address }),
    { logger: silentLogger },
  );
  await follower.start();
  api2 = await startApi(follower, { port: 0 });
}, 30_000);

afterAll(async () => {
  await api2?.close();
  await api?.close();
  await follower?.stop();
  await miner?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const get = (base: ApiServer, path: string, init?: RequestInit) => fetchJson(base.url + path, init);
const post = (path: string, body: unknown) =>
  get(api, '/tx', { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('real node API', () => {
  it('GET /status reports a mining devnet node', async () => {
    const r = await get(api, '/status');
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ network: 'devnet', mining: true });
    expect(r.json.height).toBeGreaterThanOrEqual(2);
    expect(r.json.tipHash).toMatch(/^[0-9a-f]{64}$/);
    // r restarts low after each block (fresh oscillators), so only its range is stable here
    expect(r.json.coherence.r).toBeGreaterThanOrEqual(0);
    expect(r.json.coherence.r).toBeLessThanOrEqual(1);
    expect(Number.isFinite(r.json.coherence.psi)).toBe(true);
    expect(typeof r.json.sync.targetHeight).toBe('number');
  });

  it('the follower syncs and both list each other in /peers', async () => {
    const target = miner.status().height;
    await waitFor('follower sync', () => (follower.status().height >= target ? true : undefined), 20_000);
    const p = await get(api, '/peers');
    expect(p.status).toBe(200);
    expect(p.json.length).toBe(1);
    expect(p.json[0]).toMatchObject({ inbound: true });
    expect(p.json[0].bytesIn).toBeGreaterThan(0);
    const p2 = await get(api2, '/peers');
    expect(p2.json[0]).toMatchObject({ inbound: false, address: miner.status().listen });
    const s2 = await get(api2, '/status');
    expect(s2.json.mining).toBe(false);
    const b = await get(api2, `/blocks/${target}`);
    expect(b.json.hash).toBe((await get(api, `/blocks/${target}`)).json.hash);
  }, 25_000);

  it('GET /blocks by height and hash; bad refs 400, missing 404', async () => {
    const b1 = await get(api, '/blocks/1');
    expect(b1.status).toBe(200);
    expect(b1.json.height).toBe(1);
    expect(b1.json.minerAddress).toBe(key.address);
    expect(b1.json.cert.r).toBeGreaterThanOrEqual(Math.sqrt(3) / 2 - 1e-4);
    const byHash = await get(api, '/blocks/' + b1.json.hash);
    expect(byHash.json.hash).toBe(b1.json.hash);
    const g = await get(api, '/blocks/0');
    expect(b1.json.header.prevHash).toBe(g.json.hash);
    expect((await get(api, '/blocks/4000000')).status).toBe(404);
    expect((await get(api, '/blocks/' + 'ff'.repeat(32))).status).toBe(404);
    const bad = await get(api, '/blocks/0x12');
    expect(bad.status).toBe(400);
    expect(bad.json.error.field).toBe('hash');
  });

  it('GET /headers links headers; count over 500 is refused', async () => {
    const r = await get(api, '/headers?from=0&count=3');
    expect(r.status).toBe(200);
    expect(r.json.headers.length).toBe(3);
    expect(r.json.headers[1].prevHash).toBe(r.json.headers[0].hash);
    expect(r.json.headers[2].prevHash).toBe(r.json.headers[1].hash);
    expect((await get(api, '/headers?from=4000000')).json.count).toBe(0);
    const bad = await get(api, '/headers?count=501');
    expect(bad.status).toBe(400);
    expect(bad.json.error.field).toBe('count');
  });

  it('GET /accounts shows the mined balance; bad address 400', async () => {
    const r = await get(api, '/accounts/' + key.address);
    expect(r.status).toBe(200);
    expect(BigInt(r.json.balance)).toBeGreaterThan(0n);
    const bad = await get(api, '/accounts/xyz');
    expect(bad.status).toBe(400);
    expect(bad.json.error.field).toBe('address');
  });

  it('POST /tx: accepted, duplicate, bad signature, bad nonce, bad hex; GET /tx and /mempool', async () => {
    const acc = (await get(api, '/accounts/' + key.address)).json;
    const { bytes, txid } = buildSignedTx(key, { to: other.address, amount: 1000n, fee: 10n, nonce: BigInt(acc.nonce) }, DEVNET.magic);
    const hex = Buffer.from(bytes).toString('hex');
    const ok = await post('/tx', { hex });
    expect(ok.status).toBe(202);
    expect(ok.json.txid).toBe(Buffer.from(txid).toString('hex'));
    const dup = await post('/tx', { hex });
    // duplicate while pending; a stale nonce once a block (devnet: milliseconds) has taken it
    if (dup.status === 200) expect(dup.json.code).toBe('duplicate');
    else expect(dup.json.error.code).toBe('bad-tx-nonce');
    const t = await get(api, '/tx/' + ok.json.txid);
    expect(t.status).toBe(200);
    expect(['mempool', 'confirmed']).toContain(t.json.status);
    expect(t.json).toMatchObject({ amount: '1000', fee: '10', to: other.address, fromAddress: key.address });
    // it confirms: the tx index answers with its block
    const conf = await waitFor('tx confirmed', async () => {
      const x = await get(api, '/tx/' + ok.json.txid);
      return x.json.status === 'confirmed' ? x.json : undefined;
    }, 15_000);
    const blk = await get(api, '/blocks/' + conf.blockHash);
    expect(blk.json.txs.map((x: { txid: string }) => x.txid)).toContain(ok.json.txid);
    expect(BigInt((await get(api, '/accounts/' + other.address)).json.balance)).toBeGreaterThanOrEqual(1000n);
    const m = await get(api, '/mempool');
    expect(m.status).toBe(200);
    expect(m.json.count).toBe(m.json.txs.length);

    const forged = Uint8Array.from(bytes);
    forged[60] ^= 1; // change the fee: the signature no longer covers it
    const sig = await post('/tx', { hex: Buffer.from(forged).toString('hex') });
    expect(sig.status).toBe(400);
    expect(sig.json.error).toMatchObject({ code: 'bad-tx-sig', field: 'hex' });
    const far = buildSignedTx(key, { to: other.address, amount: 1n, fee: 1n, nonce: 1_000_000n }, DEVNET.magic);
    const nonce = await post('/tx', { hex: Buffer.from(far.bytes).toString('hex') });
    expect(nonce.status).toBe(400);
    expect(nonce.json.error.code).toBe('bad-tx-nonce');
    expect((await post('/tx', { hex: hex.slice(2) })).json.error.field).toBe('hex');
    expect((await post('/tx', '{')).json.error.field).toBe('body');
    expect((await get(api, '/tx/abc')).status).toBe(400);
  });

  it('GET /metrics parses as Prometheus text with live values', async () => {
    const r = await get(api, '/metrics');
    expect(r.status).toBe(200);
    const s = checkPromText(r.text);
    expect(s.get('bloomcoin_height')).toBeGreaterThanOrEqual(2);
    expect(s.get('bloomcoin_blocks_mined_total')).toBeGreaterThanOrEqual(2);
    expect(s.get('bloomcoin_peers{direction="inbound"}')).toBe(1);
    expect(s.get('bloomcoin_coherence_r')).toBeGreaterThan(0);
    expect(s.get('bloomcoin_hashrate')).toBeGreaterThanOrEqual(0);
    const backend = process.env.BLOOMCOIN_NO_NATIVE === '1' ? 'wasm' : 'native';
    expect([s.get(`bloomcoin_mining_backend{backend="${backend}"}`), miner.status().miningBackend]).toEqual([1, backend]);
  });

  it('unknown routes 404, wrong methods 405', async () => {
    expect((await get(api, '/blocks')).status).toBe(404);
    expect((await get(api, '/mempool', { method: 'POST' })).status).toBe(405);
  });
});
