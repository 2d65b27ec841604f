import { it } from 'vitest';
import { chainDir, connect, copyDir, genesis, getCore, makeBlocks, startNode, stopAll, tempDir } from './sync-fixture.js';
it('debug', async () => {
  const core = await getCore();
  const blocks = makeBlocks(core, genesis(core), 3000, new Uint8Array(20).fill(1));
  const dir = await chainDir(blocks);
  const a = await startNode(copyDir(dir));
  const b = await startNode(tempDir());
  await connect(b, a);
  for (let i = 0; i < 20; i++) {
    await new Promise((r) => setTimeout(r, 500));
    const s = b.sync.stats();
    console.log((globalThis as any).__mb|0, (globalThis as any).__mbn, b.chain.tip().height, b.chain.headerTip().height, JSON.stringify({ ...s, peers: s.peers.map(p => [p.window, p.inFlightRequests, p.inFlightBlocks, p.stalls, p.delivered]) }));
    if (b.chain.tip().height === 3000) break;
  }
  await stopAll();
}, 60000);
