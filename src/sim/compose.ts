// Fallback composition of one simulated node, used only while BloomNode.create cannot take the
// simulator's profile: the same parts wired as in src/node.ts (mempool, sync-submitted blocks, BLOOM fetch).
import { MemoryLevel } from 'memory-level';
import { Chain } from '../chain/chain.js';
import { Mempool } from '../chain/mempool.js';
import type { ChainDb } from '../chain/store.js';
import { GossipManager } from '../gossip/manager.js';
import { silentLogger } from '../log.js';
import { Miner } from '../miner/miner.js';
import { PeerManager } from '../p2p/manager.js';
import { SyncManager } from '../sync/manager.js';
import type { SimNode, SimNodeSpec } from './factory.js';
import { VirtualHashPool } from './pool.js';

export const memoryDb = (): ChainDb =>
  new MemoryLevel<Uint8Array, Uint8Array>({ keyEncoding: 'view', valueEncoding: 'view' }) as unknown as ChainDb;

export async function composeNode(spec: SimNodeSpec): Promise<SimNode> {
  const { clock, core, profile } = spec;
  const log = silentLogger;
  const chain = await Chain.open({ dataDir: `/nonexistent/bloomcoin-sim/${spec.host}`, db: memoryDb(), profile, core, logger: log, now: () => clock.now() });
  const mempool = new Mempool(chain);
  const p2p = new PeerManager({
    transport: spec.transport,
    clock,
    profile,
    listenHost: spec.host,
    listenPort: spec.port,
    maxPeers: spec.maxPeers,
    seeds: spec.seeds.map((h) => `${h}:${spec.port}`),
    localInfo: () => {
      const t = chain.tip();
      return { height: t.height, chainWork: t.chainWork };
    },
    logger: log,
    nonce: (BigInt(spec.rng.u32()) << 32n) | BigInt(spec.rng.u32()),
  });
  const sync = new SyncManager({ net: p2p, chain, mempool, clock, logger: log });
  const gossip = new GossipManager({
    net: p2p,
    core,
    profile,
    strategy: spec.strategy,
    clock,
    logger: log,
    onBloom: async (peer, hash) => {
      if (await chain.hasBlock(hash)) return true;
      void sync.announce(peer, { hash });
      return false;
    },
  });
  const miner = spec.mine
    ? new Miner({
        chain: {
          tip: () => chain.tip(),
          headerTip: () => chain.headerTip(),
          onTip: (cb) => chain.onTip(cb),
          buildTemplate: (o) => chain.buildTemplate(o),
          addBlock: (bytes) => sync.submitBlock(bytes),
        },
        core,
        profile,
        minerAddress: spec.rng.bytes(20),
        mempool,
        gossip,
        pool: new VirtualHashPool(core, clock, spec.hashrate),
        clock,
        logger: log,
        oscillators: spec.oscillators,
        seed: spec.rng.u32(),
      })
    : null;
  let started = false;
  let stopped = false;
  return {
    index: spec.index,
    host: spec.host,
    get started() {
      return started && !stopped;
    },
    chain,
    networkCoherence: () => gossip.networkCoherence(),
    minerR: () => (miner ? miner.status().r : null),
    inspect: () => ({ headerHeight: chain.headerTip().height, peers: p2p.peers().length, sync: sync.stats() }),
    async start() {
      if (stopped) return;
      await p2p.start();
      gossip.start();
      sync.start();
      miner?.start();
      started = true;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await miner?.stop();
      gossip.stop();
      await sync.stop();
      await p2p.stop();
      await chain.close();
    },
  };
}
