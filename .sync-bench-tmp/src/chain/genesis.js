// The fixed genesis block of each profile: no transactions, no proof, no reward (hash checked in tests).
import { CERT_PHASES } from '../constants.js';
import { assembleBlock, certHash, encodeCert } from './block.js';
import { ZERO_HASH } from './bytes.js';
import { encodeHeader, HEADER_VERSION } from './header.js';
/** All phases at 0: r = 1 exactly, so the certificate is reproducible bit for bit. */
export const GENESIS_CERT = Object.freeze({ r: 1, psi: 0, rounds: 0, phases: new Float64Array(CERT_PHASES) });
export function genesisBlock(core, profile) {
    const certBytes = encodeCert(GENESIS_CERT);
    const miner = new Uint8Array(20);
    const header = {
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
//# sourceMappingURL=genesis.js.map