// Test helpers for the chain: devnet blocks mined quickly with a valid coherence certificate.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CERT_PHASES, DEVNET, HEADER_SIZE, NONCE_OFFSET } from '../../src/constants.js';
import { loadCore } from '../../src/core/index.js';
import { createReferenceCore } from '../../src/core/reference.js';
import type { Core } from '../../src/core/types.js';
import { assembleBlock, merkleRoot } from '../../src/chain/block.js';
import { certHash, encodeCert } from '../../src/chain/cert.js';
import { bitsToTarget, encodeHeader, targetBytes } from '../../src/chain/header.js';
import { txid } from '../../src/chain/tx.js';
import { Chain } from '../../src/chain/chain.js';
import { generateChain } from '../../src/chain/generate.js';
import type { Certificate, Header } from '../../src/chain/types.js';

/** The WASM core when it is built (fast grinding), else the JS reference. */
export const core: Core = await loadCore().catch(() => createReferenceCore());
/** Devnet with a target of ~2 hashes per block: long chains in milliseconds. */
export const EASY = { ...DEVNET, startBits: 0x207fffff };
export const profile = DEVNET;
/** A fixed clock well after genesis. */
export const NOW = DEVNET.genesisTime + 30 * 24 * 3600 * 1000;

/** 64 phases within ±0.05 rad of 1.0: r ≈ 0.9996. r is computed from the float32 phases. */
export function goodCert(over: Partial<Certificate> = {}): Certificate {
  const phases = new Float64Array(CERT_PHASES);
  for (let i = 0; i < CERT_PHASES; i++) phases[i] = Math.fround(1 + 0.05 * Math.sin(i));
  const { r, psi } = core.orderParameter(phases);
  return { r: Math.fround(r), psi: Math.fround(psi), rounds: 7, phases, ...over };
}

export interface Parent {
  hash: Uint8Array;
  header: Header;
}

export interface BlockSpec {
  miner?: Uint8Array;
  txs?: Uint8Array[];
  timestamp?: number;
  /** ms after the parent when no timestamp is given (default 1000). */
  spacing?: number;
  cert?: Certificate;
  /** Header field overrides applied after the honest values. */
  header?: Partial<Header>;
  /** Grind for a hash above the target instead of below. */
  highHash?: boolean;
}

export interface Made {
  bytes: Uint8Array;
  hash: Uint8Array;
  header: Header;
}

export const MINER_A = new Uint8Array(20).fill(0xaa);
export const MINER_B = new Uint8Array(20).fill(0xbb);

/** A block on `parent` (no retarget: bits carried over), proof of work ground with the core. */
export function makeBlock(parent: Parent, spec: BlockSpec = {}): Made {
  const miner = spec.miner ?? MINER_A;
  const txs = spec.txs ?? [];
  const certBytes = encodeCert(spec.cert ?? goodCert());
  const header: Header = {
    version: 1,
    height: parent.header.height + 1,
    prevHash: parent.hash,
    merkleRoot: merkleRoot(core, txs.map((t) => txid(core, t))),
    certHash: certHash(core, certBytes, miner),
    timestamp: spec.timestamp ?? parent.header.timestamp + (spec.spacing ?? 1000),
    bits: parent.header.bits,
    nonce: 0,
    ...spec.header,
  };
  const hb = encodeHeader(header);
  const target = bitsToTarget(header.bits) ?? 1n << 255n;
  const dv = new DataView(hb.buffer);
  if (spec.highHash) {
    for (let n = 0; ; n++) {
      dv.setUint32(NONCE_OFFSET, n, true);
      const h = core.sha256d(hb);
      if (BigInt('0x' + Buffer.from(h).toString('hex')) > target) break;
    }
  } else {
    const n = core.grindNonces(hb, targetBytes(target), 0, 1 << 24);
    if (n < 0) throw new Error('no nonce found');
    dv.setUint32(NONCE_OFFSET, n, true);
  }
  header.nonce = dv.getUint32(NONCE_OFFSET, true);
  const bytes = assembleBlock(hb, miner, certBytes, txs);
  return { bytes, hash: core.sha256d(bytes.subarray(0, HEADER_SIZE)), header };
}

/** n blocks on top of `parent`, each 1 s after the previous. */
export function makeChain(parent: Parent, n: number, spec: BlockSpec = {}): Made[] {
  const out: Made[] = [];
  let p = parent;
  for (let i = 0; i < n; i++) {
    const m = makeBlock(p, spec);
    out.push(m);
    p = m;
  }
  return out;
}

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'bloom-chain-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Blocks 1…blocks of a devnet chain built by generateChain (txsPerBlock each), with each block's header and hash. */
export async function generatedBlocks(blocks: number, txsPerBlock: number): Promise<{ bytes: Uint8Array; hash: Uint8Array; header: Header }[]> {
  const gen = tempDir();
  try {
    await generateChain({ dataDir: gen.dir, blocks, txsPerBlock, core });
    const src = await Chain.open({ dataDir: gen.dir, profile, core });
    const out: { bytes: Uint8Array; hash: Uint8Array; header: Header }[] = [];
    for (let h = 1; h <= blocks; h++) {
      const hash = (await src.getHashByHeight(h))!;
      out.push({ bytes: (await src.getBlockBytes(hash))!, hash, header: (await src.getHeaderByHeight(h))! });
    }
    await src.close();
    return out;
  } finally {
    gen.cleanup();
  }
}
