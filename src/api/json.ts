// Pure conversions from node values to API JSON: hashes and keys as hex, bigints as decimal strings.
import type { Block, Header, Tx } from '../chain/types.js';
// the reference kernels: JSON is built without a node's core
import * as reference from '../core/reference.js';
import { addressOf, encodeTx, txid } from '../chain/tx.js';
import type {
  BlockInfo,
  BlockJson,
  HeaderJson,
  MempoolTxInfo,
  MempoolJson,
  NodeStatus,
  PeerInfo,
  PeerJson,
  StatusJson,
  TxInfo,
  TxInfoJson,
  TxJson,
} from './types.js';

export const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

export function headerJson(h: Header, hash?: Uint8Array): HeaderJson {
  return {
    ...(hash ? { hash: hex(hash) } : {}),
    version: h.version,
    height: h.height,
    prevHash: hex(h.prevHash),
    merkleRoot: hex(h.merkleRoot),
    certHash: hex(h.certHash),
    timestamp: h.timestamp,
    bits: '0x' + (h.bits >>> 0).toString(16).padStart(8, '0'),
    nonce: h.nonce,
  };
}

export function txJson(tx: Tx): TxJson {
  return {
    txid: hex(txid(reference, encodeTx(tx))),
    from: hex(tx.from),
    fromAddress: hex(addressOf(tx.from)),
    to: hex(tx.to),
    amount: tx.amount.toString(),
    fee: tx.fee.toString(),
    nonce: tx.nonce.toString(),
    signature: hex(tx.signature),
  };
}

export function blockJson(info: BlockInfo): BlockJson {
  const b: Block = info.block;
  return {
    hash: hex(info.hash),
    height: b.header.height,
    size: info.size,
    mainChain: info.mainChain,
    header: headerJson(b.header),
    minerAddress: hex(b.minerAddress),
    cert: { r: b.cert.r, psi: b.cert.psi, rounds: b.cert.rounds, phases: Array.from(b.cert.phases) },
    txs: b.txs.map(txJson),
  };
}

export function txInfoJson(info: TxInfo): TxInfoJson {
  return {
    ...txJson(info.tx),
    status: info.status,
    ...(info.blockHash ? { blockHash: hex(info.blockHash) } : {}),
    ...(info.height !== undefined ? { height: info.height } : {}),
  };
}

export function mempoolJson(entries: MempoolTxInfo[]): MempoolJson {
  let bytes = 0;
  const txs = entries.map((e) => {
    bytes += 140;
    return { ...txJson(e.tx), addedAt: e.addedAt };
  });
  return { count: txs.length, bytes, txs };
}

export function statusJson(s: NodeStatus): StatusJson {
  return { ...s, tipHash: hex(s.tipHash) };
}

export const peerJson = (p: PeerInfo): PeerJson => ({ ...p });

/** Decoded header plus its hash (sha256d of the serialized bytes). */
export function rawHeaderJson(bytes: Uint8Array, decode: (b: Uint8Array) => Header): HeaderJson {
  return headerJson(decode(bytes), reference.sha256d(bytes));
}
