// Slab storage for the mempool: fixed-size slots in typed-array columns instead of ~8 objects per tx.
import { TX_SIZE } from '../constants.js';
import { grown } from '../columns.js';


/**
 * Bytes a Map<string, number> entry keyed by a one-byte string of `keyLen` chars costs V8 at worst load
 * (string header 16 + chars rounded to 8; entry of 3 words + bucket word, table at half load).
 */
const mapEntryBytes = (keyLen: number): number => 16 + Math.ceil(keyLen / 8) * 8 + 2 * (3 * 8 + 8);

/**
 * Accounted bytes per pending tx: its slot in the arena (tx 140 + txid 32), the columns (fee, amount, nonce,
 * addedAt 8 each; next, prev, owner 4 each) and its txid index entry.
 */
export const SLOT_BYTES = TX_SIZE + 32 + 4 * 8 + 3 * 4 + mapEntryBytes(32);
/**
 * Accounted bytes per sender with txs queued: address 20, head/tail/count 4 each, the running total (a bigint
 * in an array, ~32), its place in the eviction heap (2 × 4) and its address index entry.
 */
export const SENDER_BYTES = 20 + 3 * 4 + 32 + 2 * 4 + mapEntryBytes(20);

/** A one-byte string key for a hash or address (half the size of hex, hashed by V8 with its random seed). */
export const keyOf = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');

/**
 * Columns are sized for `limit` slots at the first insert: zero-filled buffers that large are mapped lazily, so
 * an empty pool costs address space, not RSS, and filling it never copies (copies left freed buffers behind in
 * RSS). Past `limit` (a transient overflow, e.g. a reorg's readd) they grow by an eighth.
 */
function nextCap(cap: number, need: number, limit: number): number {
  if (need <= limit) return limit;
  return Math.max(need, cap + (cap >> 3));
}

/** Tx slots: bytes and txid in two arenas, the fields the pool orders by in columns, a free list through `next`. */
export class TxSlab {
  cap = 0;
  used = 0;
  arena = new Uint8Array(0);
  ids = new Uint8Array(0);
  fee = new BigUint64Array(0);
  amount = new BigUint64Array(0);
  nonce = new BigUint64Array(0);
  addedAt = new Float64Array(0);
  /** Sender queue links in nonce order (-1 ends); `next` also links free slots. */
  next = new Int32Array(0);
  prev = new Int32Array(0);
  /** Sender index of the slot. */
  owner = new Int32Array(0);
  private freeHead = -1;
  private top = 0;

  constructor(private readonly limit: number) {}

  alloc(): number {
    this.used++;
    if (this.freeHead >= 0) {
      const s = this.freeHead;
      this.freeHead = this.next[s]!;
      return s;
    }
    if (this.top === this.cap) this.grow(nextCap(this.cap, this.top + 1, this.limit));
    return this.top++;
  }

  release(s: number): void {
    this.used--;
    this.next[s] = this.freeHead;
    this.freeHead = s;
  }

  /** A view of the slot's tx bytes (valid until the slot is released; copy before handing it out). */
  tx(s: number): Uint8Array {
    return this.arena.subarray(s * TX_SIZE, (s + 1) * TX_SIZE);
  }

  id(s: number): Uint8Array {
    return this.ids.subarray(s * 32, (s + 1) * 32);
  }

  cost(s: number): bigint {
    return this.amount[s]! + this.fee[s]!;
  }

  private grow(n: number): void {
    this.arena = grown(this.arena, n, TX_SIZE);
    this.ids = grown(this.ids, n, 32);
    this.fee = grown(this.fee, n);
    this.amount = grown(this.amount, n);
    this.nonce = grown(this.nonce, n);
    this.addedAt = grown(this.addedAt, n);
    this.next = grown(this.next, n);
    this.prev = grown(this.prev, n);
    this.owner = grown(this.owner, n);
    this.cap = n;
  }
}

/** Senders with queued txs: address, queue ends and length in columns, the pending-cost running total. */
export class SenderTable {
  readonly byAddr = new Map<string, number>();
  cap = 0;
  addr = new Uint8Array(0);
  head = new Int32Array(0);
  tail = new Int32Array(0);
  count = new Int32Array(0);
  /** Sum of amount + fee over the queue (an O(1) funds check); may pass 2^64, so plain bigints. */
  pending: bigint[] = [];
  private readonly free: number[] = [];
  private top = 0;

  constructor(private readonly limit: number) {}

  get size(): number {
    return this.byAddr.size;
  }

  find(key: string): number | undefined {
    return this.byAddr.get(key);
  }

  create(key: string, address: Uint8Array): number {
    let i = this.free.pop();
    if (i === undefined) {
      if (this.top === this.cap) this.grow(nextCap(this.cap, this.top + 1, this.limit));
      i = this.top++;
    }
    this.byAddr.set(key, i);
    this.addr.set(address, i * 20);
    this.head[i] = this.tail[i] = -1;
    this.count[i] = 0;
    this.pending[i] = 0n;
    return i;
  }

  release(key: string, i: number): void {
    this.byAddr.delete(key);
    this.pending[i] = 0n;
    this.free.push(i);
  }

  address(i: number): Uint8Array {
    return this.addr.subarray(i * 20, (i + 1) * 20);
  }

  private grow(n: number): void {
    this.addr = grown(this.addr, n, 20);
    this.head = grown(this.head, n);
    this.tail = grown(this.tail, n);
    this.count = grown(this.count, n);
    this.cap = n;
  }
}
