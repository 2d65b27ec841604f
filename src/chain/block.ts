// Block format (docs/design.md): [header 118][minerAddress 20][cert len u32][cert][tx count u32][tx × 140].
import { HEADER_SIZE, MAX_MESSAGE_SIZE, TX_SIZE } from '../constants.js';
import type { Core } from '../core/types.js';
import { ValidationError } from '../errors.js';
import { copyBytes, dataView } from '../bytes.js';
import { CERT_SIZE, decodeCert, encodeCert } from './cert.js';
import { decodeHeader, encodeHeader } from './header.js';
import { decodeTx, encodeTx } from './tx.js';
import type { Block, Header, Tx } from './types.js';

/** A block travels in one frame, so it fits in one. */
export const MAX_BLOCK_SIZE = MAX_MESSAGE_SIZE;
const FIXED = HEADER_SIZE + 20 + 4 + CERT_SIZE + 4;
export const MAX_BLOCK_TXS = Math.floor((MAX_BLOCK_SIZE - FIXED) / TX_SIZE);

/** Bitcoin-style merkle root of txids: pairwise sha256d, odd last duplicated; zeros when empty. */
export function merkleRoot(core: Core, txids: readonly Uint8Array[]): Uint8Array {
  if (txids.length === 0) return new Uint8Array(32);
  let level = txids.slice();
  const pair = new Uint8Array(64);
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) {
      pair.set(level[i]!, 0);
      pair.set(level[i + 1] ?? level[i]!, 32);
      next.push(core.sha256d(pair));
    }
    level = next;
  }
  return level[0]!;
}

/** A decoded block plus the byte slices validation hashes. */
export interface BlockParts {
  block: Block;
  headerBytes: Uint8Array;
  certBytes: Uint8Array;
  txBytes: Uint8Array[];
}

export function decodeBlockParts(b: Uint8Array): BlockParts {
  if (b.length < FIXED || b.length > MAX_BLOCK_SIZE) throw new ValidationError('bad-size', `block of ${b.length} bytes`);
  const dv = dataView(b);
  const headerBytes = b.subarray(0, HEADER_SIZE);
  const header = decodeHeader(headerBytes);
  const minerAddress = copyBytes(b, HEADER_SIZE, HEADER_SIZE + 20);
  const certLen = dv.getUint32(HEADER_SIZE + 20, true);
  if (certLen !== CERT_SIZE) throw new ValidationError('bad-cert', `certificate length ${certLen}, want ${CERT_SIZE}`);
  const certOff = HEADER_SIZE + 24;
  const certBytes = b.subarray(certOff, certOff + CERT_SIZE);
  const cert = decodeCert(certBytes);
  const count = dv.getUint32(certOff + CERT_SIZE, true);
  const txOff = certOff + CERT_SIZE + 4;
  if (count > MAX_BLOCK_TXS || b.length !== txOff + count * TX_SIZE) {
    throw new ValidationError('bad-size', `block claims ${count} txs in ${b.length} bytes`);
  }
  const txBytes: Uint8Array[] = [];
  const txs: Tx[] = [];
  for (let i = 0; i < count; i++) {
    const t = b.subarray(txOff + i * TX_SIZE, txOff + (i + 1) * TX_SIZE);
    txBytes.push(t);
    txs.push(decodeTx(t));
  }
  return { block: { header, minerAddress, cert, txs }, headerBytes, certBytes, txBytes };
}

export const decodeBlock = (b: Uint8Array): Block => decodeBlockParts(b).block;

/** Assembles block bytes from already-encoded pieces. */
export function assembleBlock(header: Header | Uint8Array, minerAddress: Uint8Array, certBytes: Uint8Array, txBytes: readonly Uint8Array[]): Uint8Array {
  if (minerAddress.length !== 20) throw new ValidationError('bad-size', 'miner address must be 20 bytes');
  const out = new Uint8Array(HEADER_SIZE + 24 + certBytes.length + 4 + txBytes.length * TX_SIZE);
  const dv = dataView(out);
  if (header instanceof Uint8Array) out.set(header, 0);
  else encodeHeader(header, out, 0);
  out.set(minerAddress, HEADER_SIZE);
  dv.setUint32(HEADER_SIZE + 20, certBytes.length, true);
  out.set(certBytes, HEADER_SIZE + 24);
  let o = HEADER_SIZE + 24 + certBytes.length;
  dv.setUint32(o, txBytes.length, true);
  o += 4;
  for (const t of txBytes) {
    out.set(t, o);
    o += TX_SIZE;
  }
  return out;
}

export function encodeBlock(b: Block): Uint8Array {
  return assembleBlock(b.header, b.minerAddress, encodeCert(b.cert), b.txs.map((t) => encodeTx(t)));
}
