// Every protocol constant of the seed (sections 1, 2.3, 5) and the two network profiles of decisions.md.
/** Golden ratio φ = (1 + √5) / 2. */
export const PHI = (1 + Math.sqrt(5)) / 2;
/** τ = φ − 1 = 1/φ. */
export const TAU = PHI - 1;
/** Lucas numbers L(0..25): L(0)=2, L(1)=1, L(n)=L(n−1)+L(n−2). */
export const LUCAS = (() => {
    const l = [2, 1];
    while (l.length < 26)
        l.push(l[l.length - 1] + l[l.length - 2]);
    return Object.freeze(l);
})();
/** L(n), exact for the integers used here. */
export const lucas = (n) => LUCAS[n] ?? Math.round(PHI ** n + (-PHI) ** -n);
/** Critical coherence √3/2: blocks need r above it. */
export const Z_C = Math.sqrt(3) / 2;
/** L₄ = 7: the master clock unit. */
export const L4 = LUCAS[4];
/** Block time target, seconds: L₄ × 60 = 420. */
export const BLOCK_TIME = L4 * 60;
/** Gossip interval and rate limit, ms: ⌊1000 τ⌋ = 618. */
export const GOSSIP_INTERVAL_MS = Math.floor(1000 * TAU);
/** Consecutive rounds above Z_C before a miner may grind nonces: L₄ = 7. */
export const MIN_COHERENCE_ROUNDS = L4;
/** Blocks between retargets: L₁₀ = 123. */
export const DIFFICULTY_INTERVAL = LUCAS[10];
/** Blocks between subsidy halvings: L₂₀ = 15127. */
export const HALVING_INTERVAL = LUCAS[20];
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
export const COIN = 100000000n;
export const INITIAL_SUBSIDY = 50n * COIN;
export const MAINNET = Object.freeze({
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
export const DEVNET = Object.freeze({
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
export const PROFILES = Object.freeze({
    mainnet: MAINNET,
    devnet: DEVNET,
});
export function profileFor(name) {
    const p = PROFILES[name];
    if (!p)
        throw new Error(`unknown network "${name}" (expected mainnet or devnet)`);
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
//# sourceMappingURL=constants.js.map