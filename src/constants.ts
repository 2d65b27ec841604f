// Every protocol constant of the seed (sections 1, 2.3, 5) and the two network profiles of decisions.md.

/** Golden ratio φ = (1 + √5) / 2. */
export const PHI = (1 + Math.sqrt(5)) / 2;
/** τ = φ − 1 = 1/φ. */
export const TAU = PHI - 1;
/** Lucas numbers L(0..25): L(0)=2, L(1)=1, L(n)=L(n−1)+L(n−2). */
export const LUCAS: readonly number[] = (() => {
  const l = [2, 1];
  while (l.length < 26) l.push(l[l.length - 1]! + l[l.length - 2]!);
  return Object.freeze(l);
})();
/** L(n), exact for the integers used here. */
export const lucas = (n: number): number => LUCAS[n] ?? Math.round(PHI ** n + (-PHI) ** -n);

/** Critical coherence √3/2: blocks need r above it. */
export const Z_C = Math.sqrt(3) / 2;
/** L₄ = 7: the master clock unit. */
export const L4 = LUCAS[4]!;
/** Block time target, seconds: L₄ × 60 = 420. */
export const BLOCK_TIME = L4 * 60;
/** Gossip interval and rate limit, ms: ⌊1000 τ⌋ = 618. */
export const GOSSIP_INTERVAL_MS = Math.floor(1000 * TAU);
/** Consecutive rounds above Z_C before a miner may grind nonces: L₄ = 7. */
export const MIN_COHERENCE_ROUNDS = L4;
/** Blocks between retargets: L₁₀ = 123. */
export const DIFFICULTY_INTERVAL = LUCAS[10]!;
/** Blocks between subsidy halvings: L₂₀ = 15127. */
export const HALVING_INTERVAL = LUCAS[20]!;
/** Default P2P port: "7" (L₄) followed by "618" (⌊1000 τ⌋). */
export const DEFAULT_PORT = 7618;
/** Protocol version carried in VERSION. */
export const PROTOCOL_VERSION = 1;
/** Largest frame payload (decisions.md): 1 MiB. */
export const MAX_MESSAGE_SIZE = 1 << 20;
/** PHASE messages claiming more phases than this are rejected (seed 2.1). */
export const MAX_PHASES = 10_000;
/** Phases above this count are downsampled by phases[::n // 64] (seed 2.1). */
export const PHASE_DOWNSAMPLE_ABOVE = 256;
export const PHASE_DOWNSAMPLE_TARGET = 64;
/** Weight of a peer's phases in incorporation (seed 2.4). */
export const PEER_PHASE_WEIGHT = 0.1;
/** Relay only on an r improvement above this (seed 2.6). */
export const RELAY_THRESHOLD = 0.02;
/** Default peer limit (seed 1.1). */
export const DEFAULT_MAX_PEERS = 8;
/** Headers per BLOCKS reply at most (decisions.md). */
export const MAX_HEADERS_PER_MSG = 500;
/** Blocks per download batch (seed 3.5). */
export const BLOCK_BATCH = 10;
/** Misbehaviour score at which a peer is disconnected and banned. */
export const BAN_THRESHOLD = 100;
/** Default ban duration, ms: 24 h. */
export const DEFAULT_BAN_MS = 24 * 60 * 60 * 1000;
/** Base subsidy per block, in the smallest unit (1 BLOOM = 1e8 units). */
export const COIN = 100_000_000n;
export const INITIAL_SUBSIDY = 50n * COIN;

export type NetworkName = 'mainnet' | 'devnet';

export interface NetworkProfile {
  readonly name: NetworkName;
  /** 4-byte magic carried in the VERSION extension; another network's magic is refused. */
  readonly magic: number;
  readonly p2pPort: number;
  readonly apiPort: number;
  /** Target seconds between blocks. */
  readonly blockTimeSec: number;
  /** One coherence round = gossip rate limit, ms. */
  readonly gossipIntervalMs: number;
  /** Compact ("bits") encoding of the genesis / starting target. */
  readonly startBits: number;
  /** Genesis timestamp, ms since the epoch. */
  readonly genesisTime: number;
  /** Default number of local oscillators per miner. */
  readonly oscillators: number;
}

export const MAINNET: NetworkProfile = Object.freeze({
  name: 'mainnet',
  magic: 0xb1_00_c0_01,
  p2pPort: DEFAULT_PORT,
  apiPort: DEFAULT_PORT + 1,
  blockTimeSec: BLOCK_TIME,
  gossipIntervalMs: GOSSIP_INTERVAL_MS,
  // ~2^31 expected hashes: a 2-core machine at a few MH/s needs about 420 s
  startBits: 0x1d01_ffff,
  genesisTime: Date.UTC(2026, 0, 31),
  oscillators: 4096,
});

export const DEVNET: NetworkProfile = Object.freeze({
  name: 'devnet',
  magic: 0xb1_00_de_01,
  p2pPort: 17618,
  apiPort: 17619,
  blockTimeSec: 2,
  gossipIntervalMs: 100,
  // ~4096 expected hashes: blocks in milliseconds once coherent
  startBits: 0x1f0f_ffff,
  genesisTime: Date.UTC(2026, 0, 31),
  oscillators: 4096,
});

export const PROFILES: Readonly<Record<NetworkName, NetworkProfile>> = Object.freeze({
  mainnet: MAINNET,
  devnet: DEVNET,
});

export function profileFor(name: string): NetworkProfile {
  const p = (PROFILES as Record<string, NetworkProfile | undefined>)[name];
  if (!p) throw new Error(`unknown network "${name}" (expected mainnet or devnet)`);
  return p;
}

/** Fixed block header size (docs/design.md): two SHA-256 blocks, nonce in the second. */
export const HEADER_SIZE = 118;
/** Byte offset of the u32 nonce in the header. */
export const NONCE_OFFSET = 114;
/** Fixed transaction size (docs/design.md). */
export const TX_SIZE = 140;
/** Phases carried in a block's coherence certificate. */
export const CERT_PHASES = 64;

// Outbound peers that deliver nothing (Bitcoin Core net_processing.cpp, times scaled to the block time;
// Core's 10-minute blocks: CHAIN_SYNC_TIMEOUT 20 min, HEADERS_RESPONSE_TIME 2 min, stale tip 30 min).
/** An outbound peer's best known chain must reach our tip's work within this many block times (Core: 2). */
export const CHAIN_SYNC_TIMEOUT_BLOCKS = 2;
/** Then it is asked for headers and has this many block times to answer with our tip (Core: 0.2). */
export const HEADERS_RESPONSE_BLOCKS = 0.2;
/** Our tip may be stale once it has not moved for this many block times (Core's TipMayBeStale: 3). */
export const STALE_TIP_BLOCKS = 3;
/** Floors so devnet's 2 s blocks do not drop peers over a pause in mining or a slow disk. */
export const MIN_CHAIN_SYNC_TIMEOUT_MS = 60_000;
export const MIN_HEADERS_RESPONSE_MS = 10_000;
export const MIN_STALE_TIP_MS = 60_000;
/** How often an extra outbound peer is sought for a stale tip (Core's STALE_CHECK_INTERVAL: 10 min = 1 block time). */
export const MIN_STALE_CHECK_MS = 60_000;
/** How often surplus outbound peers are trimmed (Core's EXTRA_PEER_CHECK_INTERVAL). */
export const EXTRA_PEER_CHECK_MS = 45_000;
/** An outbound peer younger than this is not evicted as surplus (Core's MINIMUM_CONNECT_TIME). */
export const MINIMUM_CONNECT_TIME_MS = 30_000;
/** Outbound peers that most recently delivered a new block or header are kept (Core's MAX_OUTBOUND_PEERS_TO_PROTECT_FROM_DISCONNECT). */
export const OUTBOUND_PROTECTED = 4;

export interface OutboundTimings {
  chainSyncTimeoutMs: number;
  headersResponseMs: number;
  staleTipMs: number;
  staleCheckMs: number;
}

/** The outbound-peer timeouts of a network, scaled to its block time. */
export function outboundTimings(profile: NetworkProfile): OutboundTimings {
  const block = profile.blockTimeSec * 1000;
  return {
    chainSyncTimeoutMs: Math.max(MIN_CHAIN_SYNC_TIMEOUT_MS, CHAIN_SYNC_TIMEOUT_BLOCKS * block),
    headersResponseMs: Math.max(MIN_HEADERS_RESPONSE_MS, HEADERS_RESPONSE_BLOCKS * block),
    staleTipMs: Math.max(MIN_STALE_TIP_MS, STALE_TIP_BLOCKS * block),
    staleCheckMs: Math.max(MIN_STALE_CHECK_MS, block),
  };
}
