// The chain: header-first index, full validation, fork choice by most work with reorg, crash-safe store.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DIFFICULTY_INTERVAL, HEADER_SIZE, type NetworkProfile } from '../constants.js';
import type { Core } from '../core/types.js';
import { BloomError, InputError, ValidationError } from '../errors.js';
import { silentLogger, type Logger } from '../log.js';
import { decodeBlock, decodeBlockParts, type BlockParts } from './block.js';
import { concatBytes, contiguousView, copyBytes, dataView, equalBytes, fromHex, toHex } from '../bytes.js';
import { isRetargetHeight, maxTarget, nextBits } from './consensus.js';
import { genesisBlock } from './genesis.js';
import { bitsToTarget, decodeHeader, encodeHeader, hashMeetsTarget, HEADER_OFFSET, headerPrevAt, headerTimeAt, workOfBits } from './header.js';

const HEADER_PREV_OFFSET = HEADER_OFFSET.prevHash;
import { applyBlock, decodeUndo, type AccountReader } from './ledger.js';
import { ReceivedBlock } from './received.js';
import { HAVE_DATA, INVALID, Store, type Batch, type ChainDb, type HeaderRecord, type PeerStore, type RecordRun, type TxLocation } from './store.js';
import { decodeTx, txid as txidOf } from './tx.js';
import type {
  Account,
  AddBlockResult,
  AddHeadersResult,
  Block,
  ChainApi,
  Header,
  Tip,
  TipChange,
  Tx,
} from './types.js';
import type { TxSignatureChecker } from './sigcheck.js';
import { checkBlockBody, checkBlockBodyWith, checkHeader, checkHeaderRun } from './validate.js';

export interface ChainOptions {
  /** The store lives in <dataDir>/chain unless `db` is given. */
  dataDir: string;
  /** An injected abstract-level db ('view' encodings, e.g. memory-level) used instead of one under dataDir. */
  db?: ChainDb;
  profile: NetworkProfile;
  core: Core;
  logger?: Logger;
  /** Clock for the 2-minute future rule (ms). */
  now?: () => number;
  /** Blocks whose parent is unknown, held at most (oldest dropped first). */
  orphanLimit?: number;
  /** Header records kept in the LRU cache. */
  cacheSize?: number;
  /** Bytes per block / undo flat file (default 128 MiB; tests make it small to cross files). */
  flatFileMax?: number;
  /** Side-branch blocks more than this many blocks below the tip lose their bodies. */
  sideKeep?: number;
  /** Verifies a block's tx signatures (e.g. a SigChecker over worker threads); default: inline, one by one. */
  sigChecker?: TxSignatureChecker;
}

export interface TxLookup extends TxLocation {
  tx: Tx;
  bytes: Uint8Array;
}

const HEADER_CHUNK = 1000;
const ACTIVATE_STEPS = 100_000;
const MISSING_SCAN = 10_000;
const MAX_RANGE = 2000;
const MAX_ORPHAN_BYTES = 16 << 20;
/** Blocks and bytes connected in one batch at most (addBlocks): bounds the batch held in memory until it lands. */
const MAX_RUN_BLOCKS = 1000;
const MAX_RUN_BYTES = 8 << 20;
/** Ops gathered for the store's next batch (group commit) before a header or connect commit waits for the disk. */
const MAX_QUEUED_BYTES = 8 << 20;

/** The parent hash field of the header at buf[off…] equals hash[hOff…+32]. */
function prevIs(buf: Uint8Array, off: number, hash: Uint8Array, hOff: number): boolean {
  const p = off + HEADER_PREV_OFFSET;
  for (let k = 0; k < 32; k++) if (buf[p + k] !== hash[hOff + k]) return false;
  return true;
}

const toTip = (r: HeaderRecord): Tip => ({ hash: r.hash, height: r.header.height, chainWork: r.chainWork, header: r.header });

export class Chain implements ChainApi {
  private tipRec!: HeaderRecord;
  private headerTipRec!: HeaderRecord;
  private readonly listeners: ((c: TipChange) => void)[] = [];
  private readonly orphans = new Map<string, { block: ReceivedBlock; prev: string }>();
  private orphanBytes = 0;
  private queue: Promise<unknown> = Promise.resolve();
  /** The error of a failed write: the chain writes nothing after it. */
  private writeError: unknown;
  private closed = false;
  private readonly now: () => number;
  private readonly log: Logger;
  private readonly orphanLimit: number;
  private readonly sideKeep: number;
  private readonly sigChecker: TxSignatureChecker | undefined;
  /**
   * The store holds no side block (checked once, at the first pruning; kept false by every side key put
   * here: putBlock, disconnectBlock): pruning then reads nothing instead of an iterator per 100 blocks.
   */
  private sideEmpty: boolean | undefined;

  private constructor(
    readonly profile: NetworkProfile,
    readonly core: Core,
    readonly store: Store,
    readonly genesisHash: Uint8Array,
    opts: ChainOptions,
  ) {
    this.now = opts.now ?? Date.now;
    this.log = opts.logger ?? silentLogger;
    this.orphanLimit = opts.orphanLimit ?? 128;
    this.sideKeep = opts.sideKeep ?? 1000;
    this.sigChecker = opts.sigChecker;
  }

  static async open(opts: ChainOptions): Promise<Chain> {
    const dir = join(opts.dataDir, 'chain');
    if (!opts.db) mkdirSync(dir, { recursive: true });
    const store = await Store.open(dir, opts.cacheSize, opts.db, opts.flatFileMax);
    const g = genesisBlock(opts.core, opts.profile);
    try {
      const known = store.tips().genesis;
      if (known && !equalBytes(known, g.hash)) {
        throw new InputError('wrong-network', `data dir holds another network's chain (genesis ${toHex(known)})`);
      }
      if (!known) {
        await store.initGenesis(g);
      } else {
        await store.migrate();
      }
    } catch (e) {
      await store.close();
      throw e;
    }
    const chain = new Chain(opts.profile, opts.core, store, g.hash, opts);
    const tips = store.tips();
    chain.tipRec = chain.mustRecord(tips.tip!);
    chain.headerTipRec = chain.mustRecord(tips.headerTip!);
    // A crash between batches may leave the best header chain ahead of the tip: resume connecting.
    await chain.serial(() => chain.activate());
    chain.log.info({ height: chain.tipRec.header.height, headers: chain.headerTipRec.header.height }, 'chain opened');
    return chain;
  }

  // ---------------------------------------------------------------- reads

  tip(): Tip {
    return toTip(this.tipRec);
  }

  headerTip(): Tip {
    return toTip(this.headerTipRec);
  }

  /** The address book's storage. */
  get peers(): PeerStore {
    return this.store.peers;
  }

  async getHeadersRange(start: number, count: number): Promise<Uint8Array[]> {
    const from = Math.max(0, start);
    const end = Math.min(start + Math.min(count, MAX_RANGE), this.tipRec.header.height + 1);
    return this.store.mainHeaders(from, Math.max(0, end - from));
  }

  async getHeaderByHeight(height: number): Promise<Header | undefined> {
    const hash = this.store.mainHash(height);
    return hash && this.store.getRecord(hash)?.header;
  }

  /** Main-chain block hash at a height. */
  async getHashByHeight(height: number): Promise<Uint8Array | undefined> {
    return this.store.mainHash(height);
  }

  async getHeader(hash: Uint8Array): Promise<Header | undefined> {
    return this.store.getRecord(hash)?.header;
  }

  /**
   * One read of the block's key: a block's bytes are stored and deleted in the same batch as its
   * record's HAVE_DATA flag (putBlock, connectRun, pruneSide), so the key exists exactly when the flag
   * is set. Serving GETDATA read and decoded the record first: a second random read per block served.
   */
  async getBlockBytes(hash: Uint8Array): Promise<Uint8Array | undefined> {
    return this.store.getBlockBytes(hash);
  }

  async getBlock(hash: Uint8Array): Promise<Block | undefined> {
    const b = await this.getBlockBytes(hash);
    return b && decodeBlock(b);
  }

  async hasBlock(hash: Uint8Array): Promise<boolean> {
    const r = this.store.getRecord(hash);
    return r !== undefined && (r.status & HAVE_DATA) !== 0;
  }

  /** True when the block is on the connected (best) chain. */
  isMain(hash: Uint8Array, height: number): boolean {
    const h = this.store.mainHash(height);
    return h !== undefined && equalBytes(h, hash);
  }

  async getAccount(address: Uint8Array): Promise<Account> {
    return this.store.getAccount(address) ?? { balance: 0n, nonce: 0n };
  }

  /** Synchronous account read for the mempool's hot path. */
  accountSync(address: Uint8Array): Account {
    return this.store.getAccount(address) ?? { balance: 0n, nonce: 0n };
  }

  /** A transaction on the main chain, by txid. */
  async getTx(id: Uint8Array): Promise<TxLookup | undefined> {
    const loc = this.store.getTxLocation(id);
    if (!loc) return undefined;
    const b = await this.store.getBlockBytes(loc.blockHash);
    if (!b) return undefined;
    const bytes = new Uint8Array(decodeBlockParts(b).txBytes[loc.index]!);
    return { ...loc, tx: decodeTx(bytes), bytes };
  }

  get orphanCount(): number {
    return this.orphans.size;
  }

  onTip(cb: (change: TipChange) => void): void {
    this.listeners.push(cb);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.catch(() => undefined);
    await this.store.idle();
    await this.store.close();
  }

  // ---------------------------------------------------------------- headers

  addHeaders(headers: Uint8Array[]): Promise<AddHeadersResult> {
    return this.serial(async () => {
      let added = 0;
      for (let i = 0; i < headers.length; i += HEADER_CHUNK) {
        const r = await this.addHeaderChunk(headers.slice(i, i + HEADER_CHUNK), i, i === 0 ? undefined : headers[i - 1]);
        added += r.added;
        if (r.code) return { added, code: r.code, reason: r.reason };
      }
      return { added };
    });
  }

  /**
   * One chunk of linked headers: hashed in one batch call, checked straight from the bytes, and stored
   * in one write batch (one record put per new header, the best-header index by the chunk of heights,
   * the header tip). Only the last new record is decoded and cached; nothing is read back.
   */
  private async addHeaderChunk(headers: Uint8Array[], base: number, before: Uint8Array | undefined): Promise<AddHeadersResult> {
    for (const h of headers) {
      if (h.length !== HEADER_SIZE) return { added: 0, code: 'bad-size', reason: `header of ${h.length} bytes` };
    }
    const n = headers.length;
    const buf = contiguousView(headers) ?? concatBytes(headers);
    const hashes = this.core.sha256dBatch(buf, HEADER_SIZE);
    // consecutive headers must link to each other: the chunk is cut at the first that does not
    let linked = n;
    let fail: { code: string; reason: string } | undefined;
    const prev0 = before && this.core.sha256d(before);
    for (let i = 0; i < n; i++) {
      // compared in place: two views per header were garbage on the header-sync hot path
      const links = i === 0 ? !prev0 || prevIs(buf, 0, prev0, 0) : prevIs(buf, i * HEADER_SIZE, hashes, 32 * (i - 1));
      if (!links) {
        linked = i;
        fail = { code: 'bad-prev', reason: `header ${base + i} does not link to header ${base + i - 1}` };
        break;
      }
    }
    // Once one header of a linked run is new, every later one is too (a record needs its parent's),
    // so existence lookups stop there: one miss per batch instead of one per header.
    let s = 0;
    let parent: HeaderRecord | undefined;
    for (; s < linked; s++) {
      const existing = this.store.getRecord(hashes.slice(32 * s, 32 * s + 32));
      if (!existing) break;
      if (existing.status & INVALID) return { added: 0, code: 'known-invalid', reason: `header ${toHex(existing.hash)} is known invalid` };
      parent = existing;
    }
    if (s === linked) return fail ? { added: 0, ...fail } : { added: 0 };
    const first = s * HEADER_SIZE;
    parent ??= this.store.getRecord(headerPrevAt(buf, first).slice());
    if (!parent) return { added: 0, code: s === 0 ? 'unknown-parent' : 'bad-prev', reason: `parent ${toHex(headerPrevAt(buf, first))} unknown` };
    if (parent.status & INVALID) return { added: 0, code: 'bad-prev', reason: 'parent is invalid' };

    const run = buf.subarray(first, linked * HEADER_SIZE);
    const runHashes = hashes.subarray(32 * s, 32 * linked);
    const start = parent.header.height + 1;
    const base0 = parent;
    const runView = dataView(run);
    const timeAt = (i: number): number => headerTimeAt(runView, i * HEADER_SIZE);
    const check = checkHeaderRun(run, runHashes, linked - s, { ...parent.header, hash: parent.hash }, this.now(), (_i, height, pBits, pTime) => {
      const from = height - DIFFICULTY_INTERVAL;
      const fromTime = from >= start ? timeAt(from - start) : this.ancestor(base0, from).header.timestamp;
      return nextBits(this.profile, height, pBits, pTime, fromTime);
    });
    if (check.error) fail = { code: check.error.code, reason: check.error.message };
    const added = check.passed;
    if (added === 0) return { added: 0, ...fail! };

    const { batch: ops, run: records, last } = this.store.putHeaders(run, runHashes, added, parent.chainWork);
    // cumulative work only grows along a run: its last header is its best
    const moved = last.chainWork > this.headerTipRec.chainWork;
    if (moved) this.setHeaderTip(ops, last, { start, hashes: runHashes, count: added, parent });
    await this.commit(ops, records);
    if (moved) await this.activate();
    return fail ? { added, ...fail } : { added };
  }

  /** Bits required of a child of `parent`; looks back one interval only at retarget heights. */
  private expectedBits(parent: HeaderRecord): number {
    const height = parent.header.height + 1;
    if (!isRetargetHeight(height)) return parent.header.bits;
    const start = this.ancestor(parent, height - DIFFICULTY_INTERVAL);
    return nextBits(this.profile, height, parent.header.bits, parent.header.timestamp, start.header.timestamp);
  }

  /** The ancestor of `rec` at `height`: through an index when rec is on it, else by walking back. */
  private ancestor(rec: HeaderRecord, height: number): HeaderRecord {
    const onH = this.store.headerChainHash(rec.header.height);
    if (onH && equalBytes(onH, rec.hash)) {
      const h = this.store.headerChainHash(height);
      if (h) return this.mustRecord(h);
    }
    const onMain = this.store.mainHash(rec.header.height);
    if (onMain && equalBytes(onMain, rec.hash)) {
      const h = this.store.mainHash(height);
      if (h) return this.mustRecord(h);
    }
    let r = rec;
    while (r.header.height > height) r = this.mustRecord(r.header.prevHash);
    return r;
  }

  /**
   * Points the best-header index at `rec`: rewrites it from rec back to the fork, drops heights above.
   * `run`: rec is the last of `count` new headers from height `start` (hashes in `hashes`) on `parent`,
   * not yet written, so they are indexed from there instead of read back.
   */
  private setHeaderTip(ops: Batch, rec: HeaderRecord, run?: { start: number; hashes: Uint8Array; count: number; parent: HeaderRecord }): void {
    const old = this.headerTipRec;
    let r = rec;
    if (run) {
      this.store.setHeaderChainRun(run.start, run.hashes, run.count);
      r = run.parent;
    }
    for (;;) {
      if (equalBytes(r.hash, old.hash)) break; // the old header tip is on the index
      // the index holds nothing above the old header tip, so only look it up below
      const at = r.header.height <= old.header.height ? this.store.headerChainHash(r.header.height) : undefined;
      if (at && equalBytes(at, r.hash)) break;
      this.store.setHeaderChainHash(r.header.height, r.hash);
      r = this.mustRecord(r.header.prevHash);
    }
    this.store.truncateHeaderChain(rec.header.height, old.header.height);
    this.store.putHeaderTip(ops, rec.hash);
    this.headerTipRec = rec;
  }

  // ---------------------------------------------------------------- blocks

  /**
   * Raw bytes (copied: the caller keeps them) or a ReceivedBlock (its cached hash and parts are used
   * and its bytes stored as they are: the caller hands them over).
   */
  addBlock(block: Uint8Array | ReceivedBlock): Promise<AddBlockResult> {
    const received = block instanceof ReceivedBlock ? block : new ReceivedBlock(copyBytes(block));
    return this.serial(async () => {
      const res = await this.addBlockInner(received);
      if (res.status !== 'invalid' && res.status !== 'orphan' && res.status !== 'duplicate') await this.connectOrphans(res.hash);
      return res;
    });
  }

  /**
   * Blocks in order, as addBlock would take them one by one, with the same results: each run of
   * consecutive blocks that extend the tip along the best header chain is validated in memory (body,
   * then ledger over the run's own account writes) and connected in ONE atomic batch, written behind:
   * the call returns once the batch is handed to LevelDB, so the next call validates while it is
   * written (reads see it meanwhile; batches land in order; a failed write stops the chain). Any other
   * block (unknown header, side, orphan, a failure) goes through addBlock's path: a bad block in the
   * middle of a run leaves the good prefix connected and gets exactly addBlock's verdict.
   */
  addBlocks(blocks: readonly (Uint8Array | ReceivedBlock)[]): Promise<AddBlockResult[]> {
    const received = blocks.map((b) => (b instanceof ReceivedBlock ? b : new ReceivedBlock(copyBytes(b))));
    return this.serial(async () => {
      const out: AddBlockResult[] = [];
      for (let i = 0; i < received.length; ) {
        const n = await this.connectRun(received, i, out);
        if (n > 0) {
          i += n;
          continue;
        }
        const res = await this.addBlockInner(received[i]!);
        if (res.status !== 'invalid' && res.status !== 'orphan' && res.status !== 'duplicate') await this.connectOrphans(res.hash);
        out.push(res);
        i++;
      }
      return out;
    });
  }

  /**
   * The fast path of addBlocks: from `from`, the longest run of blocks each extending the previous (the
   * first the tip) on the best header chain, with known valid headers and valid bodies and ledger, is
   * connected in one batch. Stops before the first block that does not qualify (it then goes through
   * addBlockInner, which checks it again and gives today's verdict). Returns how many it connected.
   */
  private async connectRun(blocks: readonly ReceivedBlock[], from: number, out: AddBlockResult[]): Promise<number> {
    // the candidates: consecutive blocks on the best header chain, extending the tip (checked from
    // their own headers and the in-memory index), then their records in one batched read
    const found: { hash: Uint8Array; b: ReceivedBlock; parts: BlockParts }[] = [];
    let prev = this.tipRec.hash;
    let bytes = 0;
    for (let k = from; k < blocks.length && found.length < MAX_RUN_BLOCKS && bytes < MAX_RUN_BYTES; k++) {
      const b = blocks[k]!;
      if (b.bytes.length < HEADER_SIZE) break;
      const hash = b.hash(this.core);
      let parts: BlockParts;
      try {
        parts = b.parts();
      } catch (e) {
        if (e instanceof BloomError) break; // addBlockInner decodes it again and rules as addBlock does
        throw e;
      }
      const h = parts.block.header;
      if (!equalBytes(h.prevHash, prev)) break;
      const onBest = this.store.headerChainHash(h.height);
      if (!onBest || !equalBytes(onBest, hash)) break;
      found.push({ hash, b, parts });
      prev = hash;
      bytes += b.bytes.length;
    }
    if (found.length === 0) return 0;
    const statuses = await this.store.getStatuses(found.map((f) => f.hash));
    // records built from the blocks' own headers (the stored record holds the same bytes; its work is the parent's plus the block's)
    const cand: { rec: HeaderRecord; b: ReceivedBlock; parts: BlockParts }[] = [];
    let work = this.tipRec.chainWork;
    for (let i = 0; i < found.length; i++) {
      const status = statuses[i]!;
      // no record, known invalid or already stored: addBlockInner rules on it
      if (status < 0 || status & (INVALID | HAVE_DATA)) break;
      const { hash, b, parts } = found[i]!;
      const header = parts.block.header;
      work += workOfBits(header.bits);
      cand.push({ rec: { hash, header, headerBytes: copyBytes(parts.headerBytes), chainWork: work, status }, b, parts });
    }
    if (cand.length === 0) return 0;
    // every signature of the run in one call over the checker's workers (Core's CCheckQueue per block;
    // per run here, so a run of small blocks still fills the pool), flags handed to checkBlockBody
    let sigs: readonly boolean[] | undefined;
    if (this.sigChecker) {
      const txs: Uint8Array[] = [];
      for (const c of cand) for (const t of c.parts.txBytes) txs.push(t);
      sigs = txs.length > 0 ? await this.sigChecker.verifyTxSignatures(txs, this.profile.magic) : [];
    }
    const run: { rec: HeaderRecord; bytes: Uint8Array; undo: Uint8Array; txids: Uint8Array[]; block: Block }[] = [];
    const accounts = new Map<string, Account>();
    const read: AccountReader = (hex) => accounts.get(hex) ?? this.accounts(hex);
    let tip = this.tipRec;
    let at = 0;
    for (const { rec, b, parts } of cand) {
      const n = parts.txBytes.length;
      try {
        const txids = checkBlockBody(this.core, parts, this.profile.magic, sigs?.slice(at, at + n));
        const effect = applyBlock(read, parts.block);
        for (const [hex, acc] of effect.writes) accounts.set(hex, acc);
        rec.status |= HAVE_DATA; // rec was built here for this run: no copy per block
        tip = rec;
        run.push({ rec: tip, bytes: b.bytes, undo: effect.undo, txids, block: parts.block });
      } catch (e) {
        if (e instanceof BloomError) break; // addBlockInner checks it again and rules as addBlock does
        throw e;
      }
      at += n;
    }
    if (run.length === 0) return 0;
    const ops = this.store.batch();
    this.store.connectRun(ops, run, accounts);
    await this.commitBehind(ops);
    const first = this.tipRec.header.height + 1;
    this.tipRec = tip;
    for (const r of run) out.push({ status: 'connected', hash: r.rec.hash, height: r.rec.header.height });
    this.notify({ tip: this.tip(), connected: run.map((r) => r.block), disconnected: [] });
    const top = tip.header.height;
    if (Math.floor(top / 100) > Math.floor((first - 1) / 100)) await this.pruneSide(top - (top % 100));
    if (this.orphans.size > 0) for (const r of run) await this.connectOrphans(r.rec.hash);
    // blocks above the run that arrived earlier (stored as side, waiting for it) connect now, as addBlock's activate would
    const next = this.store.headerChainHash(top + 1);
    // its status from the store's status cache: no synchronous record read per run
    const st = next ? this.store.statusOf(next) : -1;
    if (st >= 0 && st & HAVE_DATA && !(st & INVALID)) await this.activate();
    return run.length;
  }

  private async addBlockInner(block: ReceivedBlock): Promise<AddBlockResult> {
    const bytes = block.bytes;
    let hash: Uint8Array = new Uint8Array(32);
    let height = 0;
    try {
      if (bytes.length >= HEADER_SIZE) {
        hash = block.hash(this.core);
        height = decodeHeader(bytes.subarray(0, HEADER_SIZE)).height;
      }
      const parts = block.parts();
      const h = parts.block.header;
      let rec = this.store.getRecord(hash);
      if (rec && rec.status & INVALID) return { status: 'invalid', hash, height, code: 'known-invalid', reason: 'block is known invalid' };
      if (rec && rec.status & HAVE_DATA) return { status: 'duplicate', hash, height };
      const parent = this.store.getRecord(h.prevHash);
      if (!parent) {
        // an orphan's bits cannot be checked yet, but its hash must meet them and they may be no easier
        // than the network's easiest target: junk orphans cost a sender points instead of nothing
        const target = bitsToTarget(h.bits);
        if (target === undefined || target > maxTarget(this.profile)) throw new ValidationError('bad-bits', 'orphan claims an impossible target');
        if (!hashMeetsTarget(hash, target)) throw new ValidationError('high-hash', 'orphan hash above its own target');
        this.addOrphan(hash, block, h.prevHash);
        return { status: 'orphan', hash, height };
      }
      if (parent.status & INVALID) {
        throw new ValidationError('bad-prev', 'parent is invalid');
      }
      const ops = this.store.batch();
      if (!rec) {
        checkHeader(h, hash, { hash: parent.hash, height: parent.header.height, timestamp: parent.header.timestamp }, this.expectedBits(parent), this.now());
        rec = { hash, header: h, headerBytes: copyBytes(parts.headerBytes), chainWork: parent.chainWork + workOfBits(h.bits), status: 0 };
      }
      try {
        if (this.sigChecker) await checkBlockBodyWith(this.core, parts, this.profile.magic, this.sigChecker);
        else checkBlockBody(this.core, parts, this.profile.magic);
      } catch (e) {
        // a mutable body error (the registry's verdict) leaves the header valid: another body may fit it
        if (e instanceof ValidationError && !e.verdict?.mutable) {
          this.store.putRecord(ops, { ...rec, status: rec.status | INVALID });
          await this.commit(ops);
        }
        throw e;
      }
      rec = { ...rec, status: rec.status | HAVE_DATA };
      this.store.putBlock(ops, rec, bytes);
      this.sideEmpty = false;
      if (rec.chainWork > this.headerTipRec.chainWork) this.setHeaderTip(ops, rec);
      await this.commit(ops);
      const { disconnected, failed } = await this.activate(rec);
      const fail = failed.get(toHex(hash));
      if (fail) return { status: 'invalid', hash, height, code: fail.code, reason: fail.message };
      if (this.mustRecord(hash).status & INVALID) return { status: 'invalid', hash, height, code: 'bad-prev', reason: 'an ancestor failed to connect' };
      if (this.isMain(hash, h.height)) return { status: disconnected > 0 ? 'reorg' : 'connected', hash, height };
      return { status: 'side', hash, height };
    } catch (e) {
      if (!(e instanceof BloomError)) throw e;
      return { status: 'invalid', hash, height, code: e.code, reason: e.message };
    }
  }

  private addOrphan(hash: Uint8Array, block: ReceivedBlock, prev: Uint8Array): void {
    const k = toHex(hash);
    if (this.orphans.has(k)) return;
    const size = block.bytes.length;
    while (this.orphans.size > 0 && (this.orphans.size >= this.orphanLimit || this.orphanBytes + size > MAX_ORPHAN_BYTES)) {
      this.dropOrphan(this.orphans.keys().next().value as string);
    }
    this.orphans.set(k, { block, prev: toHex(prev) });
    this.orphanBytes += size;
  }

  private dropOrphan(k: string): void {
    const o = this.orphans.get(k);
    if (!o) return;
    this.orphans.delete(k);
    this.orphanBytes -= o.block.bytes.length;
  }

  /** Feeds held orphans whose parent just arrived (breadth-first, bounded by the pool size). */
  private async connectOrphans(parent: Uint8Array): Promise<void> {
    const todo = [toHex(parent)];
    for (let steps = 0; todo.length > 0 && steps < this.orphanLimit; steps++) {
      const p = todo.shift()!;
      for (const [k, o] of [...this.orphans]) {
        if (o.prev !== p) continue;
        this.dropOrphan(k);
        const r = await this.addBlockInner(o.block);
        if (r.status !== 'invalid') todo.push(k);
      }
    }
  }

  /**
   * Moves the tip toward the best header chain as far as stored blocks allow: plain extension, or a
   * reorg (disconnect to the fork, connect the branch) once the branch with data has more work.
   */
  private async activate(arrived?: HeaderRecord): Promise<{ disconnected: number; failed: Map<string, ValidationError> }> {
    const connected: Block[] = [];
    const disconnected: Block[] = [];
    const failed = new Map<string, ValidationError>();
    for (let step = 0; step < ACTIVATE_STEPS; step++) {
      const target = this.headerTipRec;
      if (equalBytes(target.hash, this.tipRec.hash)) break;
      let f = Math.min(this.tipRec.header.height, target.header.height);
      while (f > 0 && !equalBytes(this.store.mainHash(f)!, this.store.headerChainHash(f)!)) f--;
      const branch: HeaderRecord[] = [];
      for (let h = f + 1; h <= target.header.height && branch.length < 1000; h++) {
        const r = this.mustRecord(this.store.headerChainHash(h)!);
        if (!(r.status & HAVE_DATA)) break;
        branch.push(r);
        if (f === this.tipRec.header.height) break; // plain extension: one block per step
      }
      // Like Core's candidate set: a block with data that extends the validated tip connects even while a heavier
      // header chain waits for blocks a peer may withhold (issue 19.7); the heavier chain still wins once it has data.
      if (branch.length === 0 && arrived && equalBytes(arrived.header.prevHash, this.tipRec.hash) && arrived.chainWork > this.tipRec.chainWork) {
        f = this.tipRec.header.height;
        branch.push(this.mustRecord(arrived.hash));
      }
      if (branch.length === 0) break;
      if (f < this.tipRec.header.height && branch[branch.length - 1]!.chainWork <= this.tipRec.chainWork) break;
      const undone: Block[] = [];
      while (this.tipRec.header.height > f) undone.push(await this.disconnectTip());
      let i = 0;
      try {
        for (; i < branch.length; i++) connected.push(await this.connect(branch[i]!));
        disconnected.push(...undone);
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        const bad = branch[i]!;
        failed.set(toHex(bad.hash), e);
        this.log.warn({ height: bad.header.height, hash: toHex(bad.hash), code: e.code }, 'block failed to connect');
        // back out what this attempt connected, restore the old branch
        for (let j = 0; j < i; j++) connected.pop();
        while (this.tipRec.header.height > f) await this.disconnectTip();
        for (let j = undone.length - 1; j >= 0; j--) {
          const r = this.mustRecord(this.hashOf(undone[j]!));
          await this.connect(r);
        }
        await this.markInvalid(bad);
      }
    }
    if (connected.length || disconnected.length) this.notify({ tip: this.tip(), connected, disconnected });
    return { disconnected: disconnected.length, failed };
  }

  private notify(change: TipChange): void {
    for (const cb of this.listeners) {
      try {
        cb(change);
      } catch (err) {
        this.log.error({ err }, 'onTip listener threw');
      }
    }
  }

  private hashOf(b: Block): Uint8Array {
    return this.core.sha256d(encodeHeader(b.header));
  }

  /** Marks a block and every header above it on the best-header chain invalid; header tip falls back to the tip. */
  private async markInvalid(bad: HeaderRecord): Promise<void> {
    const ops = this.store.batch();
    const top = this.headerTipRec.header.height;
    this.store.putRecord(ops, { ...bad, status: bad.status | INVALID });
    for (let h = bad.header.height + 1; h <= top; h++) {
      const hh = this.store.headerChainHash(h);
      const r = hh && this.store.getRecord(hh);
      if (r) this.store.putRecord(ops, { ...r, status: r.status | INVALID });
    }
    this.setHeaderTip(ops, this.tipRec);
    await this.commit(ops);
  }

  /** Applies one block on top of the tip: ledger, undo, indexes and tip in one batch. */
  private async connect(rec: HeaderRecord): Promise<Block> {
    if (!equalBytes(rec.header.prevHash, this.tipRec.hash)) throw new Error('connect: block does not extend the tip');
    const bytes = await this.store.getBlockBytes(rec.hash);
    if (!bytes) throw new Error(`connect: block ${toHex(rec.hash)} has no data`);
    const parts = decodeBlockParts(bytes);
    const block = parts.block;
    const effect = applyBlock(this.accounts, block);
    const ops = this.store.batch();
    const height = rec.header.height;
    this.store.connectBlock(ops, rec, effect, parts.txBytes.map((t) => txidOf(this.core, t)));
    await this.commit(ops);
    this.tipRec = rec;
    if (height % 100 === 0) await this.pruneSide(height);
    return block;
  }

  /** Reverts the tip block from its undo data, in one batch; the block stays stored as a side block. */
  private async disconnectTip(): Promise<Block> {
    const rec = this.tipRec;
    if (rec.header.height === 0) throw new Error('cannot disconnect genesis');
    const bytes = await this.store.getBlockBytes(rec.hash);
    const undo = this.store.getUndo(rec.hash);
    if (!bytes || !undo) throw new Error(`disconnect: block ${toHex(rec.hash)} lacks data or undo`);
    const parts = decodeBlockParts(bytes);
    const ops = this.store.batch();
    this.store.disconnectBlock(ops, rec, decodeUndo(undo), parts.txBytes.map((t) => txidOf(this.core, t)));
    this.sideEmpty = false;
    const parent = this.mustRecord(rec.header.prevHash);
    await this.commit(ops);
    this.tipRec = parent;
    return parts.block;
  }

  /** Side branches that fell more than sideKeep blocks behind lose their bodies (headers stay). */
  private async pruneSide(height: number): Promise<void> {
    if (height <= this.sideKeep) return;
    this.sideEmpty ??= (await this.store.sideBelow(0xffff_ffff, 1)).length === 0;
    if (this.sideEmpty) return;
    const old = await this.store.sideBelow(height - this.sideKeep, 500);
    if (old.length === 0) return;
    const ops = this.store.batch();
    this.store.pruneSide(ops, old);
    await this.commit(ops);
  }

  /**
   * Hashes on the best-header chain above the fork with the tip that have no block yet, lowest first;
   * from `fromHeight` up when given (a caller that already holds the lower ones scans only what is new).
   */
  async missingBlocks(max: number, fromHeight = 0): Promise<{ height: number; hash: Uint8Array }[]> {
    const out: { height: number; hash: Uint8Array }[] = [];
    const top = this.headerTipRec.header.height;
    let f = Math.min(this.tipRec.header.height, top);
    while (f > 0 && !equalBytes(this.store.mainHash(f)!, this.store.headerChainHash(f)!)) f--;
    const first = Math.max(f + 1, fromHeight);
    // statuses read in batches (one getMany each, off the main thread), not a record getSync per height
    for (let h = first; h <= top && out.length < max && h < first + MISSING_SCAN; ) {
      const hashes: Uint8Array[] = [];
      const end = Math.min(top + 1, first + MISSING_SCAN, h + Math.max(64, max - out.length));
      for (; h < end; h++) {
        const hash = this.store.headerChainHash(h);
        if (!hash) break;
        hashes.push(hash);
      }
      if (hashes.length === 0) break;
      const statuses = await this.store.getStatuses(hashes);
      const base = h - hashes.length;
      for (let i = 0; i < hashes.length && out.length < max; i++) {
        const st = statuses[i]!;
        if (st >= 0 && !(st & HAVE_DATA)) out.push({ height: base + i, hash: hashes[i]! });
      }
      if (h < end) break; // the index ended
    }
    return out;
  }

  // ---------------------------------------------------------------- mining (src/miner/template.ts builds on these)

  /** Ledger reads of the connected tip (what applyBlock takes). */
  readonly accounts: AccountReader = (hex) => this.store.getAccount(fromHex(hex));

  /**
   * Runs `fn` with the tip record and the bits its child needs, between chain mutations (so the tip
   * cannot move under a template being built).
   */
  atTip<T>(fn: (tip: Tip, childBits: number, now: number) => T | Promise<T>): Promise<T> {
    return this.serial(async () => fn(this.tip(), this.expectedBits(this.tipRec), this.now()));
  }

  // ---------------------------------------------------------------- plumbing

  private mustRecord(hash: Uint8Array): HeaderRecord {
    const r = this.store.getRecord(hash);
    if (!r) throw new Error(`header record ${toHex(hash)} missing from the store`);
    return r;
  }

  /**
   * Writes ops as one atomic batch, or as part of one: the store writes one batch at a time and
   * gathers what is committed meanwhile into the next (group commit), in order. With `run` (a header
   * batch) it returns once the ops are queued, so the next headers are checked while earlier ones are
   * written; its records are served from memory until they land. Without, it returns once they have
   * landed. A failed write stops all later ones.
   */
  private async commit(ops: Batch, run?: RecordRun): Promise<void> {
    if (ops.length === 0 && !run) return;
    if (this.writeError) throw this.writeError;
    const w = this.store.write(ops, run).catch((e: unknown) => {
      this.failedWrite(e);
      throw e;
    });
    if (!run) return w;
    w.catch((err: unknown) => this.log.error({ err }, 'header batch failed to write; the chain stops writing'));
    await this.backpressure();
  }

  /**
   * A connect batch written behind: returns once it is queued; until it lands the store answers reads
   * of its keys from memory. A failed write stops all later ones.
   */
  private async commitBehind(ops: Batch): Promise<void> {
    if (this.writeError) throw this.writeError;
    this.store.writeBehind(ops).catch((err: unknown) => {
      this.failedWrite(err);
      this.log.error({ err }, 'block batch failed to write; the chain stops writing');
    });
    await this.backpressure();
  }

  private failedWrite(e: unknown): void {
    this.store.forgetCache();
    this.writeError ??= e;
  }

  /**
   * Bounds what waits in memory for the disk: past MAX_QUEUED_BYTES gathered, wait for the batch in
   * flight to land (the gathered ops then go out), so at most one batch is in flight and about one queued.
   */
  private async backpressure(): Promise<void> {
    if (this.store.queuedBytes >= MAX_QUEUED_BYTES) await this.store.inFlight();
    if (this.writeError) throw this.writeError;
  }

  /** Runs chain mutations one at a time (single writer). */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new InputError('closed', 'chain is closed'));
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
