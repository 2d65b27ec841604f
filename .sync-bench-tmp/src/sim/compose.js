// Composition of one simulated node from the real parts (peer manager, chain, sync, gossip, miner).
// Same wiring as a real node; only transport, clock, store, randomness and nonce grinding are injected.
import { MemoryLevel } from 'memory-level';
import { Chain } from '../chain/chain.js';
import { GossipManager } from '../gossip/manager.js';
import { silentLogger } from '../log.js';
import { Miner } from '../miner/miner.js';
import { PeerManager } from '../p2p/manager.js';
import { SyncManager } from '../sync/manager.js';
import { VirtualHashPool } from './pool.js';
export async function composeNode(spec) {
    const { clock, core, profile } = spec;
    const log = silentLogger;
    const db = new MemoryLevel({ keyEncoding: 'view', valueEncoding: 'view' });
    const chain = await Chain.open({ dataDir: `/sim/${spec.host}`, db, profile, core, logger: log, now: () => clock.now(), cacheSize: 256 });
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
        seenCap: 1024,
    });
    const sync = new SyncManager({ net: p2p, chain, clock, logger: log });
    const gossip = new GossipManager({
        net: p2p,
        core,
        profile,
        strategy: spec.strategy,
        clock,
        logger: log,
        onBloom: (_peer, hash) => chain.hasBlock(hash),
    });
    const miner = spec.mine
        ? new Miner({
            chain,
            core,
            profile,
            minerAddress: spec.rng.bytes(20),
            gossip,
            pool: new VirtualHashPool(core, clock, spec.hashrate),
            net: p2p,
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
        async start() {
            if (stopped)
                return;
            await p2p.start();
            gossip.start();
            sync.start();
            miner?.start();
            started = true;
        },
        async stop() {
            if (stopped)
                return;
            stopped = true;
            await miner?.stop();
            gossip.stop();
            await sync.stop();
            await p2p.stop();
            await chain.close();
        },
    };
}
//# sourceMappingURL=compose.js.map