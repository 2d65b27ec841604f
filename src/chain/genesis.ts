// The fixed genesis block of each profile: no transactions, no proof, no reward (hash checked in tests).
import { CERT_PHASES, type NetworkProfile } from '../constants.js';
import type { Core } from '../core/types.js';
import { assembleBlock } from './block.js';
import { certHash, encodeCert } from './cert.js';
import { ZERO_HASH } from './bytes.js';
import { encodeHeader, HEADER_VERSION } from './header.js';
import type { Certificate, Header } from './types.js';

export interface Genesis {
  header: Header;
  headerBytes: Uint8Array;
  bytes: Uint8Array;
  hash: Uint8Array;
}

/** All phases at 0: r = 1 exactly, so the certificate is reproducible bit for bit. */
export const GENESIS_CERT: Certificate = Object.freeze({ r: 1, psi: 0, rounds: 0, phases: new Float64Array(CERT_PHASES) });

export function genesisBlock(core: Core, profile: NetworkProfile): Genesis {
  const certBytes = encodeCert(GENESIS_CERT);
  const miner = new Uint8Array(20);
  const header: Header = {
    version: HEADER_VERSION,
    height: 0,
    prevHash: ZERO_HASH,
    merkleRoot: new Uint8Array(32),
    certHash: certHash(core, certBytes, miner),
    timestamp: profile.genesisTime,
    bits: profile.startBits,
    nonce: 0,
  };
  const headerBytes = encodeHeader(header);
  return { header, headerBytes, bytes: assembleBlock(headerBytes, miner, certBytes, []), hash: core.sha256d(headerBytes) };
}
