// Header and block rules; every failure is a ValidationError with a specific code.
import { MIN_COHERENCE_ROUNDS, Z_C } from '../constants.js';
import { ValidationError } from '../errors.js';
import { certHash, merkleRoot } from './block.js';
import { bytesEqual, lessOrEqualBE, toHex } from './bytes.js';
import { checkTimestamp } from './consensus.js';
import { bitsToTarget, HEADER_VERSION, targetBytes } from './header.js';
import { txid, verifyTxSignature } from './tx.js';
/** Claimed r and recomputed r may differ by float32 rounding, no more. */
export const CERT_R_TOLERANCE = 1e-4;
const targetCache = new Map();
/** 32-byte big-endian target for compact bits (cached: bits repeat for whole retarget periods). */
function targetFor(bits) {
    let t = targetCache.get(bits);
    if (t === undefined) {
        const big = bitsToTarget(bits);
        if (big === undefined)
            throw new ValidationError('bad-bits', `invalid compact target 0x${bits.toString(16)}`);
        t = targetBytes(big);
        if (targetCache.size > 1024)
            targetCache.clear();
        targetCache.set(bits, t);
    }
    return t;
}
/** Contextual header rules: version, link, height, time window, required bits, proof. */
export function checkHeader(h, hash, parent, expectedBits, now) {
    if (h.version !== HEADER_VERSION)
        throw new ValidationError('bad-version', `header version ${h.version}`);
    if (!bytesEqual(h.prevHash, parent.hash))
        throw new ValidationError('bad-prev', 'header does not link to its parent');
    if (h.height !== parent.height + 1)
        throw new ValidationError('bad-height', `height ${h.height}, parent ${parent.height}`);
    checkTimestamp(h.timestamp, parent.timestamp, now);
    if (h.bits !== expectedBits) {
        throw new ValidationError('bad-bits', `bits 0x${h.bits.toString(16)}, want 0x${expectedBits.toString(16)}`);
    }
    if (!lessOrEqualBE(hash, targetFor(h.bits)))
        throw new ValidationError('high-hash', `hash ${toHex(hash)} above target`);
}
/** Certificate rules: enough rounds, recomputed r ≥ Z_C, claimed r within tolerance. */
export function checkCertificate(core, cert) {
    if (cert.rounds < MIN_COHERENCE_ROUNDS) {
        throw new ValidationError('cert-rounds', `${cert.rounds} coherent rounds, need ${MIN_COHERENCE_ROUNDS}`);
    }
    const { r } = core.orderParameter(cert.phases);
    if (!(r >= Z_C))
        throw new ValidationError('cert-below-zc', `recomputed r ${r.toFixed(6)} below Z_C`);
    if (!(Math.abs(r - cert.r) <= CERT_R_TOLERANCE)) {
        throw new ValidationError('cert-r-mismatch', `claimed r ${cert.r}, recomputed ${r}`);
    }
}
/**
 * Rules that need no chain state: merkle root, certificate hash and rules, no repeated tx,
 * every signature. Returns the txids in block order.
 */
export function checkBlockBody(core, parts, magic) {
    const { block } = parts;
    const ids = parts.txBytes.map((t) => txid(core, t));
    const seen = new Set();
    for (const id of ids) {
        const k = toHex(id);
        if (seen.has(k))
            throw new ValidationError('duplicate-tx', `tx ${k} twice in the block`);
        seen.add(k);
    }
    if (!bytesEqual(merkleRoot(core, ids), block.header.merkleRoot))
        throw new ValidationError('bad-merkle-root', 'merkle root mismatch');
    if (!bytesEqual(certHash(core, parts.certBytes, block.minerAddress), block.header.certHash)) {
        throw new ValidationError('bad-cert-hash', 'certificate hash mismatch');
    }
    checkCertificate(core, block.cert);
    for (let i = 0; i < parts.txBytes.length; i++) {
        if (!verifyTxSignature(parts.txBytes[i], magic))
            throw new ValidationError('bad-tx-sig', `tx ${toHex(ids[i])} has a bad signature`);
    }
    return ids;
}
/** Body failures that do not condemn the header: another body with the same header may be valid. */
export const MUTABLE_BODY_CODES = new Set(['bad-merkle-root', 'duplicate-tx', 'bad-cert-hash', 'bad-size', 'bad-cert']);
//# sourceMappingURL=validate.js.map