// TCP fuzzer (CI size): ~1,000 hostile frames over many short-lived connections to a real devnet node.
// No crash, no unhandled rejection, heap flat after GC, and an honest peer served throughout.
// test/torture/fuzz-tcp.test.ts sends ≥ 10,000.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVNET } from '../src/constants.js';
import { resolveConfig } from '../src/config.js';
import { genesisBlock } from '../src/chain/genesis.js';
import { BloomNode } from '../src/node.js';
import { MsgType } from '../src/wire/types.js';
import { core, makeChain } from './helpers/chain.js';
import { HostileClient, loopbackOnlyTransport, waitFor } from './helpers/hostile-client.js';
import { heapAfterGc, honestServed, runTcpFuzz } from './helpers/tcp-fuzz.js';

let dir: string;
let node: BloomNode;
const rejections: unknown[] = [];
const onRejection = (e: unknown): void => void rejections.push(e);

beforeAll(async () => {
  process.on('unhandledRejection', onRejection);
  dir = mkdtempSync(join(tmpdir(), 'bloom-fuzz-tcp-'));
  node = await BloomNode.create(resolveConfig({ dataDir: dir, network: 'devnet', host: '127.0.0.1', port: 0, apiPort: 0, mine: false, maxPeers: 16 }), { transport: loopbackOnlyTransport() });
  await node.start();
  const g = genesisBlock(core, DEVNET);
  for (const b of makeChain({ hash: g.hash, header: g.header }, 5)) await node.sync.submitBlock(b.bytes);
  expect(node.status().height).toBe(5);
});

afterAll(async () => {
  HostileClient.destroyAll();
  await node?.stop();
  process.off('unhandledRejection', onRejection);
  rmSync(dir, { recursive: true, force: true });
});

describe('TCP fuzzer', () => {
  it('1,000 hostile frames: the node survives, its heap stays flat and the honest peer is served throughout', async () => {
    const honest = await HostileClient.handshaken(node.net.port);
    await honestServed(honest, 6);
    // warm-up, so lazily built state (caches, JIT) does not count as growth
    await runTcpFuzz(node, { frames: 150, perConnection: 12, concurrency: 8, seed: 0xf0 });
    const heapBefore = heapAfterGc();
    let checks = 0;
    const res = await runTcpFuzz(node, {
      frames: 1_000,
      perConnection: 12,
      concurrency: 8,
      seed: 0xf1,
      onBatch: async (sent) => {
        if (sent % 200 < 96) {
          await honestServed(honest, 6);
          checks++;
        }
      },
    });
    expect(res.frames).toBe(1_000);
    expect(res.connections).toBeGreaterThan(100);
    for (const kind of ['random', 'mutated', 'truncated', 'oversized', 'garbage', 'valid']) expect(res.byKind[kind]).toBeGreaterThan(0);
    expect(checks).toBeGreaterThanOrEqual(4);
    await waitFor(() => node.net.connections().length === 1, 5000, 'hostile connections closed');
    const growth = heapAfterGc() - heapBefore;
    expect(growth).toBeLessThan(8 << 20);
    // the node still works: the honest peer is connected and served, bans happened, nothing crashed
    expect(honest.closed).toBe(false);
    await honestServed(honest, 6);
    await honest.roundTrip();
    const st = node.net.stats();
    expect(st.bansTotal).toBeGreaterThan(0);
    expect(Object.keys(st.invalid).length).toBeGreaterThan(3);
    expect(node.status().height).toBe(5);
    expect(node.net.peers().map((p) => p.address.split(':')[0])).toEqual(['127.0.0.1']);
    expect(honest.count(MsgType.BLOCKS)).toBeGreaterThanOrEqual(6);
    expect(rejections).toEqual([]);
  });
});
