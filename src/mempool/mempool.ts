// The mempool: per-sender nonce queues, fee-ordered selection, lowest-fee eviction past a cap, write-through persistence.
// Txs live in slab storage (src/mempool/slab.ts): one arena of 140-byte slots and typed-array columns, so the
// byte cap counts what the pool really holds (slot, columns and index entries), not 140 B a tx.
import { TX_SIZE } from '../constants.js';
import { copyBytes, dataView, equalBytes, toHex } from '../bytes.js';
import { addressOf, decodeTx, encodeTx, txid as txidOf, verifyTxSignature } from '../chain/tx.js';
import type { PendingTxStore } from '../chain/store.js';
import type { Block, TipChange, Tx } from '../chain/types.js';
import { IndexHeap } from './fee-heap.js';
import { keyOf, SENDER_BYTES, SenderTable, SLOT_BYTES, TxSlab } from './slab.js';
import { verdictOf, type ErrorCode } from '../errors.js';
import type { MempoolAddResult, MempoolChain, MempoolEntry, MempoolOptions, RestoreResult } from './types.js';

export type { MempoolAddResult, MempoolChain, MempoolEntry, MempoolOptions, RestoreResult, TxFault } from './types.js';
export { SENDER_BYTES, SLOT_BYTES } from './slab.js';

/** Stored record: tx bytes ‖ addedAt f64 LE. */
const RECORD = TX_SIZE + 8;

/** A tx on its way in (decoded once; only its slot stays). */
interface Candidate {
  id: Uint8Array;
  key: string;
  bytes: Uint8Array;
  tx: Tx;
  sender: Uint8Array;
  senderKey: string;
  cost: bigint;
  addedAt: number;
}

export class Mempool {
  /** txid (one-byte string) → slot; insertion order is arrival order (the API's listing). */
  private readonly byId = new Map<string, number>();
  private readonly slots: TxSlab;
  private readonly senders: SenderTable;
  /** Senders by their queue tail, worst first (lowest fee, then latest): the eviction order. */
  private readonly tails: IndexHeap;
  private readonly maxBytes: number;
  private readonly store: PendingTxStore | undefined;
  /** Store ops not yet handed to the store, by txid hex (the last op for a txid wins). */
  private readonly unsaved = new Map<string, { id: Uint8Array; value?: Uint8Array }>();
  private writing: Promise<void> | null = null;
  private restoring = false;
  /** Store writes that failed (the pool keeps working from memory). */
  storeErrors = 0;

  constructor(
    private readonly chain: MempoolChain,
    opts: MempoolOptions = {},
  ) {
    this.maxBytes = opts.maxBytes ?? 8 << 20;
    this.store = opts.store;
    // one slot of headroom: a tx is inserted before the cap picks the victim (maybe itself)
    const limit = Math.floor(this.maxBytes / SLOT_BYTES) + 1;
    this.slots = new TxSlab(limit);
    this.senders = new SenderTable(limit);
    const s = this.slots;
    this.tails = new IndexHeap((a, b) => {
      const x = this.senders.tail[a]!;
      const y = this.senders.tail[b]!;
      return s.fee[x]! < s.fee[y]! || (s.fee[x] === s.fee[y] && s.addedAt[x]! > s.addedAt[y]!);
    }, true);
    if (opts.subscribe ?? true) chain.onTip((c) => this.handleTipChange(c));
  }

  /**
   * Re-adds the stored txs through `add` against the current ledger, sender then nonce order; what no
   * longer applies, does not fit the byte cap, or is corrupt is deleted from the store.
   */
  async restore(): Promise<RestoreResult> {
    const res: RestoreResult = { restored: 0, dropped: 0, corrupt: 0 };
    if (!this.store) return res;
    const keep = Math.floor(this.maxBytes / SLOT_BYTES);
    const found: Candidate[] = [];
    let scanned = 0;
    for await (const { id, value } of this.store.scan()) {
      scanned++;
      const e = found.length < keep ? this.fromRecord(id, value) : undefined;
      if (e) found.push(e);
      else {
        if (found.length < keep) res.corrupt++;
        this.queueDelete(id);
      }
    }
    found.sort((a, b) => (a.senderKey < b.senderKey ? -1 : a.senderKey > b.senderKey ? 1 : a.tx.nonce < b.tx.nonce ? -1 : a.tx.nonce > b.tx.nonce ? 1 : 0));
    this.restoring = true;
    try {
      for (const e of found) if (!this.accept(e).accepted) this.queueDelete(e.id);
    } finally {
      this.restoring = false;
    }
    res.restored = found.filter((e) => this.byId.has(e.key)).length; // later evictions count as dropped
    res.dropped = scanned - res.restored;
    await this.flush();
    return res;
  }

  /** Resolves once every store op queued so far is written (call before closing the store). */
  async flush(): Promise<void> {
    this.kick();
    while (this.writing) await this.writing;
  }

  get size(): number {
    return this.byId.size;
  }

  /** Bytes of the transactions themselves (140 each). */
  get bytes(): number {
    return this.byId.size * TX_SIZE;
  }

  /** What the pool holds as counted against the cap: each tx's slot with its columns and index, each sender's record. */
  get memoryBytes(): number {
    return this.byId.size * SLOT_BYTES + this.senders.size * SENDER_BYTES;
  }

  has(id: Uint8Array): boolean {
    return this.byId.has(keyOf(id));
  }

  get(id: Uint8Array): MempoolEntry | undefined {
    const s = this.byId.get(keyOf(id));
    return s === undefined ? undefined : this.entryAt(s);
  }

  /** All entries (API listing), in arrival order. */
  list(limit = Infinity): MempoolEntry[] {
    const out: MempoolEntry[] = [];
    for (const s of this.byId.values()) {
      if (out.length >= limit) break;
      out.push(this.entryAt(s));
    }
    return out;
  }

  /** Pending nonce for a sender: account nonce + queued txs. */
  nextNonce(address: Uint8Array): bigint {
    const i = this.senders.find(keyOf(address));
    return this.chain.accountSync(address).nonce + BigInt(i === undefined ? 0 : this.senders.count[i]!);
  }

  add(bytes: Uint8Array): MempoolAddResult {
    if (bytes.length !== TX_SIZE) return rejected(new Uint8Array(32), 'bad-size', `tx of ${bytes.length} bytes`);
    return this.accept(this.candidate(bytes));
  }

  private accept(e: Candidate): MempoolAddResult {
    const fail = (code: ErrorCode, reason: string, fault?: 'unfundable' | null): MempoolAddResult => rejected(e.id, code, reason, fault);
    if (this.byId.has(e.key)) return fail('duplicate', 'already in the mempool');
    const acc = this.chain.accountSync(e.sender);
    // before the signature (~150 µs): a tx its sender's confirmed balance cannot pay costs a lookup, not a verify
    if (acc.balance < e.cost) return fail('insufficient-funds', `balance ${acc.balance} < ${e.cost}`, 'unfundable');
    if (!verifyTxSignature(e.bytes, this.chain.profile.magic)) return fail('bad-tx-sig', 'signature does not verify');
    const si = this.senders.find(e.senderKey);
    const queued = si === undefined ? 0 : this.senders.count[si]!;
    const want = acc.nonce + BigInt(queued);
    if (e.tx.nonce !== want) return fail('bad-tx-nonce', `nonce ${e.tx.nonce}, next is ${want}`);
    const pending = si === undefined ? 0n : this.senders.pending[si]!;
    // affordable alone but not after the sender's queue: a race an honest relayer can lose
    if (acc.balance < pending + e.cost) return fail('insufficient-funds', `balance ${acc.balance} < ${pending + e.cost} pending`, null);
    this.insert(e);
    this.enforceCap();
    if (!this.byId.has(e.key)) return fail('mempool-full', 'fee too low for a full mempool');
    return { accepted: true, txid: e.id };
  }

  /**
   * Up to `max` transactions, highest fee first among each sender's next nonce, so every
   * sender's txs stay in nonce order.
   */
  select(max: number): Uint8Array[] {
    const s = this.slots;
    const heap = new IndexHeap((x, y) => s.fee[x]! > s.fee[y]! || (s.fee[x] === s.fee[y] && s.addedAt[x]! < s.addedAt[y]!));
    for (const i of this.senders.byAddr.values()) heap.push(this.senders.head[i]!);
    const out: Uint8Array[] = [];
    while (out.length < max && heap.size > 0) {
      const slot = heap.pop();
      out.push(copyBytes(s.tx(slot)));
      const next = s.next[slot]!;
      if (next >= 0) heap.push(next);
    }
    return out;
  }

  /** Drops a block's transactions and anything they made stale. */
  removeConfirmed(block: Block): void {
    const senders = new Map<string, Uint8Array>();
    for (const tx of block.txs) {
      const bytes = encodeTx(tx);
      const slot = this.byId.get(keyOf(txidOf(this.chain.core, bytes)));
      if (slot !== undefined) this.remove(slot);
      const a = addressOf(tx.from);
      senders.set(keyOf(a), a);
    }
    for (const a of senders.values()) this.revalidate(a);
  }

  /** Puts back transactions of disconnected blocks (signatures already checked when first seen). */
  readd(txs: readonly (Tx | Uint8Array)[]): void {
    const senders = new Map<string, Uint8Array>();
    for (const t of txs) {
      const e = this.candidate(t instanceof Uint8Array ? t : encodeTx(t));
      if (this.byId.has(e.key)) continue;
      this.insert(e);
      senders.set(e.senderKey, e.sender);
    }
    for (const a of senders.values()) this.revalidate(a);
    this.enforceCap();
  }

  /** onTip handler: undo first (its txs come back), then drop what the new blocks confirmed. */
  handleTipChange(c: TipChange): void {
    this.readd(c.disconnected.flatMap((b) => b.txs));
    for (const b of c.connected) this.removeConfirmed(b);
  }

  private candidate(bytes: Uint8Array, addedAt = Date.now()): Candidate {
    const b = copyBytes(bytes);
    const tx = decodeTx(b);
    const id = txidOf(this.chain.core, b);
    const sender = addressOf(tx.from);
    return { id, key: keyOf(id), bytes: b, tx, sender, senderKey: keyOf(sender), cost: tx.amount + tx.fee, addedAt };
  }

  /** A slot as the entry the API and tests read (copies: the slot may be reused). */
  private entryAt(slot: number): MempoolEntry {
    const s = this.slots;
    const bytes = copyBytes(s.tx(slot));
    const id = copyBytes(s.id(slot));
    const sender = copyBytes(this.senders.address(s.owner[slot]!));
    return { id, idHex: toHex(id), bytes, tx: decodeTx(bytes), sender, senderHex: toHex(sender), cost: s.cost(slot), addedAt: s.addedAt[slot]! };
  }

  /** A stored record as a candidate, or undefined when it is malformed or its key is not its txid. */
  private fromRecord(id: Uint8Array, value: Uint8Array): Candidate | undefined {
    if (id.length !== 32 || value.length !== RECORD) return undefined;
    const addedAt = dataView(value).getFloat64(TX_SIZE, true);
    if (!Number.isFinite(addedAt)) return undefined;
    const e = this.candidate(value.subarray(0, TX_SIZE), addedAt);
    return equalBytes(e.id, id) ? e : undefined;
  }

  /** Queues a store put; batches go out one at a time, coalescing meanwhile. */
  private queuePut(id: Uint8Array, tx: Uint8Array, addedAt: number): void {
    if (!this.store) return;
    const value = new Uint8Array(RECORD);
    value.set(tx);
    dataView(value).setFloat64(TX_SIZE, addedAt, true);
    this.unsaved.set(toHex(id), { id, value });
    this.kick();
  }

  private queueDelete(id: Uint8Array): void {
    if (!this.store) return;
    this.unsaved.set(toHex(id), { id });
    this.kick();
  }

  private kick(): void {
    if (!this.store || this.writing || this.unsaved.size === 0) return;
    const ops = [...this.unsaved.values()];
    this.unsaved.clear();
    const store = this.store;
    this.writing = Promise.resolve()
      .then(() => store.write(ops))
      .catch(() => {
        this.storeErrors++; // e.g. the store closed under us: the next start re-validates whatever is left
      })
      .finally(() => {
        this.writing = null;
        this.kick();
      });
  }

  /** Frees a slot: out of the id index and the store; the caller has unlinked it from its sender queue. */
  private forget(slot: number): void {
    const id = copyBytes(this.slots.id(slot));
    this.byId.delete(keyOf(id));
    this.queueDelete(id);
    this.slots.release(slot);
  }

  private insert(e: Candidate): void {
    const s = this.slots;
    const slot = s.alloc();
    s.arena.set(e.bytes, slot * TX_SIZE);
    s.ids.set(e.id, slot * 32);
    s.fee[slot] = e.tx.fee;
    s.amount[slot] = e.tx.amount;
    s.nonce[slot] = e.tx.nonce;
    s.addedAt[slot] = e.addedAt;
    this.byId.set(e.key, slot);
    if (!this.restoring) this.queuePut(e.id, e.bytes, e.addedAt);
    const q = this.senders;
    const i = q.find(e.senderKey) ?? q.create(e.senderKey, e.sender);
    s.owner[slot] = i;
    q.pending[i]! += e.cost;
    q.count[i]!++;
    // nonce order: append (the usual case), else after every entry with a nonce ≤ this one (a reorg's readd)
    let after = q.tail[i]!;
    while (after >= 0 && s.nonce[after]! > e.tx.nonce) after = s.prev[after]!;
    const before = after >= 0 ? s.next[after]! : q.head[i]!;
    s.prev[slot] = after;
    s.next[slot] = before;
    if (after >= 0) s.next[after] = slot;
    else q.head[i] = slot;
    if (before >= 0) s.prev[before] = slot;
    else q.tail[i] = slot;
    this.tails.update(i);
  }

  private remove(slot: number): void {
    const s = this.slots;
    const q = this.senders;
    const i = s.owner[slot]!;
    const p = s.prev[slot]!;
    const n = s.next[slot]!;
    if (p >= 0) s.next[p] = n;
    else q.head[i] = n;
    if (n >= 0) s.prev[n] = p;
    else q.tail[i] = p;
    q.pending[i]! -= s.cost(slot);
    q.count[i]!--;
    this.forget(slot);
    if (q.count[i] === 0) this.dropSender(i);
    else this.tails.update(i);
  }

  private dropSender(i: number): void {
    this.tails.remove(i);
    this.senders.release(keyOf(this.senders.address(i)), i);
  }

  /** Keeps the longest prefix of the sender's queue that is consecutive from its nonce and affordable. */
  private revalidate(address: Uint8Array): void {
    const q = this.senders;
    const i = q.find(keyOf(address));
    if (i === undefined) return;
    const s = this.slots;
    const acc = this.chain.accountSync(q.address(i));
    let nonce = acc.nonce;
    let left = acc.balance;
    let last = -1;
    let kept = 0;
    for (let slot = q.head[i]!; slot >= 0; ) {
      const next = s.next[slot]!; // forget() reuses `next` for the free list
      const cost = s.cost(slot);
      if (s.nonce[slot] === nonce && left >= cost) {
        s.prev[slot] = last;
        if (last >= 0) s.next[last] = slot;
        else q.head[i] = slot;
        last = slot;
        kept++;
        nonce++;
        left -= cost;
      } else this.forget(slot);
      slot = next;
    }
    if (kept === 0) {
      q.count[i] = 0;
      return this.dropSender(i);
    }
    s.next[last] = -1;
    q.tail[i] = last;
    q.count[i] = kept;
    q.pending[i] = acc.balance - left;
    this.tails.update(i);
  }

  /** Evicts the lowest-fee queue tail until under the byte cap (tails only, so queues stay gapless). */
  private enforceCap(): void {
    while (this.memoryBytes > this.maxBytes && this.tails.size > 0) this.remove(this.senders.tail[this.tails.peek()]!);
  }
}

/** A rejection with its verdict for the relay: fault and how long the txid may stay in a reject cache. */
/** `fault`: 'unfundable', null (an honest race, whatever the code), or undefined (the registry's txFault decides). */
function rejected(txid: Uint8Array, code: ErrorCode, reason: string, fault?: 'unfundable' | null): MempoolAddResult {
  const v = verdictOf(code);
  const res: MempoolAddResult = { accepted: false, txid, code, reason };
  if (fault) res.fault = fault;
  else if (fault === undefined && v.txFault) res.fault = 'invalid';
  if (v.final) res.rejectFor = 'final';
  else if (fault) res.rejectFor = 'tip';
  return res;
}
