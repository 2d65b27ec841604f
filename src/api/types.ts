// What the HTTP API, metrics and dashboard read from a running node (BloomNode implements NodeView).
// Domain values (Uint8Array, bigint) come in; src/api/json.ts turns them into JSON (hex, decimal strings).
import type { NetworkName } from '../constants.js';
import type { Account, Block, Tx } from '../chain/types.js';
import type { RoundSample } from '../miner/miner.js';

/** Header-first sync progress as the API shows it (sync/progress.ts's SyncProgress is what sync computes). */
export interface SyncStatus {
  /** Best header height known. */
  headers: number;
  /** Best fully validated block height. */
  blocks: number;
  /** Highest height any peer claims (≥ headers once synced). */
  targetHeight: number;
  /** Blocks connected per second, recent average (0 when idle). */
  rate: number;
  /** Seconds until blocks reach targetHeight at `rate`; null when unknown or idle. */
  etaSec: number | null;
}

export interface NodeStatus {
  network: NetworkName;
  /** Software version (package.json). */
  version: string;
  protocolVersion: number;
  userAgent: string;
  height: number;
  tipHash: Uint8Array;
  /** Ms since the epoch, header timestamp of the tip. */
  tipTime: number;
  /** Handshaken peers. */
  peers: number;
  /** Local oscillators' order parameter. */
  coherence: { r: number; psi: number };
  /** Consecutive rounds the local r stayed above Z_C. */
  coherenceRounds: number;
  /** Mean r over this node and its peers' last PHASE / COHERENCE. */
  networkCoherence: number;
  mining: boolean;
  syncing: boolean;
  sync: SyncStatus;
  /** Seconds since start(). */
  uptimeSec: number;
  /** P2P listen address actually bound ("host:port"), when listening. */
  listen?: string;
  /** Conditions an operator should act on (e.g. a mainnet node with no seeds and no known addresses). */
  warnings: string[];
  /** Backend grinding nonces ('native' | 'wasm' | 'js'); only on a mining node. */
  miningBackend?: string;
  /** What the miner does and why: stopped | syncing | gathering (coherence) | grinding; only on a mining node. */
  miningActivity?: string;
  /** The node's data directory (store, wallet), as configured. */
  dataDir?: string;
  /** Nonces per second, recent average; only on a mining node. */
  hashrate?: number;
  /** Blocks this node mined since start; only on a mining node. */
  blocksMined?: number;
}

export interface PeerInfo {
  id: number;
  /** "host:port" of the remote end. */
  address: string;
  inbound: boolean;
  version: number;
  userAgent: string;
  height: number;
  /** r of the peer's last PHASE / COHERENCE. */
  coherence: number;
  /** Ms since the epoch of the last message received. */
  lastSeen: number;
  connectedAt: number;
  bytesIn: number;
  bytesOut: number;
  msgsIn: number;
  msgsOut: number;
  score: number;
  pingMs: number | null;
}

export interface BlockInfo {
  hash: Uint8Array;
  block: Block;
  /** Serialized size in bytes. */
  size: number;
  /** Whether the block is on the best chain. */
  mainChain: boolean;
}

export interface TxInfo {
  tx: Tx;
  status: 'mempool' | 'confirmed';
  /** Set when confirmed. */
  blockHash?: Uint8Array;
  height?: number;
}

/** A pending tx as the API shows it (mempool/types.ts's MempoolEntry is the pool's own record). */
export interface MempoolTxInfo {
  txid: Uint8Array;
  tx: Tx;
  /** Ms since the epoch the node accepted it. */
  addedAt: number;
}

export interface SubmitResult {
  /** True when the tx entered the mempool (and is relayed). */
  accepted: boolean;
  txid: Uint8Array;
  /** 'duplicate' for a tx already known; otherwise a ValidationError/InputError code when refused. */
  code?: string;
  reason?: string;
}

/** One sample of the dashboard's chart. */
export interface CoherencePoint {
  /** Ms since the epoch. */
  t: number;
  /** Local r. */
  r: number;
  /** Network coherence (mean over peers and self). */
  network: number;
}

/**
 * Counters are cumulative since start (metrics turn them into Prometheus counters);
 * the rest are point-in-time gauges. Keys of the by-type maps are MsgTypeName ('VERSION', 'PHASE', …).
 */
export interface NodeStats {
  height: number;
  headerHeight: number;
  peers: { inbound: number; outbound: number };
  messagesIn: Record<string, number>;
  messagesOut: Record<string, number>;
  bytesIn: Record<string, number>;
  bytesOut: Record<string, number>;
  /** Invalid / rejected messages by reason code (e.g. 'phase-bad-r', 'bad-merkle-root', 'oversize'). */
  invalid: Record<string, number>;
  /** Bans issued since start. */
  bans: number;
  sync: { headers: number; blocks: number; target: number };
  mempool: { size: number; bytes: number };
  coherence: { r: number; psi: number; network: number };
  /** Consecutive rounds above Z_C now. */
  rounds: number;
  /** Coherence rounds run since start. */
  roundsTotal: number;
  blocksMined: number;
  /** Nonces tried per second, recent average. */
  hashrate: number;
  /** PHASE shares sent, and relays (PHASE / BLOOM forwarded) since start. */
  gossip: { shares: number; relays: number; rateLimited?: number; meshPeers?: number };
  /** Worker pool: utilisation in [0, 1] and tasks waiting. */
  pool: { utilization: number; queue: number };
  /** As NodeStatus.miningBackend. */
  miningBackend?: string;
}

export interface NodeView {
  status(): NodeStatus;
  peers(): PeerInfo[];
  /** By height on the best chain, or by 32-byte hash on any branch. */
  getBlock(ref: number | Uint8Array): Promise<BlockInfo | undefined>;
  /** Serialized best-chain headers at heights from … from+count−1 that exist (like ChainApi.getHeadersRange). */
  getHeaders(from: number, count: number): Promise<Uint8Array[]>;
  /** Mempool first, then the chain's tx index if the node keeps one. */
  getTx(txid: Uint8Array): Promise<TxInfo | undefined>;
  getAccount(address: Uint8Array): Promise<Account>;
  mempool(): MempoolTxInfo[];
  /** A serialized 140-byte transaction, validated against the mempool and ledger. */
  submitTx(bytes: Uint8Array): Promise<SubmitResult>;
  /** Recent samples, oldest first, bounded (a few minutes). */
  coherenceHistory(): CoherencePoint[];
  stats(): NodeStats;
  /** The miner's rounds numbered above `since` (newest `limit`) and recent tips; absent on a view without one. */
  roundSeries?(since: number, limit: number): RoundsSnapshot;
}

/** A new best tip as the console marks it on the r-per-round chart (the miner re-seeds on each). */
export interface TipMark {
  /** Ms since the epoch the node switched to it. */
  t: number;
  height: number;
  hash: Uint8Array;
}

export interface RoundsSnapshot {
  rounds: RoundSample[];
  tips: TipMark[];
}

// ---------------------------------------------------------------- JSON shapes (what clients receive)

/** A domain value as the API writes it: bytes as hex, bigints as decimal strings (src/api/json.ts). */
export type Json<T> = T extends Uint8Array
  ? string
  : T extends bigint
    ? string
    : T extends Array<infer U>
      ? Array<Json<U>>
      : T extends object
        ? { [K in keyof T]: Json<T[K]> }
        : T;

export type StatusJson = Json<NodeStatus>;
export type PeerJson = Json<PeerInfo>;

export interface HeaderJson {
  hash?: string;
  version: number;
  height: number;
  prevHash: string;
  merkleRoot: string;
  certHash: string;
  timestamp: number;
  /** Compact target as "0x" + 8 hex digits. */
  bits: string;
  nonce: number;
}

export interface TxJson {
  txid: string;
  from: string;
  fromAddress: string;
  to: string;
  amount: string;
  fee: string;
  nonce: string;
  signature: string;
}

export interface BlockJson {
  hash: string;
  height: number;
  size: number;
  mainChain: boolean;
  header: HeaderJson;
  minerAddress: string;
  cert: { r: number; psi: number; rounds: number; phases: number[] };
  txs: TxJson[];
}

export type TxInfoJson = TxJson & { status: TxInfo['status']; blockHash?: string; height?: number };

export interface MempoolJson {
  count: number;
  bytes: number;
  txs: Array<TxJson & { addedAt: number }>;
}

export interface AccountJson {
  address: string;
  balance: string;
  nonce: string;
}

export interface SubmitJson {
  accepted: boolean;
  txid: string;
  code?: string;
}

export interface CoherenceJson {
  zc: number;
  points: CoherencePoint[];
}

export interface HeadersJson {
  from: number;
  count: number;
  headers: HeaderJson[];
}

export interface RoundsJson {
  zc: number;
  /** Round interval of the network, ms. */
  intervalMs: number;
  rounds: RoundSample[];
  tips: Array<Json<TipMark>>;
}

/** One best-chain block as the console shows and checks it: the raw bytes its checks hash. */
export interface RecentBlockJson {
  height: number;
  hash: string;
  /** Header timestamp, ms since the epoch. */
  time: number;
  txs: number;
  size: number;
  minerAddress: string;
  /** The 118 serialized header bytes. */
  header: string;
  /** The serialized certificate (sha256d(cert || minerAddress) is the header's certHash). */
  certificate: string;
  cert: { r: number; rounds: number; phases: number[] };
}

export interface RecentBlocksJson {
  height: number;
  blocks: RecentBlockJson[];
}

export interface MempoolSummaryJson {
  count: number;
  bytes: number;
  /** Fees in base units (decimal strings); null when the mempool is empty. */
  feeMin: string | null;
  feeMax: string | null;
  feeMedian: string | null;
  /** Entries the fee range and oldest were computed over (the node lists at most 1000, oldest first). */
  sampled: number;
  /** Ms since the epoch of the oldest entry; null when empty. */
  oldest: number | null;
}
