// Builds one simulated node through BloomNode.create — the same composition a real node runs — with the
// in-memory transport, the virtual clock, a memory-level store, seeded nonces and inline nonce grinding.
import { MemoryLevel } from 'memory-level';
import { DEFAULT_BAN_MS, type NetworkProfile } from '../constants.js';
import type { ChainDb } from '../chain/store.js';
import type { NodeConfig } from '../config.js';
import type { Tip, TipChange } from '../chain/types.js';
import type { Core } from '../core/types.js';
import type { GossipStrategy } from '../gossip/strategy.js';
import { keyPairFromSeed, type KeyPair } from '../chain/tx.js';
import { DEFAULT_RELAY, type RelayMode } from '../gossip/aggregate.js';
import { silentLogger } from '../log.js';
import { parseHostPort } from '../hostport.js';
import { BloomNode, type NodeDeps } from '../node.js';
import type { Transport } from '../p2p/transport.js';
import { addrStringTable, type AddrIntern } from '../p2p/addr-strings.js';
import type { VirtualClock } from './clock.js';
import { VirtualHashPool } from './pool.js';
import type { Rng } from './rng.js';

export interface SimNodeSpec {
  index: number;
  host: string;
  /** Hosts to bootstrap from (all listen on `port`). */
  seeds: string[];
  port: number;
  transport: Transport;
  clock: VirtualClock;
  core: Core;
  profile: NetworkProfile;
  strategy: GossipStrategy;
  relay?: RelayMode;
  maxPeers: number;
  rng: Rng;
  mine: boolean;
  /** Virtual hashes per second credited to a miner. */
  hashrate: number;
  oscillators: number;
  /** Mine to an address with a key (the simulator then spends the coinbase in signed transactions). */
  keyed?: boolean;
  /** One string table for every simulated address book (each would otherwise copy the same addresses). */
  intern?: AddrIntern;
}

/** What the simulator reads of a node. */
export interface SimNode {
  readonly index: number;
  readonly host: string;
  readonly started: boolean;
  readonly chain: { tip(): Tip; isMain(hash: Uint8Array, height: number): boolean; onTip(cb: (change: TipChange) => void): void };
  /** The node's gossip view of network coherence. */
  networkCoherence(): number;
  /** The miner's own r; null for a node that does not mine. */
  minerR(): number | null;
  /** Diagnostics: best header height, handshaken peers, sync counters. */
  inspect(): { headerHeight: number; peers: number; sync: unknown };
  /** The peer layer's view, for the hostile report (src/sim/sybil.ts). */
  p2p(): { peers: string[]; bans: string[]; bansTotal: number; invalid: Record<string, number>; refused: Record<string, number>; disconnects: Record<string, number>; phaseIn: number };
  /** The key the node mines to (keyed miners only). */
  readonly key: KeyPair | null;
  /** Balance and next nonce of an address on the node's best chain. */
  account(address: Uint8Array): { balance: bigint; nonce: bigint };
  /** Hands a transaction to the node's real mempool (relayed from there when accepted). */
  submitTx(bytes: Uint8Array): Promise<{ accepted: boolean; code?: string }>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** An in-memory abstract-level store: the same Store code as classic-level on disk. */
export const memoryDb = (): ChainDb =>
  new MemoryLevel<Uint8Array, Uint8Array>({ keyEncoding: 'view', valueEncoding: 'view' }) as unknown as ChainDb;

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** A string table shared by many address books: what a node decides is unchanged, only copies are shared. */
export const stringTable = (): AddrIntern => addrStringTable();

export async function createSimNode(spec: SimNodeSpec): Promise<SimNode> {
  // the same 20 draws either way, so runs without transactions keep their seeded outcomes
  const addrBytes = spec.rng.bytes(20);
  const key = spec.keyed ? keyPairFromSeed(Uint8Array.from({ length: 32 }, (_, i) => addrBytes[i % 20]! ^ i)) : null;
  const config: NodeConfig = {
    network: spec.profile.name,
    host: spec.host,
    port: spec.port,
    apiHost: '127.0.0.1',
    apiPort: 0,
    dataDir: `/nonexistent/bloomcoin-sim/${spec.host}`, // never touched: the store is injected, the miner address given
    seeds: spec.seeds.map((host) => ({ host, port: spec.port })),
    mine: spec.mine,
    maxPeers: spec.maxPeers,
    gossip: spec.strategy,
    relay: spec.relay ?? DEFAULT_RELAY,
    logLevel: 'silent',
    oscillators: spec.oscillators,
    banMs: DEFAULT_BAN_MS,
    minerAddress: hex(key ? key.address : addrBytes),
  };
  const deps: NodeDeps = {
    logger: silentLogger,
    transport: spec.transport,
    clock: spec.clock,
    db: memoryDb(),
    core: spec.core,
    pool: spec.mine ? new VirtualHashPool(spec.core, spec.clock, spec.hashrate) : undefined,
    nonce: (BigInt(spec.rng.u32()) << 32n) | BigInt(spec.rng.u32()),
    minerSeed: spec.rng.u32(),
    // the simulator's profile: devnet's chain with the run's round length and block time
    profile: spec.profile,
    history: false,
    ...(spec.intern ? { addrIntern: spec.intern } : {}),
    persistAddrs: false, // the memory store dies with the run: 10,000 books serialised at stop were pure cost
  };
  const node = await BloomNode.create(config, deps);
  let started = false;
  let stopped = false;
  return {
    index: spec.index,
    host: spec.host,
    get started() {
      return started && !stopped;
    },
    chain: node.chain,
    networkCoherence: () => node.gossip.networkCoherence(),
    minerR: () => (node.miner ? node.miner.status().r : null),
    key,
    account: (address) => node.chain.accountSync(address),
    submitTx: (bytes) => node.submitTx(bytes),
    inspect: () => ({ headerHeight: node.chain.headerTip().height, peers: node.net.peers().length, sync: node.sync.stats() }),
    p2p: () => {
      const st = node.net.stats();
      return {
        peers: node.net.peers().map((p) => parseHostPort(p.address).host),
        bans: node.net.listBans().map((b) => b.host),
        bansTotal: st.bansTotal,
        invalid: st.invalid,
        refused: st.refused,
        disconnects: st.disconnects,
        phaseIn: st.msgsInByType.PHASE ?? 0,
      };
    },
    async start() {
      if (stopped) return;
      await node.start();
      started = true;
    },
    async stop() {
      stopped = true;
      await node.stop();
    },
  };
}
