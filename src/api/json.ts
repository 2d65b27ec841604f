// Pure conversions from node values to API JSON: hashes and keys as hex, bigints as decimal strings.
import { toHex } from '../bytes.js';
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


export function headerJson(h: Header, hash?: Uint8Array): HeaderJson {
  return {
    ...(hash ? { hash: toHex(hash) } : {}),
    version: h.version,
    height: h.height,
    prevHash: toHex(h.prevHash),
    merkleRoot: toHex(h.merkleRoot),
    certHash: toHex(h.certHash),
    timestamp: h.timestamp,
    bits: '0x' + (h.bits >>> 0).toString(16).padStart(8, '0'),
    nonce: h.nonce,
  };
}

export function txJson(tx: Tx): TxJson {
  return {
    txid: toHex(txid(reference, encodeTx(tx))),
    from: toHex(tx.from),
    fromAddress: toHex(addressOf(tx.from)),
    to: toHex(tx.to),
    amount: tx.amount.toString(),
    fee: tx.fee.toString(),
    nonce: tx.nonce.toString(),
    signature: toHex(tx.signature),
  };
}

export function blockJson(info: BlockInfo): BlockJson {
  const b: Block = info.block;
  return {
    hash: toHex(info.hash),
    height: b.header.height,
    size: info.size,
    mainChain: info.mainChain,
    header: headerJson(b.header),
    minerAddress: toHex(b.minerAddress),
    cert: { r: b.cert.r, psi: b.cert.psi, rounds: b.cert.rounds, phases: Array.from(b.cert.phases) },
    txs: b.txs.map(txJson),
  };
}

export function txInfoJson(info: TxInfo): TxInfoJson {
  return {
    ...txJson(info.tx),
    status: info.status,
    ...(info.blockHash ? { blockHash: toHex(info.blockHash) } : {}),
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
  return { ...s, tipHash: toHex(s.tipHash) };
}

export const peerJson = (p: PeerInfo): PeerJson => ({ ...p });

/** Decoded header plus its hash (sha256d of the serialized bytes). */
export function rawHeaderJson(bytes: Uint8Array, decode: (b: Uint8Array) => Header): HeaderJson {
  return headerJson(decode(bytes), reference.sha256d(bytes));
}
