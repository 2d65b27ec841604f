// Whole nodes over real sockets on 127.0.0.1: a lone miner, three miners converging, the API's view of them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Z_C } from '../src/constants.js';
import { resolveConfig, type ConfigInput } from '../src/config.js';
import { BloomNode } from '../src/node.js';
import { startApi, type ApiServer } from '../src/api/server.js';

const dirs: string[] = [];
const nodes: BloomNode[] = [];
const apis: ApiServer[] = [];

async function makeNode(over: ConfigInput = {}): Promise<BloomNode> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bloom-node-'));
  dirs.push(dataDir);
  const node = await BloomNode.create(
    resolveConfig({ network: 'devnet', dataDir, host: '127.0.0.1', port: 0, apiPort: 0, oscillators: 1024, ...over }),
  );
  nodes.push(node);
  await node.start();
  return node;
}

async function until(what: string, cond: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

afterEach(async () => {
  await Promise.all(apis.splice(0).map((a) => a.close()));
  await Promise.all(nodes.splice(0).map((n) => n.stop()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('BloomNode', () => {
  it('a lone devnet miner reaches height 10 on its own, each block certified above Z_C', async () => {
    const node = await makeNode();
    await until('height 10', () => node.status().height >= 10, 50_000);
    for (let h = 1; h <= 10; h++) {
      const info = await node.getBlock(h);
      expect(info?.mainChain).toBe(true);
      expect(info!.block.cert.r).toBeGreaterThanOrEqual(Z_C);
      expect(info!.block.cert.rounds).toBeGreaterThanOrEqual(7);
    }
    // the miner's payout: subsidy credited to its address
    const acct = await node.getAccount((await node.getBlock(1))!.block.minerAddress);
    expect(acct.balance).toBeGreaterThan(0n);
  }, 60_000);

  it('three miners over loopback converge on one chain and /status shows r above Z_C at times', async () => {
    const a = await makeNode();
    const seed = [`127.0.0.1:${a.net.port}`];
    const b = await makeNode({ seeds: seed });
    const c = await makeNode({ seeds: seed });
    const api = await startApi(b, { host: '127.0.0.1', port: 0 });
    apis.push(api);

    let sawCoherent = false;
    await until(
      'three handshaken peers each side',
      () => a.status().peers >= 2 && b.status().peers >= 1 && c.status().peers >= 1,
      15_000,
    );
    await until(
      'height 6 everywhere and r > Z_C on /status',
      async () => {
        const s = (await (await fetch(`http://127.0.0.1:${api.port}/status`)).json()) as {
          height: number;
          coherence: { r: number; psi: number };
          peers: number;
          mining: boolean;
        };
        expect(s.mining).toBe(true);
        if (s.coherence.r > Z_C) sawCoherent = true;
        return sawCoherent && [a, b, c].every((n) => n.status().height >= 6);
      },
      50_000,
    );
    // two miners stop; the third's next blocks carry more work than any tie left behind, so all follow it
    await Promise.all([b, c].map((n) => n.miner!.stop()));
    const stopHeight = a.status().height;
    await until(
      'one tip, above the height where b and c stopped',
      () => a.status().height > stopHeight + 1 && new Set([a, b, c].map((n) => hex(n.status().tipHash))).size === 1,
      30_000,
    );
    await a.miner!.stop();
    expect(sawCoherent).toBe(true);
    // and the same chain below it
    const h = a.status().height;
    const hashes = await Promise.all([a, b, c].map(async (n) => hex((await n.getBlock(h - 3))!.hash)));
    expect(new Set(hashes).size).toBe(1);
  }, 90_000);

  it('a --no-mine node follows a miner and relays what it hears', async () => {
    const miner = await makeNode();
    const full = await makeNode({ mine: false, seeds: [`127.0.0.1:${miner.net.port}`] });
    const leaf = await makeNode({ mine: false, seeds: [`127.0.0.1:${full.net.port}`] });
    expect(full.status().mining).toBe(false);
    await until('leaf at height 3 via the full node', () => leaf.status().height >= 3, 40_000);
    expect(full.status().height).toBeGreaterThanOrEqual(3);
    // phases travel through the non-mining node too
    await until('leaf hears coherence', () => leaf.status().networkCoherence > 0, 10_000);
  }, 60_000);
});
