// Partition with real network namespaces (root only): two namespaces joined by a veth pair, one mining node in
// each; the link goes down (`ip link set … down`), both mine apart, the link comes back and both converge on
// the branch with most work; the loser's transaction is back in its mempool or re-mined on the winning branch.
// Every address lives on veth pairs this test creates (10.231.{1,2,3}.0/24); tc netem is not available here,
// so there is no delay or loss, only a clean cut.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKey } from '../../src/wallet.js';
import { account, api, assertBuilt, reapAll, sendTx, sleep, startNode, status, waitFor, type DevnetProcess } from '../helpers/devnet-process.js';

const n = process.pid % 10_000;
const NS = { a: `bloomp-a-${n}`, b: `bloomp-b-${n}` };
// interface names ≤ 15 chars
const IF = { ra: `bpr${n}a`, ar: `bpa${n}r`, rb: `bpr${n}b`, br: `bpb${n}r`, ax: `bpa${n}x`, bx: `bpb${n}x` };
const P2P = { a: '10.231.3.1', b: '10.231.3.2' };
const API = { a: '10.231.1.2', b: '10.231.2.2' };
let root = '';

const ip = (...args: string[]): string => execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const inNs = (ns: string, ...args: string[]): string => ip('netns', 'exec', ns, 'ip', ...args);

function teardown(): void {
  for (const ns of Object.values(NS)) {
    try {
      ip('netns', 'del', ns); // takes its veth ends, and so the pairs, with it
    } catch {
      /* not there */
    }
  }
}

beforeAll(() => {
  assertBuilt();
  teardown();
  root = mkdtempSync(join(tmpdir(), 'bloom-netns-'));
  ip('netns', 'add', NS.a);
  ip('netns', 'add', NS.b);
  // API links: root ↔ each namespace (no forwarding in the root namespace, so A and B reach each other only by the x link)
  ip('link', 'add', IF.ra, 'type', 'veth', 'peer', 'name', IF.ar);
  ip('link', 'add', IF.rb, 'type', 'veth', 'peer', 'name', IF.br);
  ip('link', 'add', IF.ax, 'type', 'veth', 'peer', 'name', IF.bx);
  ip('link', 'set', IF.ar, 'netns', NS.a);
  ip('link', 'set', IF.ax, 'netns', NS.a);
  ip('link', 'set', IF.br, 'netns', NS.b);
  ip('link', 'set', IF.bx, 'netns', NS.b);
  ip('addr', 'add', '10.231.1.1/24', 'dev', IF.ra);
  ip('addr', 'add', '10.231.2.1/24', 'dev', IF.rb);
  ip('link', 'set', IF.ra, 'up');
  ip('link', 'set', IF.rb, 'up');
  for (const [ns, rIf, xIf, apiAddr, p2p] of [
    [NS.a, IF.ar, IF.ax, API.a, P2P.a],
    [NS.b, IF.br, IF.bx, API.b, P2P.b],
  ] as const) {
    inNs(ns, 'link', 'set', 'lo', 'up');
    inNs(ns, 'addr', 'add', `${apiAddr}/24`, 'dev', rIf);
    inNs(ns, 'addr', 'add', `${p2p}/24`, 'dev', xIf);
    inNs(ns, 'link', 'set', rIf, 'up');
    inNs(ns, 'link', 'set', xIf, 'up');
  }
});

afterAll(async () => {
  await reapAll();
  teardown();
  if (root) rmSync(root, { recursive: true, force: true });
});

const txStatus = async (p: DevnetProcess, id: string) => (await api<{ status?: string; blockHash?: string }>(p.api, `/tx/${id}`)).json;

describe('partition in network namespaces', () => {
  it('link down: both sides mine apart; link up: one branch wins everywhere, the loser tx is not lost', { timeout: 5 * 60_000 }, async () => {
    const kA = generateKey();
    const kB = generateKey();
    const payee = generateKey().address;
    const common = { port: 17618, apiPort: 17619 };
    const a = await startNode({ ...common, dataDir: join(root, 'a'), netns: NS.a, host: P2P.a, apiHost: API.a, seeds: [`${P2P.b}:17618`], minerAddress: kA.address });
    const b = await startNode({ ...common, dataDir: join(root, 'b'), netns: NS.b, host: P2P.b, apiHost: API.b, seeds: [`${P2P.a}:17618`], minerAddress: kB.address });

    // 1. linked: a shared prefix paying both miners
    await waitFor('shared prefix funding both', async () => {
      const [sa, sb] = await Promise.all([status(a.api), status(b.api)]);
      if (sa.tipHash !== sb.tipHash) return undefined;
      const [x, y] = await Promise.all([account(b.api, kA.address), account(a.api, kB.address)]);
      return x.balance > 0n && y.balance > 0n ? true : undefined;
    }, 60_000, 250);

    // 2. cut the only link between the namespaces; each side confirms its own tx
    inNs(NS.a, 'link', 'set', IF.ax, 'down');
    const txA = await sendTx(a.api, kA, payee, 4000n, 0n);
    const txB = await sendTx(b.api, kB, payee, 6000n, 0n);
    expect(txA.accepted && txB.accepted, JSON.stringify([txA, txB])).toBe(true);
    await waitFor('both sides confirm', async () => {
      const [x, y] = await Promise.all([txStatus(a, txA.txid), txStatus(b, txB.txid)]);
      return x.status === 'confirmed' && y.status === 'confirmed' ? true : undefined;
    }, 30_000, 250);
    await sleep(6000); // mine apart a little longer
    const [sa, sb] = await Promise.all([status(a.api), status(b.api)]);
    expect(sa.tipHash).not.toBe(sb.tipHash);
    expect((await api(a.api, `/tx/${txB.txid}`)).status).toBe(404); // the cut held
    const blockOfA = (await txStatus(a, txA.txid)).blockHash!;
    const blockOfB = (await txStatus(b, txB.txid)).blockHash!;

    // 3. link up: converge on one branch
    inNs(NS.a, 'link', 'set', IF.ax, 'up');
    const top = Math.max(sa.height, sb.height);
    await waitFor('convergence', async () => {
      const [x, y] = await Promise.all([api<{ hash?: string }>(a.api, `/blocks/${top}`), api<{ hash?: string }>(b.api, `/blocks/${top}`)]);
      return x.status === 200 && x.json.hash === y.json.hash ? true : undefined;
    }, 120_000, 500);
    const winner = (await api<{ mainChain?: boolean }>(a.api, `/blocks/${blockOfA}`)).json.mainChain ? 'a' : 'b';
    const [loser, lostTx, lostBlock] = winner === 'a' ? [b, txB.txid, blockOfB] : [a, txA.txid, blockOfA];
    expect((await api<{ mainChain?: boolean }>(loser.api, `/blocks/${lostBlock}`)).json.mainChain).toBe(false);
    // the loser's tx came back to its mempool; its own miner may already have put it on the winning branch
    const t = await waitFor('loser tx pending or re-confirmed', async () => {
      const x = await txStatus(loser, lostTx);
      return x.status === 'mempool' || x.status === 'confirmed' ? x : undefined;
    }, 10_000);
    if (t.status === 'confirmed') expect(t.blockHash).not.toBe(lostBlock);
    for (const p of [a, b]) expect((await p.stop()).code).toBe(0);
  });
});
