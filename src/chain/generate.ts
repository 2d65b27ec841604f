// A valid devnet chain on demand (as bitcoind's regtest `generatetoaddress`): real blocks ground under the
// network target, each with a coherence certificate that recomputes to r ≥ Z_C and optionally K signed
// transactions, written through the Chain's public API into the real store. For tests, benchmarks, and
// anyone who wants a long chain to sync. Backs `bloomcoin generate --blocks N --data-dir D [--txs-per-block K]`.
import { createHash } from 'node:crypto';
import { CERT_PHASES, DIFFICULTY_INTERVAL, MIN_COHERENCE_ROUNDS, NONCE_OFFSET, PROFILES, type NetworkName, type NetworkProfile } from '../constants.js';
import { loadCore } from '../core/index.js';
import type { Core } from '../core/types.js';
import { InputError } from '../errors.js';
import { toHex } from '../bytes.js';
import { assembleBlock, merkleRoot } from './block.js';
import { certHash, encodeCert, makeCertificate } from './cert.js';
import { Chain } from './chain.js';
import { isRetargetHeight, nextBits } from './consensus.js';
import { bitsToTarget, encodeHeader, HEADER_VERSION, targetBytes } from './header.js';
import { addressOf, keyPairFromSeed, signTx, txid, type KeyPair } from './tx.js';

export interface GenerateOptions {
  /** The node's data dir: the chain goes to <dataDir>/chain, extended if one is already there. */
  dataDir: string;
  /** Blocks to add on top of the current tip. */
  blocks: number;
  /** Signed transactions per block (from block 2 on, once the generator's key is funded); default 0. */
  txsPerBlock?: number;
  /** Devnet only (mainnet's target cannot be ground on demand); a profile object is for tests. */
  network?: NetworkName | NetworkProfile;
  /** Grinding backend; default loadCore(). */
  core?: Core;
  /** Keys and payees derive from this (same seed, same chain); default 1. */
  seed?: number;
  /** Called every `progressEvery` blocks and at the end. */
  onProgress?: (p: GenerateProgress) => void;
  progressEvery?: number;
}

export interface GenerateProgress {
  /** Blocks added so far in this run. */
  done: number;
  total: number;
  height: number;
  txs: number;
  ms: number;
}

export interface GenerateResult {
  height: number;
  /** Tip hash, hex. */
  tip: string;
  blocksAdded: number;
  txsAdded: number;
  ms: number;
  /** Address (hex) that mined every block and signs the transactions. */
  minerAddress: string;
}

const MAX_GENERATE = 10_000_000;
const MAX_TXS_PER_BLOCK = 1_000;
const TX_AMOUNT = 1_000n;
const TX_FEE = 1n;
/** Payees the transactions rotate over (enough distinct accounts to exercise the ledger). */
const PAYEES = 64;

/** Deterministic key number `i` of a seed (not for real funds: the seed is public). */
export function generatorKey(seed: number, i: number): KeyPair {
  return keyPairFromSeed(new Uint8Array(createHash('sha256').update(`bloomcoin-generate/${seed >>> 0}/${i}`).digest()));
}

/** 64 phases within ±0.05 rad of 1.0 (r ≈ 0.9996), float32 so every validator recomputes the same r. */
function coherentCertificate(core: Core): Uint8Array {
  const phases = new Float64Array(CERT_PHASES);
  for (let i = 0; i < CERT_PHASES; i++) phases[i] = 1 + 0.05 * Math.sin(i);
  return encodeCert(makeCertificate(core, phases, MIN_COHERENCE_ROUNDS));
}

function profileOf(n: GenerateOptions['network']): NetworkProfile {
  const p = typeof n === 'object' ? n : PROFILES[n ?? 'devnet'];
  if (!p) throw new InputError('bad-choice', `unknown network ${String(n)}`);
  if (p.name !== 'devnet') throw new InputError('bad-choice', 'generate builds devnet chains only (mainnet cannot be ground on demand)');
  return p;
}

/** Grinds and adds `blocks` blocks on the chain in `dataDir`; each is validated by Chain.addBlock as any peer's block. */
export async function generateChain(opts: GenerateOptions): Promise<GenerateResult> {
  const profile = profileOf(opts.network);
  const k = opts.txsPerBlock ?? 0;
  if (!Number.isInteger(opts.blocks) || opts.blocks < 0 || opts.blocks > MAX_GENERATE) {
    throw new InputError('bad-integer', `blocks must be an integer in 0..${MAX_GENERATE}, got ${opts.blocks}`);
  }
  if (!Number.isInteger(k) || k < 0 || k > MAX_TXS_PER_BLOCK) {
    throw new InputError('bad-integer', `txs per block must be an integer in 0..${MAX_TXS_PER_BLOCK}, got ${k}`);
  }
  const core = opts.core ?? (await loadCore());
  const seed = opts.seed ?? 1;
  const miner = generatorKey(seed, 0);
  const payees = Array.from({ length: PAYEES }, (_, i) => addressOf(generatorKey(seed, i + 1).publicKey));
  const certBytes = coherentCertificate(core);
  const certH = certHash(core, certBytes, miner.address);
  const spacingMs = profile.blockTimeSec * 1000;
  const every = Math.max(1, opts.progressEvery ?? 1000);
  const t0 = performance.now();

  // Timestamps step by exactly the block time: retargets keep the difficulty, and the chain stays in the past.
  let now = Date.now();
  const chain = await Chain.open({ dataDir: opts.dataDir, profile, core, now: () => now });
  let txsAdded = 0;
  let done = 0;
  try {
    const tip = chain.tip();
    let parent = (await chain.getHeaderByHeight(tip.height))!;
    let parentHash = tip.hash;
    let nonce = (await chain.getAccount(miner.address)).nonce;
    const progress = (): void => opts.onProgress?.({ done, total: opts.blocks, height: parent.height, txs: txsAdded, ms: performance.now() - t0 });
    for (; done < opts.blocks; ) {
      const height = parent.height + 1;
      let bits = parent.bits;
      if (isRetargetHeight(height)) {
        const start = (await chain.getHeaderByHeight(height - DIFFICULTY_INTERVAL))!;
        bits = nextBits(profile, height, parent.bits, parent.timestamp, start.timestamp);
      }
      const timestamp = parent.timestamp + spacingMs;
      now = Date.now();
      if (timestamp > now) throw new InputError('bad-integer', `block ${height} would be timestamped in the future (${opts.blocks} blocks at ${profile.blockTimeSec} s from the tip)`);
      // The generator's key has the subsidy of every block it mined: spend from block 2 on.
      const txs: Uint8Array[] = [];
      if (height >= 2 && k > 0) {
        for (let i = 0; i < k; i++) {
          txs.push(signTx(miner, { to: payees[((height - 2) * k + i) % PAYEES]!, amount: TX_AMOUNT, fee: TX_FEE, nonce: nonce++ }, profile.magic));
        }
      }
      const header = encodeHeader({
        version: HEADER_VERSION,
        height,
        prevHash: parentHash,
        merkleRoot: merkleRoot(core, txs.map((t) => txid(core, t))),
        certHash: certH,
        timestamp,
        bits,
        nonce: 0,
      });
      const target = targetBytes(bitsToTarget(bits)!);
      let found = -1;
      for (let start = 0; found < 0 && start < 2 ** 32; start += 1 << 22) found = core.grindNonces(header, target, start, Math.min(1 << 22, 2 ** 32 - start));
      if (found < 0) throw new Error(`no nonce below the target at height ${height}`);
      new DataView(header.buffer, header.byteOffset, header.byteLength).setUint32(NONCE_OFFSET, found, true);
      const res = await chain.addBlock(assembleBlock(header, miner.address, certBytes, txs));
      if (res.status !== 'connected') throw new Error(`generated block ${height} was not connected: ${res.status} ${res.code ?? ''} ${res.reason ?? ''}`);
      parent = (await chain.getHeaderByHeight(height))!;
      parentHash = res.hash;
      txsAdded += txs.length;
      done++;
      if (done % every === 0) progress();
    }
    if (done % every !== 0 || done === 0) progress();
    const end = chain.tip();
    return { height: end.height, tip: toHex(end.hash), blocksAdded: done, txsAdded, ms: performance.now() - t0, minerAddress: toHex(miner.address) };
  } finally {
    await chain.close();
  }
}
