// A generated devnet chain is a real chain: a fresh node opens it, validates nothing away, and a second
// node syncs every block and transaction of it over real TCP on 127.0.0.1.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEVNET, Z_C } from '../src/constants.js';
import { resolveConfig, type ConfigInput } from '../src/config.js';
import { BloomNode } from '../src/node.js';
import { generateChain, generatorKey } from '../src/chain/generate.js';
import { addressOf } from '../src/chain/tx.js';
import { InputError } from '../src/errors.js';
import { waitFor } from './helpers/devnet-process.js';

const dirs: string[] = [];
const nodes: BloomNode[] = [];
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'bloom-gen-'));
  dirs.push(d);
  return d;
};

async function startNode(dataDir: string, over: ConfigInput = {}): Promise<BloomNode> {
  const node = await BloomNode.create(
    resolveConfig({ network: 'devnet', dataDir, host: '127.0.0.1', port: 0, apiPort: 0, oscillators: 256, mine: false, ...over }),
  );
  nodes.push(node);
  await node.start();
  return node;
}

afterEach(async () => {
  await Promise.all(nodes.splice(0).map((n) => n.stop()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('generateChain', () => {
  it('300 blocks × 5 txs: a fresh node opens the chain and a second node syncs it over TCP', async () => {
    const dir = tmp();
    const seen: number[] = [];
    const res = await generateChain({ dataDir: dir, blocks: 300, txsPerBlock: 5, progressEvery: 100, onProgress: (p) => seen.push(p.done) });
    expect(res).toMatchObject({ height: 300, blocksAdded: 300, txsAdded: 299 * 5 });
    expect(seen).toEqual([100, 200, 300]);

    const source = await startNode(dir);
    expect(source.status().height).toBe(300);
    const b = await source.getBlock(300);
    expect(b?.block.txs.length).toBe(5);
    expect(b!.block.cert.r).toBeGreaterThanOrEqual(Z_C);
    expect(b!.block.header.timestamp).toBe(DEVNET.genesisTime + 300 * DEVNET.blockTimeSec * 1000);
    // every generated tx moved funds: the 64 payees hold 1495 × 1000 between them
    const payee = await source.getAccount(addressOf(generatorKey(1, 1).publicKey));
    expect(payee.balance).toBe(24n * 1000n); // payee 0 of 64 gets txs 0, 64, …, 1472: 24 of 1495

    const fresh = await startNode(tmp(), { seeds: [`127.0.0.1:${source.net.port}`] });
    await waitFor('the fresh node at height 300', async () => (fresh.status().height === 300 ? true : undefined), 60_000, 50);
    expect(Buffer.from(fresh.chain.tip().hash).toString('hex')).toBe(res.tip);
    expect((await fresh.getAccount(addressOf(generatorKey(1, 1).publicKey))).balance).toBe(24n * 1000n);
    const miner = await fresh.getAccount(addressOf(generatorKey(1, 0).publicKey));
    expect(miner.nonce).toBe(1495n);
  }, 120_000);

  it('extends an existing chain from its tip, deterministically for a seed', async () => {
    const a = tmp();
    const b = tmp();
    await generateChain({ dataDir: a, blocks: 30, txsPerBlock: 2 });
    const r1 = await generateChain({ dataDir: a, blocks: 20, txsPerBlock: 2 });
    const r2 = await generateChain({ dataDir: b, blocks: 50, txsPerBlock: 2 });
    expect(r1.height).toBe(50);
    expect(r1.tip).toBe(r2.tip);
    expect(r1.blocksAdded).toBe(20);
  }, 60_000);

  it('refuses mainnet and out-of-range counts with a typed error', async () => {
    await expect(generateChain({ dataDir: tmp(), blocks: 1, network: 'mainnet' })).rejects.toThrow(InputError);
    await expect(generateChain({ dataDir: tmp(), blocks: -1 })).rejects.toThrow(InputError);
    await expect(generateChain({ dataDir: tmp(), blocks: 1, txsPerBlock: 1.5 })).rejects.toThrow(InputError);
  });
});
