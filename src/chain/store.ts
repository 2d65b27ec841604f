// classic-level store: one LevelDB under <dataDir>/chain; every block (dis)connect is one atomic batch.
import type { AbstractLevel } from 'abstract-level';
import { ClassicLevel } from 'classic-level';
import { HEADER_SIZE } from '../constants.js';
import { InputError } from '../errors.js';
import { bytesToBigBE, copyBytes, dataView, equalBytes, fromHex } from '../bytes.js';
import { decodeOwnedHeader, headerBitsAt, workOfBits } from './header.js';
import { heightKey, layout, P } from './layout.js';
import { decodeAccount, encodeAccount } from './ledger.js';
import { Lru } from './lru.js';
import { BytesLru, BytesMap } from './bytesmap.js';
import { StatusCache } from './statuscache.js';
import { decodePositions, encodePositions, FlatFileSeq, LOCATION_SIZE, MAX_FLAT_FILE, type FlatPos } from './flatfile.js';
import { join } from 'node:path';
import type { Account, Header } from './types.js';

export { heightKey, key, layout, P } from './layout.js';

/** Any abstract-level store with Uint8Array keys and values (classic-level on disk, memory-level in the simulator). */
export type ChainDb = AbstractLevel<Uint8Array, Uint8Array, Uint8Array>;

/** Record flags. */
export const HAVE_DATA = 1;
export const INVALID = 4;

/** Heights per full best-header-chain index key ('C', written once the chunk is full). */
export const HCHAIN_CHUNK = 512;
/**
 * On-disk layout version (meta 'format'): 1 = no meta, per-height 'H' index; 2 = every chunk as a 'C'
 * key, the partial last one rewritten whole per change; 3 = full chunks as 'C', the rest as 'T' keys;
 * 4 = block bytes and undo data in flat files ('b'/'u' values are 12-byte locations; a store without
 * files, as the simulator's memory-level one, keeps them inline); 5 = full 512-height chunks of the
 * connected chain's headers as 'N' keys too (GETBLOCKS served by one read per chunk, not per height).
 */
export const STORE_FORMAT = 5;
/** The format whose header index format 4 keeps (the index migrations end there). */
const INDEX_FORMAT = 3;
/** The format that moved block and undo bytes into the flat files. */
const FLAT_FORMAT = 4;
/** Heights per 'N' key (format 5): 512 headers, 60 KB. */
export const MAIN_CHUNK = 512;
/** 'N' chunks written per migration batch (4 MB). */
const MIGRATE_MAIN_CHUNKS = 64;
/** Old 'b'/'u' values moved into the flat files per migration batch (bounded memory, kill -9 resumes). */
const MIGRATE_BATCH = 4096;
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

/** A side block with data, as the side index lists it. */
export interface SideEntry {
  key: Uint8Array;
  height: number;
  hash: Uint8Array;
}

/** What connecting a block writes besides its indexes: the ledger's new accounts and the undo data. */
export interface ConnectEffect {
  writes: Map<string, Account | undefined>;
  undo: Uint8Array;
}

export interface TxLocation {
  blockHash: Uint8Array;
  height: number;
  index: number;
}

export type Op = { type: 'put'; key: Uint8Array; value: Uint8Array } | { type: 'del'; key: Uint8Array };

/** Writes being gathered for one atomic batch: built only by Store methods (the chain never sees a key). */
export type Batch = Op[];

const EMPTY = new Uint8Array(0);
const dec = new TextDecoder();

/** Buffers from the binding as plain Uint8Array views (deep equality and slice() behave). */
const u8 = (b: Uint8Array | undefined): Uint8Array | undefined =>
  b === undefined || Object.getPrototypeOf(b) === Uint8Array.prototype ? b : new Uint8Array(b.buffer, b.byteOffset, b.byteLength);


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
  const dv = dataView(out);
  dv.setBigUint64(off + 24, w & MASK64, false);
  dv.setBigUint64(off + 16, (w >> 64n) & MASK64, false);
  dv.setBigUint64(off + 8, (w >> 128n) & MASK64, false);
  dv.setBigUint64(off, (w >> 192n) & MASK64, false);
}

/** w (< 2^256) as eight u32 words, least significant first. */
function wordsOfWork(out: Uint32Array, w: bigint): void {
  for (let j = 0; j < 8; j++) {
    out[j] = Number(w & 0xffff_ffffn);
    w >>= 32n;
  }
}

/**
 * New header records (`hashes` 32 bytes each, `vals` RECORD_SIZE each), in key order of neither: `write`
 * puts them into the batch straight from these buffers (`keys`: 'h' ‖ hash, 33 bytes each), no op object per record.
 */
export interface RecordRun {
  hashes: Uint8Array;
  vals: Uint8Array;
  count: number;
  keys: Uint8Array;
}

/** A run whose batch is submitted but not yet written: getRecord serves it from memory meanwhile. */
interface Landing extends RecordRun {
  /** Last 4 hash bytes → index (hashes that meet a target start with zeros; their ends are uniform). */
  index: Map<number, number>;
}

/** Commits gathered for one batch (group commit): their ops in order, and what they made readable meanwhile. */
interface Group {
  /** Per commit, in order: its record run (put first) and its ops. */
  parts: { ops: Op[]; run: RecordRun | undefined }[];
  landings: Landing[];
  behind: [Uint8Array, { v: Uint8Array | null }][];
  bytes: number;
  commits: number;
  done: Promise<void>;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/**
 * One chunk of the best-header index: `len` hashes for consecutive heights, and how it is on disk
 * (a 'C' key, or 'T' runs covering its first `diskLen` heights), so a write puts only what changed.
 */
interface Chunk {
  buf: Uint8Array;
  len: number;
  /** Lowest index changed since the last write (HCHAIN_CHUNK: none). */
  from: number;
  diskLen: number;
  /** Stored as one 'C' key (full; a format-2 store may have a partial one until migrated). */
  diskC: boolean;
  /** First index of each 'T' run on disk, ascending (a run ends where the next starts, the last at diskLen). */
  runs: number[];
}

/** The connected chain's headers of the chunk holding its tip: `len` of them from height c·MAIN_CHUNK on. */
interface MainChunk {
  c: number;
  buf: Uint8Array;
  len: number;
}

/**
 * The main index's value in an injected store (no 'N' chunks): hash ‖ serialized header, so serving
 * GETBLOCKS reads one key per height in height order instead of two (the record's key is its hash: a
 * random read). On disk since format 5 it is the hash alone (as before 2026-12-02): the 'N' chunks serve
 * all but the top partial chunk, and the header's copy was 118 of the ~430 LevelDB bytes per block.
 */
function mainValue(hash: Uint8Array, headerBytes: Uint8Array): Uint8Array {
  const v = new Uint8Array(32 + HEADER_SIZE);
  v.set(hash);
  v.set(headerBytes.subarray(0, HEADER_SIZE), 32);
  return v;
}

const positionsKey = (a: FlatPos, b: FlatPos): string => `${a.file}:${a.len}:${b.file}:${b.len}`;

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

/**
 * Header records cached by default: enough for every block in flight, queued and being connected
 * (≤ ~2.5k), not the whole of a long chain — V8 sizes the heap to a multiple of what stays live, so
 * 20k records (~10 MB live) cost ~30 MB of peak RSS (docs/chain.md, Memory).
 */
export const RECORD_CACHE = 4_096;

export class Store {
  private readonly records: BytesLru<HeaderRecord>;
  /** Every record status the store wrote or read lately (getStatuses answers from it without a LevelDB get). */
  private readonly statuses: StatusCache;
  /** Bumped by every record write: a getMany that saw it change caches nothing (its values may be older). */
  private statusWrites = 0;
  /** Best-header index chunks read or written (bounded); changed ones wait in `dirty` for the next write. */
  private readonly chunks = new Lru<number, Chunk>(64);
  private readonly dirty = new Map<number, Chunk>();
  /** Chunks and header runs of batches in flight (at most a few): served from memory until they land. */
  private readonly landingChunks = new Map<number, Chunk>();
  private readonly landing: Landing[] = [];
  readonly peers: PeerStore;
  readonly pending: PendingTxStore;
  /** No side key below this height (sideBelow's scans start here; 0 after open). */
  private sideFloor = 0;
  /** Key + value bytes handed to LevelDB by `write` (write amplification = this / live bytes). */
  bytesWritten = 0;
  /** Bytes appended to the flat files (block bytes and undo data; written once, never compacted). */
  flatBytesWritten = 0;
  /** Puts (value) and deletes (null) of connect batches submitted but not yet landed, by key bytes: reads see them meanwhile. */
  private readonly landingOps = new BytesMap<{ v: Uint8Array | null }>();
  /** The batch handed to LevelDB and not landed yet (one at a time: batches land in order). */
  private writing: Promise<void> | undefined;
  /** Commits made while a batch was in flight: written together as the next batch (group commit). */
  private queued: Group | undefined;
  /** The error of a failed batch: no later write is made. */
  private failed: unknown;
  /** LevelDB batches written, and the commits (`write` calls) they carried: commits / batches is the grouping. */
  batchesWritten = 0;
  commitsWritten = 0;

  /** Block bytes and undo data (undefined for an injected db: kept inline in 'b'/'u' as before format 4). */
  private readonly blk: FlatFileSeq | undefined;
  private readonly rev: FlatFileSeq | undefined;
  /** The flat files' append points as the last batch handed to LevelDB recorded them ('m/flat'). */
  private flatMeta = '';
  /**
   * The tip's partial 'N' chunk as the ops built so far leave it (on-disk stores only: 60 KB each would
   * weigh on the simulator's thousands of stores, which then keep no 'N' keys); undefined: read it back.
   */
  private mainChunk: MainChunk | undefined;

  private constructor(
    readonly db: ChainDb,
    cacheSize: number,
    flatDir?: string,
    flatMax = MAX_FLAT_FILE,
  ) {
    if (flatDir !== undefined) {
      this.blk = new FlatFileSeq(flatDir, 'blk', flatMax);
      this.rev = new FlatFileSeq(flatDir, 'rev', flatMax);
    }
    this.records = new BytesLru(cacheSize);
    // 4.5 MiB for an on-disk store; small for injected ones (the simulator runs thousands of nodes)
    this.statuses = new StatusCache(flatDir !== undefined ? 1 << 18 : 1 << 10);
    this.peers = {
      get: async (k) => {
        const v = await db.get(layout.peer(k));
        return v === undefined ? undefined : dec.decode(v);
      },
      put: async (k, v) => db.put(layout.peer(k), new TextEncoder().encode(v)),
      delete: async (k) => db.del(layout.peer(k)),
      list: async (limit = 10_000) => {
        const out: { key: string; value: string }[] = [];
        for await (const [k, v] of db.iterator({ ...layout.range(P.peer), limit })) {
          out.push({ key: dec.decode(k.subarray(1)), value: dec.decode(v) });
        }
        return out;
      },
    };
    // its own batches, never Store.write: that one also commits the chain's dirty index chunks
    this.pending = {
      write: (ops) => db.batch(ops.map((o) => (o.value ? { type: 'put' as const, key: layout.pending(o.id), value: o.value } : { type: 'del' as const, key: layout.pending(o.id) }))),
      scan: async function* () {
        for await (const [k, v] of db.iterator(layout.range(P.pending))) {
          yield { id: copyBytes(k, 1), value: copyBytes(v) };
        }
      },
    };
  }

  /**
   * `injected`: an abstract-level db with 'view' encodings (e.g. memory-level in the simulator) instead of
   * one at `location`; it keeps blocks inline. Otherwise block and undo bytes go to flat files in
   * `<location>/blocks` (`flatMax` bytes per file; small in tests, to cross files).
   */
  static async open(location: string, cacheSize = RECORD_CACHE, injected?: ChainDb, flatMax?: number): Promise<Store> {
    // A 16 MiB memtable: each flush of hash-keyed records lands as one table spanning the whole key
    // range, and merging it down rewrites most of the next level, so compaction bytes scale with
    // 1 / memtable size (100k-block IBD: 4 MiB wrote 414-419 MB, 8 MiB 274-276, 16 MiB 204; docs/ibd.md).
    // The block cache is 8 MiB: blocks and undo are read from the flat files (page cache, not RSS).
    const db: ChainDb =
      injected ??
      (new ClassicLevel<Uint8Array, Uint8Array>(location, { keyEncoding: 'view', valueEncoding: 'view', writeBufferSize: 16 << 20, cacheSize: 8 << 20 }) as unknown as ChainDb);
    await db.open();
    const store = new Store(db, cacheSize, injected ? undefined : join(location, 'blocks'), flatMax);
    try {
      store.openFlat();
    } catch (e) {
      await db.close();
      throw e;
    }
    return store;
  }

  /** Opens the flat files at the append points the last landed batch recorded; a longer tail is cut (kill -9). */
  private openFlat(): void {
    if (!this.blk || !this.rev) return;
    const v = u8(this.db.getSync(layout.meta('flat')));
    const [b, r] = decodePositions(v);
    this.blk.open(b);
    this.rev.open(r);
    this.flatMeta = v ? positionsKey(b, r) : '';
  }

  async close(): Promise<void> {
    await this.idle();
    this.records.clear();
    await this.db.close();
    this.blk?.close();
    this.rev?.close();
  }

  /** A block's or undo's value for 'b'/'u': its location in the flat files (appended now), or the bytes inline. */
  private appendFlat(seq: FlatFileSeq | undefined, parts: readonly Uint8Array[]): Uint8Array[] {
    if (!seq) return parts as Uint8Array[];
    for (const p of parts) this.flatBytesWritten += p.length;
    return seq.append(parts);
  }

  /** The bytes behind a 'b'/'u' value: a location is read from its file, older (inline) values are the bytes. */
  private resolveFlat(seq: FlatFileSeq | undefined, v: Uint8Array | undefined): Uint8Array | undefined {
    if (v === undefined || !seq || v.length !== LOCATION_SIZE) return v;
    const out = seq.read(v);
    if (!out) throw new InputError('store-corrupt', 'a block or undo location points past its flat file');
    return out;
  }

  /**
   * Commits ops atomically, together with every best-header index chunk changed since the last write
   * (a chained batch: about twice as fast as the array form here). Group commit: one batch is in
   * flight at a time; ops handed in meanwhile are gathered, in order, and written together as the next
   * batch once it lands (one LevelDB write and one thread-pool round trip for many commits). What a
   * commit writes is readable at once (`run`'s records, `behind` ops, the index chunks) until it lands.
   * The promise resolves when the batch holding these ops has landed. Callers change index chunks only
   * in the same synchronous step as the write that carries them, so a group's chunks match its ops.
   * A failed batch fails every commit gathered after it, unwritten (a later batch must never land
   * without an earlier one), and every later write.
   */
  write(ops: Op[], run?: RecordRun, behind = false): Promise<void> {
    if (this.failed !== undefined) return Promise.reject(this.failed);
    let g = this.queued;
    if (!g) {
      let resolve!: () => void;
      let reject!: (e: unknown) => void;
      const done = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      g = this.queued = { parts: [], landings: [], behind: [], bytes: 0, commits: 0, done, resolve, reject };
    }
    g.parts.push({ ops, run });
    g.commits++;
    for (const op of ops) g.bytes += op.key.length + (op.type === 'put' ? op.value.length : 0);
    if (run) {
      g.bytes += (33 + RECORD_SIZE) * run.count;
      const index = new Map<number, number>();
      const dv = dataView(run.hashes);
      for (let i = run.count - 1; i >= 0; i--) index.set(dv.getUint32(32 * i + 28, true), i);
      const landing: Landing = { ...run, index };
      this.landing.push(landing);
      g.landings.push(landing);
    }
    if (behind) {
      for (const op of ops) {
        const e = { v: op.type === 'put' ? op.value : null };
        this.landingOps.set(op.key, e);
        g.behind.push([op.key, e]);
      }
    }
    if (this.writing === undefined) this.flush();
    return g.done;
  }

  /** Bytes of ops gathered for the next batch (not yet handed to LevelDB). */
  get queuedBytes(): number {
    return this.queued?.bytes ?? 0;
  }

  /** Resolves once the batch in flight (if any) has landed or failed: the gathered ops are then submitted. */
  async inFlight(): Promise<void> {
    await this.writing;
  }

  /** Resolves once everything handed to `write` has landed or failed. */
  async idle(): Promise<void> {
    while (this.writing !== undefined) await this.writing;
  }

  /** A group's records and ops are no longer served from memory (landed, or dropped after a failure). */
  private unstage(g: Group): void {
    for (const l of g.landings) {
      const i = this.landing.indexOf(l);
      if (i >= 0) this.landing.splice(i, 1);
    }
    for (const [k, e] of g.behind) this.landingOps.deleteIf(k, e);
  }

  /** Hands the gathered ops to LevelDB as one batch (with the dirty index chunks); the next waits for it. */
  private flush(): void {
    const g = this.queued;
    if (!g) return;
    this.queued = undefined;
    const b = this.db.batch();
    let n = 0;
    for (const { ops, run } of g.parts) {
      if (run) {
        const { keys, vals } = run;
        for (let i = 0; i < run.count; i++) b.put(keys.subarray(33 * i, 33 * i + 33), vals.subarray(RECORD_SIZE * i, RECORD_SIZE * (i + 1)));
        n += (33 + RECORD_SIZE) * run.count;
      }
      for (const op of ops) {
        if (op.type === 'put') {
          b.put(op.key, op.value);
          n += op.key.length + op.value.length;
        } else {
          b.del(op.key);
          n += op.key.length; // a tombstone is written too
        }
      }
    }
    if (this.blk && this.rev) {
      // the append points in the same batch as the locations: on open, bytes past them are a lost batch's
      const pk = positionsKey(this.blk.pos, this.rev.pos);
      if (pk !== this.flatMeta) {
        const k = layout.meta('flat');
        const v = encodePositions(this.blk.pos, this.rev.pos);
        b.put(k, v);
        n += k.length + v.length;
        this.flatMeta = pk;
      }
    }
    const chunks = [...this.dirty];
    for (const [c, ch] of chunks) {
      n += this.writeChunk(b, c, ch);
      this.chunks.set(c, ch);
      this.landingChunks.set(c, ch);
    }
    this.dirty.clear();
    this.bytesWritten += n;
    this.batchesWritten++;
    this.commitsWritten += g.commits;
    const landed = (): void => {
      this.unstage(g);
      for (const [c, ch] of chunks) if (this.landingChunks.get(c) === ch) this.landingChunks.delete(c);
    };
    const w = b.write().then(
      () => {
        landed();
        this.writing = undefined;
        // the next group goes out before this one's waiters run: the disk stays busy
        this.flush();
        g.resolve();
      },
      (e: unknown) => {
        landed();
        this.writing = undefined;
        this.failed ??= e;
        const next = this.queued;
        this.queued = undefined;
        if (next) {
          this.unstage(next);
          next.reject(e);
        }
        g.reject(e);
      },
    );
    this.writing = w;
  }

  /**
   * The ops that bring chunk `c` on disk to its state in memory. A full chunk is one 'C' key, written
   * once. A partial one is 'T' runs: each write appends one run of the heights it added (a block: one
   * 37-byte key, not the 16 KiB chunk), and a reorg inside the tail rewrites it from the run it touches.
   * Returns the bytes handed to LevelDB (a delete counts its key).
   */
  private writeChunk(b: ReturnType<ChainDb['batch']>, c: number, ch: Chunk): number {
    const base = c * HCHAIN_CHUNK;
    let n = 0;
    const delRuns = (from: number): void => {
      while (ch.runs.length > 0 && ch.runs[ch.runs.length - 1]! >= from) {
        b.del(layout.htail(base + ch.runs.pop()!));
        n += 5;
      }
    };
    const putRun = (from: number): void => {
      if (ch.len <= from) return;
      b.put(layout.htail(base + from), ch.buf.slice(32 * from, 32 * ch.len)); // a copy: memory-level keeps what it is given
      ch.runs.push(from);
      n += 5 + 32 * (ch.len - from);
    };
    if (ch.len === HCHAIN_CHUNK) {
      if (!ch.diskC || ch.from < HCHAIN_CHUNK) {
        b.put(layout.hchain(c), ch.buf.slice());
        n += 5 + 32 * HCHAIN_CHUNK;
      }
      delRuns(0);
    } else if (ch.diskC) {
      b.del(layout.hchain(c));
      n += 5;
      putRun(0);
    } else {
      // the disk is right below `keep`; rewrite from the start of the run holding it
      const keep = Math.min(ch.from, ch.len, ch.diskLen);
      let start = keep;
      if (keep < ch.diskLen) {
        for (const r of ch.runs) if (r <= keep) start = r;
      }
      delRuns(start);
      putRun(start);
    }
    ch.diskC = ch.len === HCHAIN_CHUNK;
    ch.diskLen = ch.len;
    ch.from = HCHAIN_CHUNK;
    return n;
  }

  /**
   * `write` for a connect batch the chain does not wait for (write-behind): until it lands, every read
   * of its keys is answered from its ops, so the chain validates the next blocks on top of it meanwhile.
   */
  writeBehind(ops: Op[]): Promise<void> {
    return this.write(ops, undefined, true);
  }

  /** getSync through the ops of write-behind batches in flight. */
  private getSyncLanding(k: Uint8Array): Uint8Array | undefined {
    if (this.landingOps.size > 0) {
      const o = this.landingOps.get(k);
      if (o) return o.v ?? undefined;
    }
    return u8(this.db.getSync(k));
  }

  private landingRecord(hash: Uint8Array): HeaderRecord | undefined {
    const tail = dataView(hash).getUint32(28, true);
    for (let j = this.landing.length - 1; j >= 0; j--) {
      const l = this.landing[j]!;
      let i = l.index.get(tail);
      if (i === undefined) continue;
      if (!equalBytes(l.hashes.subarray(32 * i, 32 * i + 32), hash)) {
        // two hashes share their last 4 bytes: look the slow way
        i = undefined;
        for (let k = 0; k < l.count && i === undefined; k++) if (equalBytes(l.hashes.subarray(32 * k, 32 * k + 32), hash)) i = k;
        if (i === undefined) continue;
      }
      return decodeRecord(copyBytes(hash), l.vals.subarray(RECORD_SIZE * i, RECORD_SIZE * (i + 1)));
    }
    return undefined;
  }

  /**
   * Brings an older store to STORE_FORMAT. Format 1 kept the best-header index one key per height: it
   * is rewritten as chunks (bounded batches). Format 2 kept the partial last chunk as a 'C' key: it
   * becomes 'T' keys (one batch per chunk). Format 3 kept block and undo bytes in LevelDB: they move to
   * the flat files. Each step writes its format meta in its last batch, so a kill -9 mid-way migrates
   * again from the last step that finished (values already moved are locations and are skipped).
   */
  async migrate(): Promise<void> {
    const format = this.getMeta('format');
    if (format && format[0] === STORE_FORMAT) return;
    if (format && format[0]! > STORE_FORMAT) throw new InputError('store-format', `store format ${format[0]} is newer than this node's ${STORE_FORMAT}`);
    if (!format || format[0]! < INDEX_FORMAT) await this.migrateIndex(format?.[0]);
    if (!format || format[0]! < FLAT_FORMAT) await this.migrateFlat();
    await this.migrateMainChunks();
  }

  /**
   * Format 4 to 5: an 'N' key for every full chunk of the connected chain, read from its 'n' keys (one
   * pass at open, 64 chunks per batch); `format` = 5 in the last batch. A kill -9 mid-way migrates
   * again from the start (a chunk written already is read back whole and rewritten, identical).
   */
  private async migrateMainChunks(): Promise<void> {
    let ops: Op[] = [];
    for (let c = 0; this.blk; c++) {
      const hs = this.mainHeaders(c * MAIN_CHUNK, MAIN_CHUNK);
      if (hs.length < MAIN_CHUNK) break;
      const v = new Uint8Array(MAIN_CHUNK * HEADER_SIZE);
      hs.forEach((h, i) => v.set(h, i * HEADER_SIZE));
      ops.push({ type: 'put', key: layout.mainChunk(c), value: v });
      if (ops.length >= MIGRATE_MAIN_CHUNKS) {
        await this.write(ops);
        ops = [];
      }
    }
    this.putMeta(ops, 'format', Uint8Array.of(STORE_FORMAT));
    await this.write(ops);
  }

  /** Formats 1 and 2 to 3: the best-header index as full 'C' chunks and 'T' runs. */
  private async migrateIndex(format: number | undefined): Promise<void> {
    let ops: Op[] = [];
    if (format === 2) {
      for await (const [k, v] of this.db.iterator(layout.range(P.hchain))) {
        if (k.length !== 5 || v.length >= 32 * HCHAIN_CHUNK) continue;
        const c = dataView(k).getUint32(1, false);
        const ch: Chunk = { buf: new Uint8Array(32 * HCHAIN_CHUNK), len: v.length >>> 5, from: HCHAIN_CHUNK, diskLen: v.length >>> 5, diskC: true, runs: [] };
        ch.buf.set(v.subarray(0, 32 * ch.len));
        this.chunks.set(c, ch);
        this.dirty.set(c, ch);
        await this.write([]);
      }
      this.putMeta(ops, 'format', Uint8Array.of(INDEX_FORMAT));
      await this.write(ops);
      return;
    }
    for await (const [k, v] of this.db.iterator(layout.range(P.oldHchain))) {
      if (k.length !== 5) continue;
      this.setHeaderChainHash(dataView(k).getUint32(1, false), copyBytes(v));
      ops.push({ type: 'del', key: copyBytes(k) });
      if (ops.length >= 10_000) {
        await this.write(ops);
        ops = [];
      }
    }
    this.putMeta(ops, 'format', Uint8Array.of(INDEX_FORMAT));
    await this.write(ops);
  }

  /** Format 3 to 4: every inline 'b' and 'u' value appended to the flat files and replaced by its location. */
  private async migrateFlat(): Promise<void> {
    const pending: { key: Uint8Array; value: Uint8Array }[] = [];
    const move = async (seq: FlatFileSeq): Promise<void> => {
      const locs = this.appendFlat(seq, pending.map((p) => p.value));
      await this.write(pending.map((p, i) => ({ type: 'put' as const, key: p.key, value: locs[i]! })));
      pending.length = 0;
    };
    for (const [prefix, seq] of [[P.block, this.blk], [P.undo, this.rev]] as const) {
      if (!seq) continue;
      // a snapshot: the locations this loop writes are not seen again; a rerun after a kill skips them
      for await (const [k, v] of this.db.iterator(layout.range(prefix))) {
        if (v.length === LOCATION_SIZE) continue;
        pending.push({ key: copyBytes(k), value: copyBytes(v) });
        if (pending.length >= MIGRATE_BATCH) await move(seq);
      }
      if (pending.length > 0) await move(seq);
    }
    const ops: Op[] = [];
    this.putMeta(ops, 'format', Uint8Array.of(FLAT_FORMAT));
    await this.write(ops);
  }

  // ---- header records (cached) ----
  getRecord(hash: Uint8Array): HeaderRecord | undefined {
    const c = this.records.get(hash) ?? (this.landing.length > 0 ? this.landingRecord(hash) : undefined);
    if (c) return c;
    const v = this.getSyncLanding(layout.header(hash));
    if (v === undefined) return undefined;
    const r = decodeRecord(hash, v);
    this.records.set(r.hash, r);
    return r;
  }

  /** One record's status (−1: none): from the status cache where it is, else the record (a sync read). */
  statusOf(hash: Uint8Array): number {
    return this.statuses.get(hash) ?? this.getRecord(hash)?.status ?? -1;
  }

  /**
   * The record status of many hashes (−1 where none), nothing decoded or cached: those not in the cache
   * or in a batch in flight are read with ONE getMany, in LevelDB's thread pool. IBD needs a record's
   * status per block (data? invalid?); a getSync and a decode each on the main thread were a sixth of a
   * syncing node's CPU.
   */
  async getStatuses(hashes: readonly Uint8Array[]): Promise<number[]> {
    const out: number[] = new Array<number>(hashes.length);
    const miss: number[] = [];
    const keys: Uint8Array[] = [];
    const at = HEADER_SIZE + 32;
    for (let i = 0; i < hashes.length; i++) {
      const hash = hashes[i]!;
      const st = this.statuses.get(hash);
      if (st !== undefined) {
        out[i] = st;
        continue;
      }
      const c = this.records.get(hash) ?? (this.landing.length > 0 ? this.landingRecord(hash) : undefined);
      if (c) {
        out[i] = c.status;
        continue;
      }
      const k = layout.header(hash);
      const o = this.landingOps.size > 0 ? this.landingOps.get(k) : undefined;
      if (o) {
        out[i] = o.v ? o.v[at]! : -1;
        continue;
      }
      miss.push(i);
      keys.push(k);
    }
    if (keys.length > 0) {
      const writes = this.statusWrites;
      const vs = await this.db.getMany(keys);
      // a record written meanwhile is newer than what was read: cache nothing then
      const keep = writes === this.statusWrites;
      for (let j = 0; j < miss.length; j++) {
        const st = vs[j] === undefined ? -1 : vs[j]![at]!;
        out[miss[j]!] = st;
        if (keep) this.statuses.set(hashes[miss[j]!]!, st);
      }
    }
    return out;
  }

  /** Queues the record in `ops` and makes it visible to getRecord at once (the chain is single-writer). */
  putRecord(ops: Op[], r: HeaderRecord): void {
    this.records.set(r.hash, r);
    this.statuses.set(r.hash, r.status);
    this.statusWrites++;
    ops.push({ type: 'put', key: layout.header(r.hash), value: encodeRecord(r) });
  }

  /** Caches a record that was just written by raw ops (the header batch path writes records itself). */
  cacheRecord(r: HeaderRecord): void {
    this.records.set(r.hash, r);
    this.statuses.set(r.hash, r.status);
    this.statusWrites++;
  }

  /** Drops cached records and index chunks (after a failed batch the cache may be ahead of the disk). */
  forgetCache(): void {
    this.records.clear();
    this.statuses.clear();
    this.chunks.clear();
    this.dirty.clear();
    this.landingChunks.clear();
    this.landing.length = 0;
    this.mainChunk = undefined;
  }

  // ---- indexes ----
  mainHash(height: number): Uint8Array | undefined {
    const v = this.getSyncLanding(layout.main(height));
    return v && v.length > 32 ? v.subarray(0, 32) : v;
  }

  /**
   * Serialized main-chain headers at heights start … start+count−1, stopping at the first missing one:
   * raw reads sliced in place (no record decoded, cached or hex-keyed per header: serving GETBLOCKS
   * did all three). Synchronous, so the answer is one consistent chain and a flood of GETBLOCKS waits
   * in its own serve queue, not in the thread pool.
   */
  mainHeaders(start: number, count: number): Uint8Array[] {
    const out: Uint8Array[] = [];
    const end = start + count;
    for (let h = start; h < end; ) {
      const c = Math.floor(h / MAIN_CHUNK);
      const stop = Math.min(end, (c + 1) * MAIN_CHUNK);
      // a full chunk: one read for up to 512 headers (a getSync costs ~3 µs, nearly all of it per call)
      const n = this.getSyncLanding(layout.mainChunk(c));
      if (n && n.length === MAIN_CHUNK * HEADER_SIZE) {
        for (let i = h - c * MAIN_CHUNK; h < stop; h++, i++) out.push(n.subarray(i * HEADER_SIZE, (i + 1) * HEADER_SIZE));
        continue;
      }
      for (; h < stop; h++) {
        const m = this.getSyncLanding(layout.main(h));
        if (m && m.length === 32 + HEADER_SIZE) {
          out.push(m.subarray(32));
          continue;
        }
        // 'n' is the hash alone (the top partial chunk on disk, or written before 2026-12-02): through its
        // record, wherever it is (cache, a header run or a batch landing, LevelDB)
        const r = m && this.getRecord(m.length === 32 ? m : m.subarray(0, 32));
        if (!r) return out;
        out.push(r.headerBytes);
      }
    }
    return out;
  }

  /**
   * The tip's partial 'N' chunk as it must stand before `height` is connected on top (read back from
   * the 'n' keys when the one in memory is not that: after open, a failed write or a disconnect into
   * the chunk below). Connects and disconnects are at the tip, so a height that does not fit is a stale one.
   */
  private mainChunkAt(height: number): MainChunk {
    const ch = this.mainChunk;
    if (ch && ch.c * MAIN_CHUNK + ch.len === height) return ch;
    const c = Math.floor(height / MAIN_CHUNK);
    const hs = this.mainHeaders(c * MAIN_CHUNK, height - c * MAIN_CHUNK);
    if (hs.length !== height - c * MAIN_CHUNK) throw new InputError('store-corrupt', `main index has a gap below height ${height}`);
    const buf = ch?.buf ?? new Uint8Array(MAIN_CHUNK * HEADER_SIZE);
    hs.forEach((h, i) => buf.set(h, i * HEADER_SIZE));
    return (this.mainChunk = { c, buf, len: hs.length });
  }

  /** The 'n' value of a height: the hash alone where 'N' chunks serve the headers (on disk), else hash ‖ header. */
  private mainValueOf(hash: Uint8Array, headerBytes: Uint8Array): Uint8Array {
    return this.blk ? copyBytes(hash, 0, 32) : mainValue(hash, headerBytes);
  }

  /** `height` joins the connected chain: its header goes into the tip's chunk, written as 'N' once full. */
  private mainPut(ops: Op[], height: number, headerBytes: Uint8Array): void {
    if (!this.blk) return;
    const ch = this.mainChunkAt(height);
    ch.buf.set(headerBytes.subarray(0, HEADER_SIZE), ch.len * HEADER_SIZE);
    if (++ch.len < MAIN_CHUNK) return;
    ops.push({ type: 'put', key: layout.mainChunk(ch.c), value: ch.buf.slice() }); // a copy: the buffer goes on with the next chunk
    ch.c++;
    ch.len = 0;
  }

  /** `height` (the tip) leaves the connected chain: its chunk is no longer full. */
  private mainDel(ops: Op[], height: number): void {
    if (!this.blk) return;
    ops.push({ type: 'del', key: layout.mainChunk(Math.floor(height / MAIN_CHUNK)) });
    const ch = this.mainChunk;
    if (ch && ch.len > 0 && ch.c * MAIN_CHUNK + ch.len - 1 === height) ch.len--;
    else this.mainChunk = undefined;
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
    if (i < ch.from) ch.from = i;
    this.dirty.set(c, ch);
  }

  /** setHeaderChainHash for `count` consecutive heights from `start` (hashes 32 bytes each): one copy per chunk. */
  setHeaderChainRun(start: number, hashes: Uint8Array, count: number): void {
    for (let i = 0; i < count; ) {
      const height = start + i;
      const c = Math.floor(height / HCHAIN_CHUNK);
      const ch = this.chunk(c, true)!;
      const at = height % HCHAIN_CHUNK;
      const k = Math.min(count - i, HCHAIN_CHUNK - at);
      ch.buf.set(hashes.subarray(32 * i, 32 * (i + k)), 32 * at);
      if (at + k > ch.len) ch.len = at + k;
      if (at < ch.from) ch.from = at;
      this.dirty.set(c, ch);
      i += k;
    }
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
    ch = this.loadChunk(c);
    if (!ch && !create) return undefined;
    ch ??= { buf: new Uint8Array(32 * HCHAIN_CHUNK), len: 0, from: HCHAIN_CHUNK, diskLen: 0, diskC: false, runs: [] };
    this.chunks.set(c, ch);
    return ch;
  }

  /** Chunk `c` from disk: its 'C' key, else its 'T' runs, each starting where the previous ends. */
  private loadChunk(c: number): Chunk | undefined {
    const buf = new Uint8Array(32 * HCHAIN_CHUNK);
    const v = this.db.getSync(layout.hchain(c));
    if (v !== undefined) {
      buf.set(v);
      return { buf, len: v.length >>> 5, from: HCHAIN_CHUNK, diskLen: v.length >>> 5, diskC: true, runs: [] };
    }
    const runs: number[] = [];
    let len = 0;
    while (len < HCHAIN_CHUNK) {
      const t = this.db.getSync(layout.htail(c * HCHAIN_CHUNK + len));
      if (t === undefined || t.length === 0 || t.length % 32 !== 0 || len + t.length / 32 > HCHAIN_CHUNK) break;
      buf.set(t, 32 * len);
      runs.push(len);
      len += t.length / 32;
    }
    return len === 0 ? undefined : { buf, len, from: HCHAIN_CHUNK, diskLen: len, diskC: false, runs };
  }

  /**
   * A synchronous read (no thread-pool round trip: serving GETDATA was capped by that latency, one read
   * per block), kept behind a promise so a store without getSync could answer later.
   */
  getBlockBytes(hash: Uint8Array): Promise<Uint8Array | undefined> {
    try {
      return Promise.resolve(this.resolveFlat(this.blk, this.getSyncLanding(layout.block(hash))));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  getUndo(hash: Uint8Array): Uint8Array | undefined {
    return this.resolveFlat(this.rev, this.getSyncLanding(layout.undo(hash)));
  }

  getAccount(address: Uint8Array): Account | undefined {
    const v = this.getSyncLanding(layout.account(address));
    return v === undefined ? undefined : decodeAccount(v);
  }

  putAccount(ops: Op[], address: Uint8Array, a: Account | undefined): void {
    const k = layout.account(address);
    ops.push(a ? { type: 'put', key: k, value: encodeAccount(a) } : { type: 'del', key: k });
  }

  getTxLocation(id: Uint8Array): TxLocation | undefined {
    const v = this.getSyncLanding(layout.tx(id));
    if (v === undefined) return undefined;
    const dv = dataView(v);
    return { blockHash: copyBytes(v, 0, 32), height: dv.getUint32(32, true), index: dv.getUint32(36, true) };
  }

  putTxLocation(ops: Op[], id: Uint8Array, loc: TxLocation): void {
    const v = new Uint8Array(40);
    v.set(loc.blockHash, 0);
    dataView(v).setUint32(32, loc.height, true);
    dataView(v).setUint32(36, loc.index, true);
    ops.push({ type: 'put', key: layout.tx(id), value: v });
  }

  getMeta(name: string): Uint8Array | undefined {
    return this.getSyncLanding(layout.meta(name));
  }

  putMeta(ops: Op[], name: string, value: Uint8Array): void {
    ops.push({ type: 'put', key: layout.meta(name), value });
  }

  /**
   * Side blocks with data below `belowHeight`, oldest first (bounded by `limit`). The caller prunes
   * them, so the next scan starts where this one ended: every connected block leaves a side-key
   * tombstone, and a scan from height 0 would step over all of them (O(chain length) per call).
   */
  async sideBelow(belowHeight: number, limit: number): Promise<SideEntry[]> {
    const out: SideEntry[] = [];
    for await (const k of this.db.keys({ gte: heightKey(P.side, this.sideFloor), lt: heightKey(P.side, belowHeight), limit })) {
      out.push({ key: k, height: dataView(k).getUint32(1, false), hash: copyBytes(k, 5) });
    }
    if (out.length < limit) this.sideFloor = Math.max(this.sideFloor, belowHeight);
    return out;
  }

  /** A side key is put at `height`: later scans must start at or below it. */
  private sideAt(height: number): void {
    if (height < this.sideFloor) this.sideFloor = height;
  }

  // ---- batches (as bcoin's chaindb / btcd's chainio: the chain says what happens, the store which keys change) ----

  /** A new empty batch for `write`. */
  batch(): Batch {
    return [];
  }

  /** The first write of a fresh store: genesis as the connected tip and header tip. */
  initGenesis(g: { hash: Uint8Array; header: Header; headerBytes: Uint8Array; bytes: Uint8Array }): Promise<void> {
    const ops: Batch = [];
    this.putRecord(ops, { hash: g.hash, header: g.header, headerBytes: g.headerBytes, chainWork: workOfBits(g.header.bits), status: HAVE_DATA });
    ops.push({ type: 'put', key: layout.block(g.hash), value: this.appendFlat(this.blk, [g.bytes])[0]! });
    ops.push({ type: 'put', key: layout.main(0), value: this.mainValueOf(g.hash, g.headerBytes) });
    this.mainPut(ops, 0, g.headerBytes);
    this.setHeaderChainHash(0, g.hash);
    this.putMeta(ops, 'format', Uint8Array.of(STORE_FORMAT));
    this.putMeta(ops, 'tip', g.hash);
    this.putMeta(ops, 'htip', g.hash);
    this.putMeta(ops, 'genesis', g.hash);
    return this.write(ops);
  }

  /**
   * Records for `count` checked headers (`run` their bytes, `hashes` their sha256d) on a parent of
   * `parentWork`: one put per header, all views of two buffers, cumulative work without a bigint per
   * header. Returns the batch, the run for `write` and the last record (decoded and cached).
   */
  putHeaders(run: Uint8Array, hashes: Uint8Array, count: number, parentWork: bigint): { batch: Batch; run: RecordRun; last: HeaderRecord } {
    const runView = dataView(run);
    const keys = new Uint8Array(33 * count);
    const vals = new Uint8Array(RECORD_SIZE * count);
    const valsView = dataView(vals);
    // cumulative work as eight u32 words, least significant first (no bigint or byte loop per header)
    const acc = new Uint32Array(8);
    const wk = new Uint32Array(8);
    wordsOfWork(acc, parentWork);
    let bits = -1;
    for (let i = 0; i < count; i++) {
      const b = headerBitsAt(runView, i * HEADER_SIZE);
      if (b !== bits) {
        bits = b;
        wordsOfWork(wk, workOfBits(b));
      }
      let carry = 0;
      for (let j = 0; j < 8; j++) {
        const sum = acc[j]! + wk[j]! + carry;
        acc[j] = sum >>> 0;
        carry = sum > 0xffff_ffff ? 1 : 0;
      }
      const k = 33 * i;
      const v = RECORD_SIZE * i;
      keys[k] = P.header;
      for (let j = 0, h = 32 * i; j < 32; j++) keys[k + 1 + j] = hashes[h + j]!;
      vals.set(run.subarray(i * HEADER_SIZE, (i + 1) * HEADER_SIZE), v);
      for (let j = 0; j < 8; j++) valsView.setUint32(v + HEADER_SIZE + 28 - 4 * j, acc[j]!, false);
      this.statuses.set(hashes, 0, 32 * i);
    }
    this.statusWrites++;
    const lastOff = RECORD_SIZE * (count - 1);
    const last = decodeRecord(hashes.slice(32 * (count - 1), 32 * count), vals.subarray(lastOff, lastOff + RECORD_SIZE));
    this.cacheRecord(last);
    return { batch: [], run: { hashes, vals, count, keys }, last };
  }

  /** A validated block's body stored (off the main chain until connected): record with data, bytes, side index. */
  putBlock(ops: Batch, rec: HeaderRecord, bytes: Uint8Array): void {
    this.putRecord(ops, rec);
    ops.push({ type: 'put', key: layout.block(rec.hash), value: this.appendFlat(this.blk, [bytes])[0]! });
    ops.push({ type: 'put', key: layout.side(rec.header.height, rec.hash), value: EMPTY });
    this.sideAt(rec.header.height);
  }

  /** Connecting `rec` on top of the tip: accounts, undo, main index, tx index and tip. */
  connectBlock(ops: Batch, rec: HeaderRecord, effect: ConnectEffect, txids: readonly Uint8Array[]): void {
    const height = rec.header.height;
    for (const [hex, acc] of effect.writes) this.putAccount(ops, fromHex(hex), acc);
    ops.push({ type: 'put', key: layout.undo(rec.hash), value: this.appendFlat(this.rev, [effect.undo])[0]! });
    ops.push({ type: 'put', key: layout.main(height), value: this.mainValueOf(rec.hash, rec.headerBytes) });
    this.mainPut(ops, height, rec.headerBytes);
    ops.push({ type: 'del', key: layout.side(height, rec.hash) });
    txids.forEach((id, index) => this.putTxLocation(ops, id, { blockHash: rec.hash, height, index }));
    this.putMeta(ops, 'tip', rec.hash);
  }

  /**
   * A run of blocks connected on top of the tip in one batch (the chain validated them in memory, in
   * order): per block its record with data, bytes, undo, main index and tx index; then the accounts as
   * they stand after the last block (each written once) and the tip. No side index: they never were side blocks.
   */
  connectRun(ops: Batch, blocks: readonly { rec: HeaderRecord; bytes: Uint8Array; undo: Uint8Array; txids: readonly Uint8Array[] }[], accounts: ReadonlyMap<string, Account>): void {
    // one writev per file for the whole run, before the batch that references it exists
    const blockVals = this.appendFlat(this.blk, blocks.map((b) => b.bytes));
    const undoVals = this.appendFlat(this.rev, blocks.map((b) => b.undo));
    for (let i = 0; i < blocks.length; i++) {
      const { rec, txids } = blocks[i]!;
      const height = rec.header.height;
      this.putRecord(ops, rec);
      ops.push({ type: 'put', key: layout.block(rec.hash), value: blockVals[i]! });
      ops.push({ type: 'put', key: layout.undo(rec.hash), value: undoVals[i]! });
      ops.push({ type: 'put', key: layout.main(height), value: this.mainValueOf(rec.hash, rec.headerBytes) });
      this.mainPut(ops, height, rec.headerBytes);
      txids.forEach((id, index) => this.putTxLocation(ops, id, { blockHash: rec.hash, height, index }));
    }
    for (const [hex, acc] of accounts) this.putAccount(ops, fromHex(hex), acc);
    this.putMeta(ops, 'tip', blocks[blocks.length - 1]!.rec.hash);
  }

  /** Disconnecting the tip `rec` back to its parent: accounts restored from undo, the block kept as a side block. */
  disconnectBlock(ops: Batch, rec: HeaderRecord, before: Map<string, Account | undefined>, txids: readonly Uint8Array[]): void {
    for (const [hex, acc] of before) this.putAccount(ops, fromHex(hex), acc);
    ops.push({ type: 'del', key: layout.undo(rec.hash) });
    ops.push({ type: 'del', key: layout.main(rec.header.height) });
    this.mainDel(ops, rec.header.height);
    ops.push({ type: 'put', key: layout.side(rec.header.height, rec.hash), value: EMPTY });
    this.sideAt(rec.header.height);
    for (const id of txids) ops.push({ type: 'del', key: layout.tx(id) });
    this.putMeta(ops, 'tip', rec.header.prevHash);
  }

  /** Side blocks lose their bodies (their headers stay, without HAVE_DATA). */
  pruneSide(ops: Batch, old: readonly SideEntry[]): void {
    for (const s of old) {
      ops.push({ type: 'del', key: s.key });
      ops.push({ type: 'del', key: layout.block(s.hash) });
      const r = this.getRecord(s.hash);
      if (r) this.putRecord(ops, { ...r, status: r.status & ~HAVE_DATA });
    }
  }

  /** The best header's hash, for reopening (the index chunks go with the same write). */
  putHeaderTip(ops: Batch, hash: Uint8Array): void {
    this.putMeta(ops, 'htip', hash);
  }

  /** The stored tips on open. */
  tips(): { genesis?: Uint8Array; tip?: Uint8Array; headerTip?: Uint8Array } {
    return { genesis: this.getMeta('genesis'), tip: this.getMeta('tip'), headerTip: this.getMeta('htip') };
  }
}
