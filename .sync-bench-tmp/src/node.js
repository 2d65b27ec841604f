// A running BloomCoin node: composes the core, chain, peer layer, sync, gossip and miner, and is the
// NodeView that the HTTP API, metrics and dashboard read.
import { readFileSync } from 'node:fs';
import { HEADER_SIZE, PROFILES, PROTOCOL_VERSION } from './constants.js';
import { loadCore } from './core/index.js';
import { CorePool } from './core/pool.js';
import { Chain } from './chain/chain.js';
import { Mempool } from './chain/mempool.js';
import { decodeBlock } from './chain/block.js';
import { GossipManager } from './gossip/manager.js';
import { Miner } from './miner/miner.js';
import { silentLogger } from './log.js';
import { systemClock } from './p2p/clock.js';
import { PeerManager } from './p2p/manager.js';
import { TcpTransport } from './p2p/transport.js';
import { SyncManager } from './sync/manager.js';
import { defaultKey } from './wallet.js';
export const VERSION = (() => {
    try {
        return JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
    }
    catch {
        return '0.0.0';
    }
})();
export const USER_AGENT = `/bloomcoin:${VERSION}/`;
/** Dashboard samples: one per second, ten minutes. */
const HISTORY_MS = 1000;
const HISTORY_LEN = 600;
const hexOf = (b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
const bytesOf = (hex) => new Uint8Array(Buffer.from(hex, 'hex'));
/** The address book and ban list persisted in the chain store's peer table. */
function jsonStore(chain, key) {
    return {
        load: async () => {
            const v = await chain.peers.get(key);
            try {
                return v ? JSON.parse(v) : [];
            }
            catch {
                return []; // a damaged address list is not worth refusing to start over
            }
        },
        save: (items) => chain.peers.put(key, JSON.stringify(items)),
    };
}
export class BloomNode {
    config;
    core;
    chain;
    txpool;
    net;
    sync;
    gossip;
    miner;
    pool;
    ownsPool;
    profile;
    clock;
    log;
    startedAt = 0;
    historyTimer = null;
    history = [];
    stopping = null;
    constructor(config, core, chain, txpool, net, sync, gossip, miner, pool, ownsPool, deps) {
        this.config = config;
        this.core = core;
        this.chain = chain;
        this.txpool = txpool;
        this.net = net;
        this.sync = sync;
        this.gossip = gossip;
        this.miner = miner;
        this.pool = pool;
        this.ownsPool = ownsPool;
        this.profile = PROFILES[config.network];
        this.clock = deps.clock ?? systemClock;
        this.log = deps.logger ?? silentLogger;
    }
    static async create(config, deps = {}) {
        const profile = PROFILES[config.network];
        const logger = deps.logger ?? silentLogger;
        const clock = deps.clock ?? systemClock;
        const core = deps.core ?? (await loadCore());
        const chain = await Chain.open({ dataDir: config.dataDir, db: deps.db, profile, core, logger, now: () => clock.now() });
        try {
            const mempool = new Mempool(chain);
            const net = new PeerManager({
                transport: deps.transport ?? new TcpTransport(),
                clock,
                profile,
                listenHost: config.host,
                listenPort: config.port,
                maxPeers: config.maxPeers,
                seeds: config.seeds.map((s) => (s.host.includes(':') ? `[${s.host}]:${s.port}` : `${s.host}:${s.port}`)),
                localInfo: () => {
                    const t = chain.tip();
                    return { height: t.height, chainWork: t.chainWork };
                },
                logger,
                banMs: config.banMs,
                userAgent: USER_AGENT,
                nonce: deps.nonce,
                addrStore: jsonStore(chain, 'addrbook'),
                banStore: jsonStore(chain, 'bans'),
            });
            const sync = new SyncManager({ net, chain, mempool, clock, logger });
            const gossip = new GossipManager({
                net,
                core,
                profile,
                strategy: config.gossip,
                clock,
                logger,
                // a BLOOM for a block we do not hold yet is an announcement: fetch it; relay only what we hold
                onBloom: async (peer, hash) => {
                    if (await chain.hasBlock(hash))
                        return true;
                    void sync.announce(peer, { hash });
                    return false;
                },
            });
            let pool = deps.pool ?? null;
            const ownsPool = config.mine && !deps.pool;
            if (ownsPool)
                pool = await CorePool.create();
            let miner = null;
            if (config.mine) {
                const minerAddress = bytesOf(config.minerAddress ?? defaultKey(config.dataDir).address);
                miner = new Miner({
                    // the miner's blocks go through sync, which serialises them with the network's and relays them
                    chain: {
                        tip: () => chain.tip(),
                        headerTip: () => chain.headerTip(),
                        onTip: (cb) => chain.onTip(cb),
                        buildTemplate: (o) => chain.buildTemplate(o),
                        addBlock: (bytes) => sync.submitBlock(bytes),
                    },
                    core,
                    profile,
                    minerAddress,
                    mempool,
                    gossip,
                    pool: pool ?? undefined,
                    clock,
                    logger,
                    oscillators: config.oscillators,
                    seed: deps.minerSeed,
                });
            }
            return new BloomNode(config, core, chain, mempool, net, sync, gossip, miner, pool, ownsPool, deps);
        }
        catch (err) {
            await chain.close();
            throw err;
        }
    }
    /** Listens, dials seeds, starts sync, gossip and (unless --no-mine) the miner. */
    async start() {
        this.startedAt = this.clock.now();
        await this.net.start();
        this.sync.start();
        this.gossip.start();
        this.miner?.start();
        this.historyTimer = this.clock.setInterval(() => this.sample(), HISTORY_MS);
        const t = this.chain.tip();
        this.log.info({ network: this.profile.name, height: t.height, tip: hexOf(t.hash), listen: this.listenAddress(), mining: !!this.miner }, 'node started');
    }
    /** Stops mining, tells peers (closes cleanly), closes the pool and the store. Idempotent. */
    stop() {
        this.stopping ??= (async () => {
            if (this.historyTimer !== null)
                this.clock.clearInterval(this.historyTimer);
            await this.miner?.stop();
            this.gossip.stop();
            this.sync.stop();
            await this.net.stop();
            if (this.ownsPool)
                await this.pool?.close?.();
            await this.chain.close();
            this.log.info('node stopped');
        })();
        return this.stopping;
    }
    /** "host:port" the P2P server is bound to, if listening. */
    listenAddress() {
        const port = this.net.port;
        return port ? `${this.config.host}:${port}` : undefined;
    }
    tip() {
        return this.chain.tip();
    }
    coherence() {
        if (this.miner) {
            const s = this.miner.status();
            return { r: s.r, psi: s.psi };
        }
        // a full node has no oscillators of its own: it shows what its peers report
        return { r: this.gossip.networkCoherence(), psi: this.peersPsi() };
    }
    /** Circular mean of the peers' last psi values (0 when none has shared). */
    peersPsi() {
        let x = 0;
        let y = 0;
        for (const p of this.net.peers()) {
            if (!p.phaseState)
                continue;
            x += Math.cos(p.phaseState.psi);
            y += Math.sin(p.phaseState.psi);
        }
        const a = Math.atan2(y, x);
        return x === 0 && y === 0 ? 0 : a < 0 ? a + 2 * Math.PI : a;
    }
    sample() {
        this.history.push({ t: this.clock.now(), r: this.coherence().r, network: this.gossip.networkCoherence() });
        if (this.history.length > HISTORY_LEN)
            this.history.splice(0, this.history.length - HISTORY_LEN);
    }
    // ------------------------------------------------------------------ NodeView
    status() {
        const t = this.chain.tip();
        const p = this.sync.progress();
        const m = this.miner?.status();
        return {
            network: this.profile.name,
            version: VERSION,
            protocolVersion: PROTOCOL_VERSION,
            userAgent: USER_AGENT,
            height: t.height,
            tipHash: t.hash,
            tipTime: t.header.timestamp,
            peers: this.net.peers().length,
            coherence: this.coherence(),
            coherenceRounds: m?.rounds ?? 0,
            networkCoherence: this.gossip.networkCoherence(),
            mining: m?.mining ?? false,
            syncing: p.syncing,
            sync: { headers: p.headers, blocks: p.blocks, targetHeight: p.targetHeight, rate: p.rateBlocksPerSec, etaSec: p.etaSec },
            uptimeSec: this.startedAt ? Math.max(0, (this.clock.now() - this.startedAt) / 1000) : 0,
            listen: this.listenAddress(),
        };
    }
    peers() {
        return this.net.peers().map((p) => ({
            id: p.id,
            address: p.address,
            inbound: p.inbound,
            version: p.version,
            userAgent: p.userAgent,
            height: p.height,
            coherence: p.coherence,
            lastSeen: p.lastSeen,
            connectedAt: p.connectedAt,
            bytesIn: p.bytesIn,
            bytesOut: p.bytesOut,
            msgsIn: p.msgsIn,
            msgsOut: p.msgsOut,
            score: p.score,
            pingMs: p.pingMs,
        }));
    }
    async getBlock(ref) {
        const hash = typeof ref === 'number' ? await this.chain.getHashByHeight(ref) : ref;
        if (!hash)
            return undefined;
        const bytes = await this.chain.getBlockBytes(hash);
        if (!bytes)
            return undefined;
        const block = decodeBlock(bytes);
        return { hash: this.core.sha256d(bytes.subarray(0, HEADER_SIZE)), block, size: bytes.length, mainChain: this.chain.isMain(hash, block.header.height) };
    }
    getHeaders(from, count) {
        return this.chain.getHeadersRange(from, count);
    }
    async getTx(txid) {
        const pending = this.txpool.get(txid);
        if (pending)
            return { tx: pending.tx, status: 'mempool' };
        const found = await this.chain.getTx(txid);
        if (!found)
            return undefined;
        return { tx: found.tx, status: 'confirmed', blockHash: found.blockHash, height: found.height };
    }
    getAccount(address) {
        return this.chain.getAccount(address);
    }
    mempool() {
        return this.txpool.list(1000).map((e) => ({ txid: e.id, tx: e.tx, addedAt: e.addedAt }));
    }
    async submitTx(bytes) {
        const r = await this.sync.submitTx(bytes);
        return { accepted: r.accepted, txid: this.core.sha256d(bytes), code: r.code, reason: r.reason };
    }
    coherenceHistory() {
        return this.history.slice();
    }
    stats() {
        const n = this.net.stats();
        const s = this.sync.progress();
        const g = this.gossip.stats();
        const m = this.miner?.status();
        const c = this.coherence();
        const pool = this.pool;
        return {
            height: this.chain.tip().height,
            headerHeight: this.chain.headerTip().height,
            peers: { inbound: n.inbound, outbound: n.outbound },
            messagesIn: n.msgsInByType,
            messagesOut: n.msgsOutByType,
            bytesIn: n.bytesInByType,
            bytesOut: n.bytesOutByType,
            invalid: { ...n.invalid, 'invalid-phase': g.invalid, 'invalid-block': this.sync.stats().blocksInvalid },
            bans: n.bansTotal,
            sync: { headers: s.headers, blocks: s.blocks, target: s.targetHeight },
            mempool: { size: this.txpool.size, bytes: this.txpool.bytes },
            coherence: { r: c.r, psi: c.psi, network: this.gossip.networkCoherence() },
            rounds: m?.rounds ?? 0,
            roundsTotal: m?.roundsTotal ?? 0,
            blocksMined: m?.blocksMined ?? 0,
            hashrate: m?.hashrate ?? 0,
            gossip: { shares: g.shares, relays: g.relays },
            pool: { utilization: pool?.utilization ?? 0, queue: pool?.queueSize ?? 0 },
        };
    }
}
//# sourceMappingURL=node.js.map