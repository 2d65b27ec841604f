// A valid header chain for the header-sync benchmarks (chain.bench and sync.bench share it).
import { certHash, encodeCert, makeCertificate } from '../src/chain/cert.js';
import { genesisBlock } from '../src/chain/genesis.js';
import { bitsToTarget, encodeHeader, targetBytes } from '../src/chain/header.js';
import { CERT_PHASES, DEVNET, NONCE_OFFSET } from '../src/constants.js';
import type { Core } from '../src/core/types.js';

/** Devnet rules with a ~2-hash target, so 100k valid headers take seconds; spacing = block time keeps the bits fixed. */
export const PROFILE = { ...DEVNET, startBits: 0x207f_ffff };

/** Headers 1 … n on top of the profile's genesis, each with a nonce meeting its target. */
export function makeHeaders(core: Core, n: number): Uint8Array[] {
  const g = genesisBlock(core, PROFILE);
  const cert = encodeCert(makeCertificate(core, new Float64Array(CERT_PHASES).fill(1), 7));
  const ch = certHash(core, cert, new Uint8Array(20));
  const target = targetBytes(bitsToTarget(PROFILE.startBits)!);
  const out: Uint8Array[] = [];
  let prev = g.hash;
  for (let i = 1; i <= n; i++) {
    const h = encodeHeader({
      version: 1,
      height: i,
      prevHash: prev,
      merkleRoot: new Uint8Array(32),
      certHash: ch,
      timestamp: PROFILE.genesisTime + i * PROFILE.blockTimeSec * 1000,
      bits: PROFILE.startBits,
      nonce: 0,
    });
    new DataView(h.buffer).setUint32(NONCE_OFFSET, core.grindNonces(h, target, 0, 1 << 20), true);
    out.push(h);
    prev = core.sha256d(h);
  }
  return out;
}
