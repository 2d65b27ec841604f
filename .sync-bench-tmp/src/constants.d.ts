/** Golden ratio φ = (1 + √5) / 2. */
export declare const PHI: number;
/** τ = φ − 1 = 1/φ. */
export declare const TAU: number;
/** Lucas numbers L(0..25): L(0)=2, L(1)=1, L(n)=L(n−1)+L(n−2). */
export declare const LUCAS: readonly number[];
/** L(n), exact for the integers used here. */
export declare const lucas: (n: number) => number;
/** Critical coherence √3/2: blocks need r above it. */
export declare const Z_C: number;
/** L₄ = 7: the master clock unit. */
export declare const L4: number;
/** Block time target, seconds: L₄ × 60 = 420. */
export declare const BLOCK_TIME: number;
/** Gossip interval and rate limit, ms: ⌊1000 τ⌋ = 618. */
export declare const GOSSIP_INTERVAL_MS: number;
/** Consecutive rounds above Z_C before a miner may grind nonces: L₄ = 7. */
export declare const MIN_COHERENCE_ROUNDS: number;
/** Blocks between retargets: L₁₀ = 123. */
export declare const DIFFICULTY_INTERVAL: number;
/** Blocks between subsidy halvings: L₂₀ = 15127. */
export declare const HALVING_INTERVAL: number;
/** Default P2P port: "7" (L₄) followed by "618" (⌊1000 τ⌋). */
export declare const DEFAULT_PORT = 7618;
/** Protocol version carried in VERSION. */
export declare const PROTOCOL_VERSION = 1;
/** Largest frame payload (decisions.md): 1 MiB. */
export declare const MAX_MESSAGE_SIZE: number;
/** PHASE messages claiming more phases than this are rejected (seed 2.1). */
export declare const MAX_PHASES = 10000;
/** Phases above this count are downsampled by phases[::n // 64] (seed 2.1). */
export declare const PHASE_DOWNSAMPLE_ABOVE = 256;
export declare const PHASE_DOWNSAMPLE_TARGET = 64;
/** Weight of a peer's phases in incorporation (seed 2.4). */
export declare const PEER_PHASE_WEIGHT = 0.1;
/** Relay only on an r improvement above this (seed 2.6). */
export declare const RELAY_THRESHOLD = 0.02;
/** Default peer limit (seed 1.1). */
export declare const DEFAULT_MAX_PEERS = 8;
/** Headers per BLOCKS reply at most (decisions.md). */
export declare const MAX_HEADERS_PER_MSG = 500;
/** Blocks per download batch (seed 3.5). */
export declare const BLOCK_BATCH = 10;
/** Misbehaviour score at which a peer is disconnected and banned. */
export declare const BAN_THRESHOLD = 100;
/** Default ban duration, ms: 24 h. */
export declare const DEFAULT_BAN_MS: number;
/** Base subsidy per block, in the smallest unit (1 BLOOM = 1e8 units). */
export declare const COIN = 100000000n;
export declare const INITIAL_SUBSIDY: bigint;
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
export declare const MAINNET: NetworkProfile;
export declare const DEVNET: NetworkProfile;
export declare const PROFILES: Readonly<Record<NetworkName, NetworkProfile>>;
export declare function profileFor(name: string): NetworkProfile;
/** Fixed block header size (docs/design.md): two SHA-256 blocks, nonce in the second. */
export declare const HEADER_SIZE = 118;
/** Byte offset of the u32 nonce in the header. */
export declare const NONCE_OFFSET = 114;
/** Fixed transaction size (docs/design.md). */
export declare const TX_SIZE = 140;
/** Phases carried in a block's coherence certificate. */
export declare const CERT_PHASES = 64;
