// Header and block rules; every failure is a ValidationError with a specific code.
import type { Core } from '../core/types.js';
import { ValidationError } from '../errors.js';
import { merkleRoot, type BlockParts } from './block.js';
import { certHash, checkCertificate } from './cert.js';
import { dataView, equalBytes, toHex } from '../bytes.js';
import { lessOrEqualBE } from './bytes.js';
import { HEADER_SIZE } from '../constants.js';
import { checkTimestamp, isRetargetHeight } from './consensus.js';
import { HEADER_OFFSET, HEADER_VERSION, headerBitsAt, targetBytesOfBits } from './header.js';
import type { TxSignatureChecker } from './sigcheck.js';
import { txid, verifyTxSignature } from './tx.js';
import type { Header } from './types.js';

/** What a header is checked against: its parent. */
export interface ParentRef {
  hash: Uint8Array;
  height: number;
  timestamp: number;
}

/** Contextual header rules: version, link, height, time window, required bits, proof. */
export function checkHeader(h: Header, hash: Uint8Array, parent: ParentRef, expectedBits: number, now: number): void {
  if (h.version !== HEADER_VERSION) throw new ValidationError('bad-version', `header version ${h.version}`);
  if (!equalBytes(h.prevHash, parent.hash)) throw new ValidationError('bad-prev', 'header does not link to its parent');
  if (h.height !== parent.height + 1) throw new ValidationError('bad-height', `height ${h.height}, parent ${parent.height}`);
  checkTimestamp(h.timestamp, parent.timestamp, now);
  if (h.bits !== expectedBits) {
    throw new ValidationError('bad-bits', `bits 0x${h.bits.toString(16)}, want 0x${expectedBits.toString(16)}`);
  }
  if (!lessOrEqualBE(hash, targetBytesOfBits(h.bits))) throw new ValidationError('high-hash', `hash ${toHex(hash)} above target`);
}

/** The parent a run of headers builds on, with the fields its first child is checked against. */
export interface RunParent extends ParentRef {
  bits: number;
}

export interface RunCheck {
  /** Headers that passed, from the start of the run. */
  passed: number;
  /** Timestamp of the last header that passed (the parent's when none did). */
  lastTime: number;
  error?: ValidationError;
}

/**
 * checkHeader over a linked run of serialized headers (`buf` holds n·HEADER_SIZE bytes, `hashes` their
 * sha256d, 32 bytes each) on top of `parent`: the same rules in the same order, read straight from the
 * bytes, with no object or bigint per header (the header-sync hot path). `retargetBits(i, height,
 * parentBits, parentTime)` gives the bits required of header i at a retarget height. Stops at the first
 * failure.
 */
export function checkHeaderRun(
  buf: Uint8Array,
  hashes: Uint8Array,
  n: number,
  parent: RunParent,
  now: number,
  retargetBits: (i: number, height: number, parentBits: number, parentTime: number) => number,
): RunCheck {
  const dv = dataView(buf);
  let pHash = parent.hash;
  let pOff = 0;
  let pHeight = parent.height;
  let pTime = parent.timestamp;
  let pBits = parent.bits;
  let target: Uint8Array = new Uint8Array(0);
  let targetBits = -1;
  for (let i = 0; i < n; i++) {
    const o = i * HEADER_SIZE;
    try {
      const hi = dv.getUint32(o + HEADER_OFFSET.timestamp + 4, true);
      if (hi >= 0x20_0000) throw new ValidationError('time-too-new', 'timestamp beyond 2^53 ms');
      const version = dv.getUint16(o + HEADER_OFFSET.version, true);
      if (version !== HEADER_VERSION) throw new ValidationError('bad-version', `header version ${version}`);
      for (let k = 0; k < 32; k++) {
        if (buf[o + HEADER_OFFSET.prevHash + k] !== pHash[pOff + k]) throw new ValidationError('bad-prev', 'header does not link to its parent');
      }
      const height = dv.getUint32(o + HEADER_OFFSET.height, true);
      if (height !== pHeight + 1) throw new ValidationError('bad-height', `height ${height}, parent ${pHeight}`);
      const ts = hi * 0x1_0000_0000 + dv.getUint32(o + HEADER_OFFSET.timestamp, true);
      checkTimestamp(ts, pTime, now);
      const bits = headerBitsAt(dv, o);
      const want = isRetargetHeight(height) ? retargetBits(i, height, pBits, pTime) : pBits;
      if (bits !== want) throw new ValidationError('bad-bits', `bits 0x${bits.toString(16)}, want 0x${want.toString(16)}`);
      if (bits !== targetBits) {
        target = targetBytesOfBits(bits);
        targetBits = bits;
      }
      for (let k = 0; k < 32; k++) {
        const a = hashes[32 * i + k]!;
        const b = target[k]!;
        if (a !== b) {
          if (a > b) throw new ValidationError('high-hash', `hash ${toHex(hashes.subarray(32 * i, 32 * i + 32))} above target`);
          break;
        }
      }
      pHash = hashes;
      pOff = 32 * i;
      pHeight = height;
      pTime = ts;
      pBits = bits;
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      return { passed: i, lastTime: pTime, error: e };
    }
  }
  return { passed: n, lastTime: pTime };
}

/**
 * Rules that need no chain state: merkle root, certificate hash and rules, no repeated tx,
 * every signature. Returns the txids in block order. `sigs`: signatures already verified (one flag per
 * tx, e.g. by a SigChecker), checked at the same point and with the same code as verifying them here.
 */
export function checkBlockBody(core: Core, parts: BlockParts, magic: number, sigs?: readonly boolean[]): Uint8Array[] {
  const ids = checkBlockStructure(core, parts);
  if (sigs && sigs.length !== parts.txBytes.length) throw new Error(`checkBlockBody: ${sigs.length} signature results for ${parts.txBytes.length} txs`);
  const bad = sigs ? sigs.indexOf(false) : parts.txBytes.findIndex((t) => !verifyTxSignature(t, magic));
  throwBadSig(ids, bad);
  return ids;
}

/**
 * checkBlockBody with the signatures verified by `checker` (spread over its workers), only after every
 * cheaper rule passed, so a block that fails those costs no signature check.
 */
export async function checkBlockBodyWith(core: Core, parts: BlockParts, magic: number, checker: TxSignatureChecker): Promise<Uint8Array[]> {
  const ids = checkBlockStructure(core, parts);
  throwBadSig(ids, await checker.firstBadSignature(parts.txBytes, magic));
  return ids;
}

/** checkBlockBody's rules before the signatures; returns the txids in block order. */
export function checkBlockStructure(core: Core, parts: BlockParts): Uint8Array[] {
  const { block } = parts;
  const ids = parts.txBytes.map((t) => txid(core, t));
  const seen = new Set<string>();
  for (const id of ids) {
    const k = toHex(id);
    if (seen.has(k)) throw new ValidationError('duplicate-tx', `tx ${k} twice in the block`);
    seen.add(k);
  }
  if (!equalBytes(merkleRoot(core, ids), block.header.merkleRoot)) throw new ValidationError('bad-merkle-root', 'merkle root mismatch');
  if (!equalBytes(certHash(core, parts.certBytes, block.minerAddress), block.header.certHash)) {
    throw new ValidationError('bad-cert-hash', 'certificate hash mismatch');
  }
  checkCertificate(core, block.cert);
  return ids;
}

/** bad-tx-sig for the lowest tx whose signature failed (`bad` = its index, −1 none). */
function throwBadSig(ids: readonly Uint8Array[], bad: number): void {
  if (bad >= 0) throw new ValidationError('bad-tx-sig', `tx ${toHex(ids[bad]!)} has a bad signature`);
}
