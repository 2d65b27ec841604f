// Every key of the chain store, in one place (as bcoin's lib/blockchain/layout.js): prefix byte ‖ parts.
import { concatBytes } from '../bytes.js';

/** Key prefixes (one ASCII byte each); docs/chain.md lists the layout. */
export const P = {
  header: 0x68, // 'h' hash → [header 118][chainWork 32 BE][status u8]
  block: 0x62, // 'b' hash → block bytes
  main: 0x6e, // 'n' height u32 BE → hash ‖ header (connected chain; hash alone when written before the header was added)
  mainChunk: 0x4e, // 'N' chunk u32 BE → the 512 serialized headers of the connected chain at heights chunk·512 … (full chunks only, format 5)
  hchain: 0x43, // 'C' chunk u32 BE → the 512 hashes of the best header chain at heights chunk·HCHAIN_CHUNK … (full chunks only since format 3)
  htail: 0x54, // 'T' height u32 BE → hashes from that height on (a run): the best header chain above the last full chunk (format 3)
  oldHchain: 0x48, // 'H' height u32 BE → hash: format 1's best-header index, migrated to 'C' on open
  account: 0x61, // 'a' address 20 → [balance u64][nonce u64]
  undo: 0x75, // 'u' hash → undo data
  tx: 0x78, // 'x' txid → [block hash 32][height u32][index u32]
  side: 0x73, // 's' height u32 BE + hash → empty (blocks with data off the main chain)
  meta: 0x6d, // 'm' name → value
  peer: 0x70, // 'p' key utf8 → value utf8 (address book)
  pending: 0x74, // 't' txid → [tx 140][addedAt f64 LE] (mempool, restored on start)
} as const;

const enc = new TextEncoder();

export function key(prefix: number, ...parts: Uint8Array[]): Uint8Array {
  return concatBytes([Uint8Array.of(prefix), ...parts]);
}

export function heightKey(prefix: number, height: number, extra?: Uint8Array): Uint8Array {
  const k = new Uint8Array(5 + (extra?.length ?? 0));
  k[0] = prefix;
  // u32 big-endian by hand: a DataView per key was 4.5 % of a source serving GETBLOCKS (one key per height)
  k[1] = height >>> 24;
  k[2] = (height >>> 16) & 0xff;
  k[3] = (height >>> 8) & 0xff;
  k[4] = height & 0xff;
  if (extra) k.set(extra, 5);
  return k;
}

/** The key of each record kind. */
export const layout = {
  header: (hash: Uint8Array) => key(P.header, hash),
  block: (hash: Uint8Array) => key(P.block, hash),
  main: (height: number) => heightKey(P.main, height),
  mainChunk: (chunk: number) => heightKey(P.mainChunk, chunk),
  hchain: (chunk: number) => heightKey(P.hchain, chunk),
  htail: (height: number) => heightKey(P.htail, height),
  account: (address: Uint8Array) => key(P.account, address),
  undo: (hash: Uint8Array) => key(P.undo, hash),
  tx: (id: Uint8Array) => key(P.tx, id),
  side: (height: number, hash: Uint8Array) => heightKey(P.side, height, hash),
  meta: (name: string) => key(P.meta, enc.encode(name)),
  peer: (k: string) => key(P.peer, enc.encode(k)),
  pending: (id: Uint8Array) => key(P.pending, id),
  /** [gte, lt) bounds of every key with this prefix. */
  range: (prefix: number) => ({ gte: Uint8Array.of(prefix), lt: Uint8Array.of(prefix + 1) }),
} as const;
