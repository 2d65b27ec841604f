// A running BloomCoin node: composes the core, chain, peer layer, sync, gossip and miner, and is the
// NodeView that the HTTP API, metrics and dashboard read.
import { HEADER_SIZE, PROFILES, PROTOCOL_VERSION, type NetworkProfile } from './constants.js';
import type { NodeConfig } from './config.js';
import { loadCore } from './core/index.js';
import { CorePool } from './core/pool.js';
import { WorkerThreads } from './core/threads.js';
import type { Core } from './core/types.js';
import { Chain } from './chain/chain.js';
import type { ChainDb } from './chain/store.js';
import { createSigChecker, type SigChecker } from './chain/sigcheck.js';
import { Mempool } from './mempool/mempool.js';
import { decodeBlock } from './chain/block.js';
import { encodeCert } from './chain/cert.js';
import type { Account, Tip } from './chain/types.js';
import { GossipManager } from './gossip/manager.js';
import { Miner, type GrindPool } from './miner/miner.js';
import { buildTemplate } from './miner/template.js';
import { silentLogger, type Logger } from './log.js';
import { VERSION } from './paths.js';
import { fromHex, toHex } from './bytes.js';
import { systemClock, type Clock, type TimerHandle } from './clock.js';
import { formatHostPort } from './hostport.js';
import { PeerManager, type PersistStore } from './p2p/manager.js';
import type { BanEntry } from './p2p/bans.js';
import { TcpTransport, type Transport } from './p2p/transport.js';
import type { NetAddr } from './wire/types.js';
import { SyncManager } from './sync/manager.js';
import { defaultKey } from './wallet.js';
import { RoundSeries } from './api/rounds.js';
import type {
  BlockInfo,
  CoherencePoint,
  MempoolTxInfo,
  NodeStats,
  NodeStatus,
  NodeView,
  PeerInfo,
  RoundsSnapshot,
  SubmitResult,
  TxInfo,
} from './api/types.js';

export const USER_AGENT = `/bloomcoin:${VERSION}/`;

/** Everything a node can be given instead of building it (tests, the simulator, embedders). */
export interface NodeDeps {
  logger?: Logger;
  transport?: Transport;
  clock?: Clock;
  /** An abstract-level database (e.g. memory-level) instead of classic-level under dataDir. */
  db?: ChainDb;
  core?: Core;
  /** Nonce grinding / large integrations; a CorePool is made when mining and none is given. */
  pool?: GrindPool & { close?(): Promise<void> };
  /** VERSION nonce (the simulator seeds it). */
  nonce?: bigint;
  /** Miner PRNG seed (the simulator seeds it). */
  minerSeed?: number;
  /** A profile other than config.network's (the simulator's, tests with an easier target). */
  profile?: NetworkProfile;
  /** Keep the dashboard's coherence history (one timer a second); default true. */
  history?: boolean;
  /** Block tx signature checks; default: a SigChecker over worker threads, or inline with an injected db (the simulator). */
  sigChecker?: SigChecker;
  /** The address book's string table (AddrBookOptions.intern): the simulator shares one across its nodes. */
  addrIntern?: (s: string) => string;
  /** Keep the address book in the chain store (default true); the simulator's stores die with the run. */
  persistAddrs?: boolean;
}

/** Dashboard samples: one per second, ten minutes. */
const HISTORY_MS = 1000;
const HISTORY_LEN = 600;


/** Adds per-reason counters from several subsystems (a reason two of them count is summed, not overwritten). */
function sumCounts(...parts: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of parts) for (const [k, v] of Object.entries(p)) out[k] = (out[k] ?? 0) + v;
  return out;
}

/** The address book and ban list persisted in the chain store's peer table. */
function jsonStore<T>(chain: Chain, key: string): PersistStore<T> {
  return {
    load: async () => {
      const v = await chain.peers.get(key);
      try {
        return v ? (JSON.parse(v) as T[]) : [];
      } catch {
        return []; // a damaged address list is not worth refusing to start over
      }
    },
    save: (items) => chain.peers.put(key, JSON.stringify(items)),
  };
}

export class BloomNode implements NodeView {
  readonly profile: NetworkProfile;
  private readonly clock: Clock;
  private readonly log: Logger;
  private startedAt = 0;
  private historyTimer: TimerHandle | null = null;
  private readonly history: CoherencePoint[] = [];
  private stopping: Promise<void> | null = null;
  private readonly keepHistory: boolean;
  private readonly rounds = new RoundSeries();
  private ownSigChecker: SigChecker | undefined;
  /** The one thread group (budget: available parallelism) the node's own CorePool and SigChecker share. */
  workerThreads!: WorkerThreads;

  private constructor(
    readonly config: NodeConfig,
    readonly core: Core,
    readonly chain: Chain,
    readonly txpool: Mempool,
    readonly net: PeerManager,
    readonly sync: SyncManager,
    readonly gossip: GossipManager,
    readonly miner: Miner | null,
    private readonly pool: (GrindPool & { close?(): Promise<void> }) | null,
    private readonly ownsPool: boolean,
    deps: NodeDeps,
  ) {
    this.profile = deps.profile ?? PROFILES[config.network];
    this.clock = deps.clock ?? systemClock;
    this.log = deps.logger ?? silentLogger;
    this.keepHistory = deps.history ?? true;
    // the console's r-per-round chart, with each new tip marked (the miner re-seeds on it)
    miner?.onRound((s) => this.rounds.round(s));
    chain.onTip((c) => this.rounds.tip({ t: this.clock.now(), height: c.tip.height, hash: c.tip.hash }));
  }

  static async create(config: NodeConfig, deps: NodeDeps = {}): Promise<BloomNode> {
    const profile = deps.profile ?? PROFILES[config.network];
    const logger = deps.logger ?? silentLogger;
    const clock = deps.clock ?? systemClock;
    const core = deps.core ?? (await loadCore());
    // one thread budget for the miner's pool and the signature checks; no thread starts before one
    // of them needs it (the checker with the first block big enough)
    const threads = new WorkerThreads();
    const ownSigChecker = (deps.sigChecker ?? deps.db) ? undefined : createSigChecker({ threads });
    const sigChecker = deps.sigChecker ?? ownSigChecker;
    const chain = await Chain.open({ dataDir: config.dataDir, db: deps.db, profile, core, logger, now: () => clock.now(), sigChecker }).catch(async (err: unknown) => {
      await ownSigChecker?.close();
      await threads.close();
      throw err;
    });
    try {
      const mempool = new Mempool(chain, { store: chain.store.pending });
      const restored = await mempool.restore();
      if (restored.restored + restored.dropped > 0) logger.info(restored, 'mempool restored');
      const net = new PeerManager({
        transport: deps.transport ?? new TcpTransport(),
        clock,
        profile,
        listenHost: config.host,
        listenPort: config.port,
        maxPeers: config.maxPeers,
        seeds: config.seeds.map((s) => formatHostPort(s.host, s.port)),
        localInfo: () => {
          const t = chain.tip();
          return { height: t.height, chainWork: t.chainWork };
        },
        logger,
        banMs: config.banMs,
        userAgent: USER_AGENT,
        nonce: deps.nonce,
        ...(deps.persistAddrs === false ? {} : { addrStore: jsonStore<NetAddr>(chain, 'addrbook') }),
        ...(deps.addrIntern ? { addrBook: { intern: deps.addrIntern } } : {}),
        banStore: jsonStore<BanEntry>(chain, 'bans'),
      });
      const sync = new SyncManager({ net, chain, core, mempool, clock, logger });
      const gossip = new GossipManager({
        net,
        core,
        profile,
        strategy: config.gossip,
        relay: config.relay,
        // the simulator's seeded nonce makes the mesh's picks reproducible
        ...(deps.nonce !== undefined ? { seed: Number(deps.nonce & 0xffffffffn) } : {}),
        clock,
        logger,
        // a BLOOM for a block we do not hold is an announcement: fetch it; relay only our main chain's blocks
        onBloom: async (peer, hash) => {
          if (!(await chain.hasBlock(hash))) {
            void sync.announce(peer, { hash });
            return null;
          }
          const header = await chain.getHeader(hash);
          if (header === undefined || !chain.isMain(hash, header.height)) return null;
          const block = await chain.getBlock(hash);
          return block ? encodeCert(block.cert) : null; // the held block's certificate, not the peer's bytes
        },
      });
      let pool = deps.pool ?? null;
      const ownsPool = config.mine && !deps.pool;
      let miner: Miner | null = null;
      if (config.mine) {
        const minerAddress = fromHex(config.minerAddress ?? defaultKey(config.dataDir).address);
        // made last, so nothing after it can fail and leave worker threads running
        if (ownsPool) pool = await CorePool.create({ threads });
        miner = new Miner({
          // the miner's blocks go through sync, which serialises them with the network's and relays them
          chain: {
            tip: () => chain.tip(),
            headerTip: () => chain.headerTip(),
            onTip: (cb) => chain.onTip(cb),
            buildTemplate: (o) => buildTemplate(chain, o),
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
      const node = new BloomNode(config, core, chain, mempool, net, sync, gossip, miner, pool, ownsPool, deps);
      node.ownSigChecker = ownSigChecker;
      node.workerThreads = threads;
      return node;
    } catch (err) {
      await chain.close();
      await ownSigChecker?.close();
      await threads.close();
      throw err;
    }
  }

  /** Listens, dials seeds, starts sync, gossip and (unless --no-mine) the miner. */
  async start(): Promise<void> {
    this.startedAt = this.clock.now();
    await this.net.start();
    this.sync.start();
    this.gossip.start();
    this.miner?.start();
    if (this.keepHistory) this.historyTimer = this.clock.setInterval(() => this.sample(), HISTORY_MS);
    const t = this.chain.tip();
    this.log.info(
      { network: this.profile.name, height: t.height, tip: toHex(t.hash), listen: this.listenAddress(), mining: !!this.miner },
      'node started',
    );
    for (const w of this.warnings()) this.log.warn(w);
  }

  /** Stops mining, tells peers (closes cleanly), closes the pool and the store. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      if (this.historyTimer !== null) this.clock.clearInterval(this.historyTimer);
      await this.miner?.stop();
      this.gossip.stop();
      this.sync.stop();
      await this.net.stop();
      if (this.ownsPool) await this.pool?.close?.();
      await this.txpool.flush();
      await this.chain.close();
      await this.ownSigChecker?.close();
      await this.workerThreads.close();
      this.log.info('node stopped');
    })();
    return this.stopping;
  }

  /** "host:port" the P2P server is bound to, if listening. */
  listenAddress(): string | undefined {
    const port = this.net.port;
    return port ? `${this.config.host}:${port}` : undefined;
  }

  tip(): Tip {
    return this.chain.tip();
  }

  private coherence(): { r: number; psi: number } {
    if (this.miner) {
      const s = this.miner.status();
      return { r: s.r, psi: s.psi };
    }
    // a full node has no oscillators of its own: it shows what its peers report
    return { r: this.gossip.networkCoherence(), psi: this.peersPsi() };
  }

  /** Circular mean of the peers' last psi values (0 when none has shared). */
  private peersPsi(): number {
    let x = 0;
    let y = 0;
    for (const s of this.gossip.peerPhases()) {
      x += Math.cos(s.psi);
      y += Math.sin(s.psi);
    }
    const a = Math.atan2(y, x);
    return x === 0 && y === 0 ? 0 : a < 0 ? a + 2 * Math.PI : a;
  }

  private sample(): void {
    this.history.push({ t: this.clock.now(), r: this.coherence().r, network: this.gossip.networkCoherence() });
    if (this.history.length > HISTORY_LEN) this.history.splice(0, this.history.length - HISTORY_LEN);
  }

  // ------------------------------------------------------------------ NodeView

  status(): NodeStatus {
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
      warnings: this.warnings(),
      ...(m ? { miningBackend: this.pool?.grindBackend ?? this.core.backend, miningActivity: m.activity } : {}),
      dataDir: this.config.dataDir,
      ...(m ? { hashrate: m.hashrate, blocksMined: m.blocksMined } : {}),
    };
  }

  /** A mainnet node that knows no one mines alone on a chain nobody else sees: say so (start log and /status). */
  warnings(): string[] {
    const isolated = this.profile.name === 'mainnet' && this.config.seeds.length === 0 && this.net.book.size === 0 && this.net.peers().length === 0;
    return isolated ? ['isolated: mainnet with no --seed and no known addresses; this node will not find peers (add --seed host:port)'] : [];
  }

  peers(): PeerInfo[] {
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

  async getBlock(ref: number | Uint8Array): Promise<BlockInfo | undefined> {
    const hash = typeof ref === 'number' ? await this.chain.getHashByHeight(ref) : ref;
    if (!hash) return undefined;
    const bytes = await this.chain.getBlockBytes(hash);
    if (!bytes) return undefined;
    const block = decodeBlock(bytes);
    return { hash: this.core.sha256d(bytes.subarray(0, HEADER_SIZE)), block, size: bytes.length, mainChain: this.chain.isMain(hash, block.header.height) };
  }

  getHeaders(from: number, count: number): Promise<Uint8Array[]> {
    return this.chain.getHeadersRange(from, count);
  }

  async getTx(txid: Uint8Array): Promise<TxInfo | undefined> {
    const pending = this.txpool.get(txid);
    if (pending) return { tx: pending.tx, status: 'mempool' };
    const found = await this.chain.getTx(txid);
    if (!found) return undefined;
    return { tx: found.tx, status: 'confirmed', blockHash: found.blockHash, height: found.height };
  }

  getAccount(address: Uint8Array): Promise<Account> {
    return this.chain.getAccount(address);
  }

  mempool(): MempoolTxInfo[] {
    return this.txpool.list(1000).map((e) => ({ txid: e.id, tx: e.tx, addedAt: e.addedAt }));
  }

  async submitTx(bytes: Uint8Array): Promise<SubmitResult> {
    const r = await this.sync.submitTx(bytes);
    return { accepted: r.accepted, txid: r.txid, code: r.code, reason: r.reason };
  }

  coherenceHistory(): CoherencePoint[] {
    return this.history.slice();
  }

  roundSeries(since: number, limit: number): RoundsSnapshot {
    return this.rounds.since(since, limit);
  }

  stats(): NodeStats {
    const n = this.net.stats();
    const s = this.sync.progress();
    const g = this.gossip.stats();
    const m = this.miner?.status();
    const c = this.coherence();
    const pool = this.pool instanceof CorePool ? this.pool : null;
    return {
      height: this.chain.tip().height,
      headerHeight: this.chain.headerTip().height,
      peers: { inbound: n.inbound, outbound: n.outbound },
      messagesIn: n.msgsInByType,
      messagesOut: n.msgsOutByType,
      bytesIn: n.bytesInByType,
      bytesOut: n.bytesOutByType,
      invalid: sumCounts(n.invalid, { 'invalid-phase': g.invalid, 'invalid-block': this.sync.stats().blocksInvalid }),
      bans: n.bansTotal,
      sync: { headers: s.headers, blocks: s.blocks, target: s.targetHeight },
      mempool: { size: this.txpool.size, bytes: this.txpool.bytes },
      coherence: { r: c.r, psi: c.psi, network: this.gossip.networkCoherence() },
      rounds: m?.rounds ?? 0,
      roundsTotal: m?.roundsTotal ?? 0,
      blocksMined: m?.blocksMined ?? 0,
      hashrate: m?.hashrate ?? 0,
      gossip: { shares: g.shares, relays: g.relays, rateLimited: g.rateLimited, meshPeers: g.meshPeers },
      pool: { utilization: pool?.utilization ?? 0, queue: pool?.queueSize ?? 0 },
      ...(this.miner ? { miningBackend: this.pool?.grindBackend ?? this.core.backend } : {}),
    };
  }
}

