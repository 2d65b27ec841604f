// Issue 19.7 over real sockets: a peer announces a heavier header chain and never serves its blocks. The miner
// must keep building on its best fully validated tip (not stop for good) and /status must say what it does.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Chain } from '../src/chain/chain.js';
import { encodeHeader } from '../src/chain/header.js';
import { generateChain } from '../src/chain/generate.js';
import { resolveConfig } from '../src/config.js';
import { DEVNET } from '../src/constants.js';
import { loadCore } from '../src/core/index.js';
import { BloomNode } from '../src/node.js';
import { MsgType } from '../src/wire/types.js';
import { HostileClient, waitFor } from './helpers/hostile-client.js';

const dirs: string[] = [];
const tmp = (p: string): string => {
  const d = mkdtempSync(join(tmpdir(), p));
  dirs.push(d);
  return d;
};

afterAll(() => {
  HostileClient.destroyAll();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('withheld heavier headers', () => {
  it('do not stop the miner: it mines its validated tip once blocks stop coming, and /status says so', async () => {
    const HEAVY = 40;
    const core = await loadCore();
    const genDir = tmp('bloom-withheld-gen-');
    await generateChain({ dataDir: genDir, blocks: HEAVY, core, seed: 7 });
    const gen = await Chain.open({ dataDir: genDir, profile: DEVNET, core });
    const headers: Uint8Array[] = [];
    for (let h = 1; h <= HEAVY; h++) headers.push(encodeHeader((await gen.getHeaderByHeight(h))!));
    await gen.close();

    const node = await BloomNode.create(
      resolveConfig({ network: 'devnet', dataDir: tmp('bloom-withheld-node-'), host: '127.0.0.1', port: 0, apiPort: 0, oscillators: 1024 }),
    );
    try {
      await node.start();
      await waitFor(() => node.status().height >= 1, 30_000, 'first block mined');
      const liar = await HostileClient.handshaken(node.net.port, { height: HEAVY, chainWork: 1n << 60n }, '127.0.0.2');
      liar.on(MsgType.GETBLOCKS, () => void liar.send({ type: MsgType.BLOCKS, headers: [] }));
      liar.send({ type: MsgType.BLOCKS, headers });
      await waitFor(() => node.chain.headerTip().height === HEAVY, 10_000, 'heavier headers stored');
      const stalledAt = node.status().height;
      expect(stalledAt).toBeLessThan(HEAVY);
      expect(node.status().miningActivity).toBe('syncing');
      // the blocks never come: after the stall allowance the miner builds on its own tip again
      await waitFor(() => node.status().height > stalledAt + 1, 40_000, 'mining resumed on the validated tip');
      expect(node.chain.headerTip().height).toBe(HEAVY);
      expect(['gathering', 'grinding']).toContain(node.status().miningActivity);
      expect(node.status().mining).toBe(true);
    } finally {
      await node.stop();
    }
  }, 90_000);
});
