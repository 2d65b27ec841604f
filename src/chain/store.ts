// classic-level store: one LevelDB under <dataDir>/chain; every block (dis)connect is one atomic batch.
import type { AbstractLevel } from 'abstract-level';
import { ClassicLevel } from 'classic-level';
import { HEADER_SIZE } from '../constants.js';
import { InputError } from '../errors.js';
import { bytesEqual, bytesToBigBE, concatBytes, copyBytes, toHex, view } from './bytes.js';
import { decodeOwnedHeader } from './header.js';
import { decodeAccount, encodeAccount } from './ledger.js';
import { Lru } from './lru.js';
import type { Account, Header } from './types.js';

/** Any abstract-level store with Uint8Array keys and values (classic-level on disk, memory-level in the simulator). */
export type ChainDb = AbstractLevel<Uint8Array, Uint8Array, Uint8Array>;

/** Record flags. */
export const HAVE_DATA = 1;
export const INVALID = 4;

/** Key prefixes (one ASCII byte each); docs/chain.md lists the layout. */
export const P = {
  header: 0x68, // 'h' hash → [header 118][chainWork 32 BE][status u8]
  block: 0x62, // 'b' hash → block bytes
  main: 0x6e, // 'n' height u32 BE → hash (connected chain)
  hchain: 0x43, // 'C' chunk u32 BE → hashes of the best header chain at heights chunk·HCHAIN_CHUNK … (32 bytes each)
  oldHchain: 0x48, // 'H' height u32 BE → hash: format 1's best-header index, migrated to 'C' on open
  account: 0x61, // 'a' address 20 → [balance u64][nonce u64]
  undo: 0x75, // 'u' hash → undo data
  tx: 0x78, // 'x' txid → [block hash 32][height u32][index u32]
  side: 0x73, // 's' height u32 BE + hash → empty (blocks with data off the main chain)
  meta: 0x6d, // 'm' name → value
  peer: 0x70, // 'p' key utf8 → value utf8 (address book)
  pending: 0x74, // 't' txid → [tx 140][addedAt f64 LE] (mempool, restored on start)
} as const;

/** Heights per best-header-chain index key: a 500-header batch touches one or two keys, not 500. */
export const HCHAIN_CHUNK = 512;
/** On-disk layout version (meta 'format'); 1 = no meta, per-height 'H' index. */
export const STORE_FORMAT = 2;
/** Serialized header record: header ‖ chainWork 32 BE ‖ status. */
export const RECORD_SIZE = HEADER_SIZE + 33;

export interface HeaderRecord {
  hash: Uint8Array;
  header: Header;
  headerBytes: Uint8Array;
  /** Cumulative work up to and including this header. */
  chainWork: bigint;
  status: number;
}

export interface TxLocation {
  blockHash: Uint8Array;
  height: number;
  index: number;
}

export type Op = { type: 'put'; key: Uint8Array; value: Uint8Array } | { type: 'del'; key: Uint8Array };

const EMPTY = new Uint8Array(0);
const enc = new TextEncoder();
const dec = new TextDecoder();

export function key(prefix: number, ...parts: Uint8Array[]): Uint8Array {
  return concatBytes([Uint8Array.of(prefix), ...parts]);
}

export function heightKey(prefix: number, height: number, extra?: Uint8Array): Uint8Array {
  const k = new Uint8Array(5 + (extra?.length ?? 0));
  k[0] = prefix;
  view(k).setUint32(1, height, false);
  if (extra) k.set(extra, 5);
  return k;
}

/** Buffers from the binding as plain Uint8Array views (deep equality and slice() behave). */
const u8 = (b: Uint8Array | undefined): Uint8Array | undefined =>
  b === undefined || Object.getPrototypeOf(b) === Uint8Array.prototype ? b : new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

const metaKey = (name: string): Uint8Array => key(P.meta, enc.encode(name));

export function encodeRecord(r: HeaderRecord): Uint8Array {
  const out = new Uint8Array(RECORD_SIZE);
  out.set(r.headerBytes, 0);
  writeWorkBE(out, HEADER_SIZE, r.chainWork);
  out[HEADER_SIZE + 32] = r.status;
  return out;
}

const MASK64 = (1n << 64n) - 1n;
/** Writes chainWork (< 2^256) as 32 bytes big-endian at `off` (four u64 stores, no hex round trip). */
export function writeWorkBE(out: Uint8Array, off: number, w: bigint): void {
  const dv = view(out);
  dv.setBigUint64(off + 24, w & MASK64, false);
  dv.setBigUint64(off + 16, (w >> 64n) & MASK64, false);
  dv.setBigUint64(off + 8, (w >> 128n) & MASK64, false);
  dv.setBigUint64(off, (w >> 192n) & MASK64, false);
}

/**
 * out[oOff..+32] = a[aOff..+32] + w (all 32-byte big-endian; w has no bytes before wStart): cumulative
 * work per header without a bigint per header.
 */
export function addWorkBE(out: Uint8Array, oOff: number, a: Uint8Array, aOff: number, w: Uint8Array, wStart: number): void {
  let carry = 0;
  let k = 31;
  for (; k >= wStart; k--) {
    const s = a[aOff + k]! + w[k]! + carry;
    out[oOff + k] = s & 0xff;
    carry = s >>> 8;
  }
  for (; k >= 0; k--) {
    const s = a[aOff + k]! + carry;
    out[oOff + k] = s & 0xff;
    carry = s >>> 8;
  }
}

/** New header records written by raw ops (`hashes` 32 bytes each, `vals` RECORD_SIZE each), in key order of neither. */
export interface RecordRun {
  hashes: Uint8Array;
  vals: Uint8Array;
  count: number;
}

/** A run whose batch is submitted but not yet written: getRecord serves it from memory meanwhile. */
interface Landing extends RecordRun {
  /** Last 4 hash bytes → index (hashes that meet a target start with zeros; their ends are uniform). */
  index: Map<number, number>;
}

/** One chunk of the best-header index: `len` hashes for consecutive heights. */
interface Chunk {
  buf: Uint8Array;
  len: number;
}

function decodeRecord(hash: Uint8Array, v: Uint8Array): HeaderRecord {
  const headerBytes = copyBytes(v, 0, HEADER_SIZE);
  return {
    hash,
    header: decodeOwnedHeader(headerBytes),
    headerBytes,
    chainWork: bytesToBigBE(v.subarray(HEADER_SIZE, HEADER_SIZE + 32)),
    status: v[HEADER_SIZE + 32]!,
  };
}

/** The address book's slice of the store: string keys and values, no schema imposed. */
export interface PeerStore {
  get(key: string): Promise<string | undefined>;
  put(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
  list(limit?: number): Promise<{ key: string; value: string }[]>;
}

/** The mempool's slice of the store: one record per pending tx, keyed by txid. */
export interface PendingTxStore {
  /** Puts (value given) and deletes (no value) in one batch; call again only after it resolves, so batches stay in order. */
  write(ops: { id: Uint8Array; value?: Uint8Array }[]): Promise<void>;
  /** Every stored record in key order, streamed (the caller bounds what it keeps). */
  scan(): AsyncIterable<{ id: Uint8Array; value: Uint8Array }>;
}

export class Store {
  private readonly records: Lru<string, HeaderRecord>;
  /** Best-header index chunks read or written (bounded); changed ones wait in `dirty` for the next write. */
  private readonly chunks = new Lru<number, Chunk>(64);
  private readonly dirty = new Map<number, Chunk>();
  /** Chunks and header runs of batches in flight (at most a few): served from memory until they land. */
  private readonly landingChunks = new Map<number, Chunk>();
  private readonly landing: Landing[] = [];
  readonly peers: PeerStore;
  readonly pending: PendingTxStore;

  private constructor(
    readonly db: ChainDb,
    cacheSize: number,
  ) {
    this.records = new Lru(cacheSize);
    this.peers = {
      get: async (k) => {
        const v = await db.get(key(P.peer, enc.encode(k)));
        return v === undefined ? undefined : dec.decode(v);
      },
      put: async (k, v) => db.put(key(P.peer, enc.encode(k)), enc.encode(v)),
      delete: async (k) => db.del(key(P.peer, enc.encode(k))),
      list: async (limit = 10_000) => {
        const out: { key: string; value: string }[] = [];
        for await (const [k, v] of db.iterator({ gte: Uint8Array.of(P.peer), lt: Uint8Array.of(P.peer + 1), limit })) {
          out.push({ key: dec.decode(k.subarray(1)), value: dec.decode(v) });
        }
        return out;
      },
    };
    // its own batches, never Store.write: that one also commits the chain's dirty index chunks
    this.pending = {
      write: (ops) => db.batch(ops.map((o) => (o.value ? { type: 'put' as const, key: key(P.pending, o.id), value: o.value } : { type: 'del' as const, key: key(P.pending, o.id) }))),
      scan: async function* () {
        for await (const [k, v] of db.iterator({ gte: Uint8Array.of(P.pending), lt: Uint8Array.of(P.pending + 1) })) {
          yield { id: copyBytes(k, 1), value: copyBytes(v) };
        }
      },
    };
  }

  /** `injected`: an abstract-level db with 'view' encodings (e.g. memory-level in the simulator) instead of one at `location`. */
  static async open(location: string, cacheSize = 20_000, injected?: ChainDb): Promise<Store> {
    // A larger memtable means fewer level-0 files during header sync, so LevelDB rarely throttles writes.
    const db: ChainDb =
      injected ??
      (new ClassicLevel<Uint8Array, Uint8Array>(location, { keyEncoding: 'view', valueEncoding: 'view', writeBufferSize: 32 << 20, cacheSize: 16 << 20 }) as unknown as ChainDb);
    await db.open();
    return new Store(db, cacheSize);
  }

  async close(): Promise<void> {
    this.records.clear();
    await this.db.close();
  }

  /**
   * Commits ops atomically, together with every best-header index chunk changed since the last write
   * (a chained batch: about twice as fast as the array form here).
   */
  write(ops: Op[], run?: RecordRun): Promise<void> {
    const b = this.db.batch();
    for (const op of ops) {
      if (op.type === 'put') b.put(op.key, op.value);
      else b.del(op.key);
    }
    const chunks = [...this.dirty];
    for (const [c, ch] of chunks) {
      if (ch.len === 0) b.del(heightKey(P.hchain, c));
      else b.put(heightKey(P.hchain, c), ch.buf.slice(0, ch.len * 32));
      this.chunks.set(c, ch);
      this.landingChunks.set(c, ch);
    }
    this.dirty.clear();
    let landing: Landing | undefined;
    if (run) {
      const index = new Map<number, number>();
      const dv = view(run.hashes);
      for (let i = run.count - 1; i >= 0; i--) index.set(dv.getUint32(32 * i + 28, true), i);
      landing = { ...run, index };
      this.landing.push(landing);
    }
    const landed = (): void => {
      if (landing) this.landing.splice(this.landing.indexOf(landing), 1);
      for (const [c, ch] of chunks) if (this.landingChunks.get(c) === ch) this.landingChunks.delete(c);
    };
    return b.write().then(landed, (e: unknown) => {
      landed();
      throw e;
    });
  }

  private landingRecord(hash: Uint8Array): HeaderRecord | undefined {
    const tail = view(hash).getUint32(28, true);
    for (let j = this.landing.length - 1; j >= 0; j--) {
      const l = this.landing[j]!;
      let i = l.index.get(tail);
      if (i === undefined) continue;
      if (!bytesEqual(l.hashes.subarray(32 * i, 32 * i + 32), hash)) {
        // two hashes share their last 4 bytes: look the slow way
        i = undefined;
        for (let k = 0; k < l.count && i === undefined; k++) if (bytesEqual(l.hashes.subarray(32 * k, 32 * k + 32), hash)) i = k;
        if (i === undefined) continue;
      }
      return decodeRecord(copyBytes(hash), l.vals.subarray(RECORD_SIZE * i, RECORD_SIZE * (i + 1)));
    }
    return undefined;
  }

  /** Format-1 stores kept the best-header index one key per height: rewrite it as chunks (bounded batches). */
  async migrate(): Promise<void> {
    const format = this.getMeta('format');
    if (format && format[0] === STORE_FORMAT) return;
    if (format) throw new InputError('store-format', `store format ${format[0]} is newer than this node's ${STORE_FORMAT}`);
    let ops: Op[] = [];
    for await (const [k, v] of this.db.iterator({ gte: Uint8Array.of(P.oldHchain), lt: Uint8Array.of(P.oldHchain + 1) })) {
      if (k.length !== 5) continue;
      this.setHeaderChainHash(view(k).getUint32(1, false), copyBytes(v));
      ops.push({ type: 'del', key: copyBytes(k) });
      if (ops.length >= 10_000) {
        await this.write(ops);
        ops = [];
      }
    }
    this.putMeta(ops, 'format', Uint8Array.of(STORE_FORMAT));
    await this.write(ops);
  }

  // ---- header records (cached) ----
  getRecord(hash: Uint8Array): HeaderRecord | undefined {
    const hex = toHex(hash);
    const c = this.records.get(hex) ?? (this.landing.length > 0 ? this.landingRecord(hash) : undefined);
    if (c) return c;
    const v = this.db.getSync(key(P.header, hash));
    if (v === undefined) return undefined;
    const r = decodeRecord(hash, v);
    this.records.set(hex, r);
    return r;
  }

  /** Queues the record in `ops` and makes it visible to getRecord at once (the chain is single-writer). */
  putRecord(ops: Op[], r: HeaderRecord): void {
    this.records.set(toHex(r.hash), r);
    ops.push({ type: 'put', key: key(P.header, r.hash), value: encodeRecord(r) });
  }

  /** Caches a record that was just written by raw ops (the header batch path writes records itself). */
  cacheRecord(r: HeaderRecord): void {
    this.records.set(toHex(r.hash), r);
  }

  /** Drops cached records and index chunks (after a failed batch the cache may be ahead of the disk). */
  forgetCache(): void {
    this.records.clear();
    this.chunks.clear();
    this.dirty.clear();
    this.landingChunks.clear();
    this.landing.length = 0;
  }

  // ---- indexes ----
  mainHash(height: number): Uint8Array | undefined {
    return u8(this.db.getSync(heightKey(P.main, height)));
  }

  /** Hash at `height` on the best header chain (a copy). */
  headerChainHash(height: number): Uint8Array | undefined {
    const ch = this.chunk(Math.floor(height / HCHAIN_CHUNK), false);
    const i = height % HCHAIN_CHUNK;
    return ch && i < ch.len ? ch.buf.slice(32 * i, 32 * i + 32) : undefined;
  }

  /**
   * Sets the best-header index at `height` (written with the next `write`). Callers set every height
   * from the fork up to the new top before writing, so the index stays gap-free on disk.
   */
  setHeaderChainHash(height: number, hash: Uint8Array, off = 0): void {
    const c = Math.floor(height / HCHAIN_CHUNK);
    const ch = this.chunk(c, true)!;
    const i = height % HCHAIN_CHUNK;
    ch.buf.set(hash.subarray(off, off + 32), 32 * i);
    if (i >= ch.len) ch.len = i + 1;
    this.dirty.set(c, ch);
  }

  /** Drops index entries above `top` (up to `oldTop`). */
  truncateHeaderChain(top: number, oldTop: number): void {
    if (top >= oldTop) return;
    for (let c = Math.floor((top + 1) / HCHAIN_CHUNK); c <= Math.floor(oldTop / HCHAIN_CHUNK); c++) {
      const ch = this.chunk(c, true)!;
      ch.len = Math.min(ch.len, Math.max(0, top + 1 - c * HCHAIN_CHUNK));
      this.dirty.set(c, ch);
    }
  }

  private chunk(c: number, create: boolean): Chunk | undefined {
    let ch = this.dirty.get(c) ?? this.landingChunks.get(c) ?? this.chunks.get(c);
    if (ch) return ch;
    const v = this.db.getSync(heightKey(P.hchain, c));
    if (v === undefined && !create) return undefined;
    ch = { buf: new Uint8Array(32 * HCHAIN_CHUNK), len: v ? v.length / 32 : 0 };
    if (v) ch.buf.set(v);
    this.chunks.set(c, ch);
    return ch;
  }

  getBlockBytes(hash: Uint8Array): Promise<Uint8Array | undefined> {
    return this.db.get(key(P.block, hash)).then(u8);
  }

  getUndo(hash: Uint8Array): Uint8Array | undefined {
    return u8(this.db.getSync(key(P.undo, hash)));
  }

  getAccount(address: Uint8Array): Account | undefined {
    const v = this.db.getSync(key(P.account, address));
    return v === undefined ? undefined : decodeAccount(v);
  }

  putAccount(ops: Op[], address: Uint8Array, a: Account | undefined): void {
    const k = key(P.account, address);
    ops.push(a ? { type: 'put', key: k, value: encodeAccount(a) } : { type: 'del', key: k });
  }

  getTxLocation(id: Uint8Array): TxLocation | undefined {
    const v = this.db.getSync(key(P.tx, id));
    if (v === undefined) return undefined;
    const dv = view(v);
    return { blockHash: copyBytes(v, 0, 32), height: dv.getUint32(32, true), index: dv.getUint32(36, true) };
  }

  putTxLocation(ops: Op[], id: Uint8Array, loc: TxLocation): void {
    const v = new Uint8Array(40);
    v.set(loc.blockHash, 0);
    view(v).setUint32(32, loc.height, true);
    view(v).setUint32(36, loc.index, true);
    ops.push({ type: 'put', key: key(P.tx, id), value: v });
  }

  getMeta(name: string): Uint8Array | undefined {
    return u8(this.db.getSync(metaKey(name)));
  }

  putMeta(ops: Op[], name: string, value: Uint8Array): void {
    ops.push({ type: 'put', key: metaKey(name), value });
  }

  /** Side blocks with data below `belowHeight`, oldest first (bounded by `limit`). */
  async sideBelow(belowHeight: number, limit: number): Promise<{ key: Uint8Array; height: number; hash: Uint8Array }[]> {
    const out: { key: Uint8Array; height: number; hash: Uint8Array }[] = [];
    for await (const k of this.db.keys({ gte: Uint8Array.of(P.side), lt: heightKey(P.side, belowHeight), limit })) {
      out.push({ key: k, height: view(k).getUint32(1, false), hash: copyBytes(k, 5) });
    }
    return out;
  }

  static readonly EMPTY = EMPTY;
}
