// HTTP API over real sockets against an in-memory NodeView: every route with good and bad input.
import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startApi, type ApiServer } from '../src/api/server.js';
import { createMetrics } from '../src/api/metrics.js';
import { FakeView, alice, bob, makeTx } from './helpers/api-fakeview.js';
import { checkPromText } from './helpers/api-promcheck.js';
import { fetchJson } from './helpers/http.js';

let view: FakeView;
let api: ApiServer;

beforeEach(async () => {
  view = new FakeView();
  api = await startApi(view, { port: 0, metrics: createMetrics(view, { processMetrics: false }) });
});
afterEach(async () => {
  await api.close();
});

const get = (path: string, init?: RequestInit) => fetchJson(api.url + path, init);

const post = (path: string, body: string) => get(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('GET /status and /peers', () => {
  it('returns status with hex tip hash and sync progress', async () => {
    const r = await get('/status');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/application\/json/);
    expect(r.json).toMatchObject({ network: 'devnet', height: 3, peers: 2, mining: true, syncing: false, version: '0.1.0' });
    expect(r.json.tipHash).toBe(hex(view.blocks[3]!.hash));
    expect(r.json.coherence).toEqual({ r: 0.91, psi: 1.25 });
    expect(r.json.sync).toMatchObject({ headers: 3, blocks: 3, targetHeight: 3 });
  });

  it('lists peers with accounting', async () => {
    const r = await get('/peers');
    expect(r.status).toBe(200);
    expect(r.json).toHaveLength(2);
    expect(r.json[0]).toMatchObject({ address: '127.0.0.1:40001', inbound: true, height: 3, bytesIn: 1200, score: 0, pingMs: 3 });
  });

  it('answers 500 with a JSON error when the node throws, and keeps serving', async () => {
    view.throwOnStatus = true;
    const r = await get('/status');
    expect(r.status).toBe(500);
    expect(r.json.error.code).toBe('internal');
    expect((await get('/peers')).status).toBe(200);
  });
});

describe('GET /blocks/:ref', () => {
  it('finds a block by height and by hash', async () => {
    const byHeight = await get('/blocks/1');
    expect(byHeight.status).toBe(200);
    expect(byHeight.json.hash).toBe(hex(view.blocks[1]!.hash));
    expect(byHeight.json.header.prevHash).toBe(hex(view.blocks[0]!.hash));
    expect(byHeight.json.header.bits).toBe('0x1f0fffff');
    expect(byHeight.json.txs).toHaveLength(1);
    expect(byHeight.json.txs[0]).toMatchObject({ amount: '5', fee: '1', nonce: '0', to: hex(bob.address), fromAddress: hex(alice.address) });
    expect(byHeight.json.cert.phases).toHaveLength(64);
    const byHash = await get('/blocks/' + byHeight.json.hash);
    expect(byHash.json).toEqual(byHeight.json);
  });

  it('404 for a missing block, 400 naming the field for bad refs', async () => {
    expect((await get('/blocks/99')).status).toBe(404);
    expect((await get('/blocks/' + 'ab'.repeat(32))).status).toBe(404);
    const badHash = await get('/blocks/xyz');
    expect(badHash.status).toBe(400);
    expect(badHash.json.error).toMatchObject({ code: 'bad-hex', field: 'hash' });
    const big = await get('/blocks/99999999999');
    expect(big.status).toBe(400);
    expect(big.json.error.field).toBe('height');
  });
});

describe('GET /headers', () => {
  it('returns decoded headers with hashes', async () => {
    const r = await get('/headers?from=1&count=2');
    expect(r.status).toBe(200);
    expect(r.json.from).toBe(1);
    expect(r.json.count).toBe(2);
    expect(r.json.headers.map((h: any) => h.height)).toEqual([1, 2]);
    expect(r.json.headers[0].hash).toBe(hex(view.blocks[1]!.hash));
    const all = await get('/headers');
    expect(all.json.count).toBe(4);
  });

  it('rejects count above 500, negative or non-numeric from', async () => {
    for (const [q, field] of [['count=501', 'count'], ['count=0', 'count'], ['from=-1', 'from'], ['from=abc', 'from']] as const) {
      const r = await get('/headers?' + q);
      expect(r.status, q).toBe(400);
      expect(r.json.error.field, q).toBe(field);
    }
  });
});

describe('transactions, accounts and mempool', () => {
  it('POST /tx accepts a signed tx, then GET /tx and /mempool show it', async () => {
    const bytes = makeTx(1n);
    const r = await post('/tx', JSON.stringify({ hex: hex(bytes) }));
    expect(r.status).toBe(202);
    expect(r.json.accepted).toBe(true);
    const id = r.json.txid as string;
    const again = await post('/tx', JSON.stringify({ hex: hex(bytes) }));
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ accepted: false, code: 'duplicate', txid: id });
    const t = await get('/tx/' + id);
    expect(t.status).toBe(200);
    expect(t.json).toMatchObject({ txid: id, status: 'mempool', nonce: '1' });
    const m = await get('/mempool');
    expect(m.json.count).toBe(1);
    expect(m.json.bytes).toBe(140);
    expect(m.json.txs[0].txid).toBe(id);
  });

  it('GET /tx finds a confirmed tx with its block', async () => {
    const b = await get('/blocks/1');
    const t = await get('/tx/' + b.json.txs[0].txid);
    expect(t.json).toMatchObject({ status: 'confirmed', height: 1, blockHash: b.json.hash });
  });

  it('POST /tx rejections name the field', async () => {
    const cases: Array<[string, number, string]> = [
      ['not json', 400, 'body'],
      ['{}', 400, 'hex'],
      [JSON.stringify({ hex: 'zz' }), 400, 'hex'],
      [JSON.stringify({ hex: 'ab'.repeat(139) }), 400, 'hex'],
      [JSON.stringify({ hex: hex(makeTx(2n, 0n)) }), 400, 'hex'],
    ];
    for (const [body, status, field] of cases) {
      const r = await post('/tx', body);
      expect(r.status, body.slice(0, 20)).toBe(status);
      expect(r.json.error.field, body.slice(0, 20)).toBe(field);
    }
    const zero = await post('/tx', JSON.stringify({ hex: hex(makeTx(2n, 0n)) }));
    expect(zero.json.error.code).toBe('bad-amount');
  });

  it('caps request bodies at 64 KiB with 413', async () => {
    const r = await post('/tx', JSON.stringify({ hex: 'a'.repeat(70_000) }));
    expect(r.status).toBe(413);
    expect(r.json.error.code).toBe('body-too-large');
  });

  it('413 also for a chunked body with no content-length', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(api.url + '/tx', { method: 'POST', headers: { 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      for (let i = 0; i < 20; i++) req.write('x'.repeat(8192));
      req.end();
    });
    expect(status).toBe(413);
  });

  it('GET /accounts returns balance and nonce as decimal strings', async () => {
    const r = await get('/accounts/' + hex(alice.address).toUpperCase());
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ address: hex(alice.address), balance: '5000000000', nonce: '1' });
    const empty = await get('/accounts/' + hex(bob.address));
    expect(empty.json.balance).toBe('0');
    const bad = await get('/accounts/1234');
    expect(bad.status).toBe(400);
    expect(bad.json.error.field).toBe('address');
  });

  it('GET /tx rejects a malformed id and 404s an unknown one', async () => {
    expect((await get('/tx/nothex')).json.error.field).toBe('id');
    expect((await get('/tx/' + '00'.repeat(32))).status).toBe(404);
  });
});

describe('routing', () => {
  it('404 for unknown routes, 405 with Allow for wrong methods', async () => {
    const nf = await get('/nope');
    expect(nf.status).toBe(404);
    expect(nf.json.error.code).toBe('not-found');
    const m = await get('/status', { method: 'DELETE' });
    expect(m.status).toBe(405);
    expect(m.headers.get('allow')).toBe('GET');
    const m2 = await get('/tx', { method: 'GET' });
    expect(m2.status).toBe(405);
    expect(m2.headers.get('allow')).toBe('POST');
  });

  it('GET /coherence returns the history and Z_C', async () => {
    const r = await get('/coherence');
    expect(r.json.zc).toBeCloseTo(Math.sqrt(3) / 2, 12);
    expect(r.json.points).toHaveLength(30);
  });

  it('GET / serves the self-contained dashboard', async () => {
    const r = await get('/');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/text\/html/);
    expect(r.text).toContain('id="chart"');
    expect(r.text).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
  });
});

describe('GET /metrics', () => {
  it('serves valid Prometheus text with the node metrics from one stats() call', async () => {
    await get('/status');
    const before = view.statsCalls;
    const r = await get('/metrics');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/text\/plain/);
    expect(view.statsCalls - before).toBe(1);
    const samples = checkPromText(r.text);
    const val = (name: string, labels = '') => samples.get(name + labels);
    expect(val('bloomcoin_height')).toBe(3);
    expect(val('bloomcoin_peers', '{direction="inbound"}')).toBe(1);
    expect(val('bloomcoin_messages_total', '{direction="in",type="PHASE"}')).toBe(40);
    expect(val('bloomcoin_bytes_total', '{direction="out",type="PHASE"}')).toBe(11000);
    expect(val('bloomcoin_invalid_messages_total', '{reason="phase-bad-r"}')).toBe(2);
    expect(val('bloomcoin_bans_total')).toBe(1);
    expect(val('bloomcoin_coherence_r')).toBe(0.91);
    expect(val('bloomcoin_coherence_rounds')).toBe(12);
    expect(val('bloomcoin_blocks_mined_total')).toBe(2);
    expect(val('bloomcoin_hashrate')).toBe(123456);
    expect(val('bloomcoin_gossip_relays_total')).toBe(4);
    expect(val('bloomcoin_pool_utilization')).toBe(0.5);
    expect(val('bloomcoin_api_requests_total', '{route="/status",method="GET",status="200"}')).toBe(1);
    // counters follow the node's cumulative values rather than adding up across scrapes
    view.r = 0.5;
    const again = checkPromText((await get('/metrics')).text);
    expect(again.get('bloomcoin_bans_total')).toBe(1);
    expect(again.get('bloomcoin_coherence_r')).toBe(0.5);
  });
});

describe('odd requests', () => {
  it('a path starting with // is not mistaken for a host, and bad percent-escapes are handled', async () => {
    expect((await get('//status')).status).toBe(404);
    const r = await get('/blocks/%zz');
    expect(r.status).toBe(400);
    expect(r.json.error.field).toBe('hash');
  });
});
