// The mempool as it was before slab storage (one object per tx, Maps and arrays): the reference that
// test/mempool-slab.test.ts checks the slab mempool against (without a store; its cap counts 140 B a tx).
import { TX_SIZE } from '../../src/constants.js';
import { copyBytes, dataView, equalBytes, toHex } from '../../src/bytes.js';
import { addressOf, decodeTx, encodeTx, txid as txidOf, verifyTxSignature } from '../../src/chain/tx.js';
import type { PendingTxStore } from '../../src/chain/store.js';
import type { Block, TipChange, Tx } from '../../src/chain/types.js';
import { verdictOf, type ErrorCode } from '../../src/errors.js';
import type { MempoolAddResult, MempoolChain, MempoolEntry, MempoolOptions, RestoreResult } from '../../src/mempool/types.js';


/** Stored record: tx bytes ‖ addedAt f64 LE. */
const RECORD = TX_SIZE + 8;

export class ReferenceMempool {
  private readonly byId = new Map<string, MempoolEntry>();
  /** sender hex → entries in nonce order (consecutive from the account nonce). */
  private readonly bySender = new Map<string, MempoolEntry[]>();
  /** sender hex → sum of `cost` over its queue, kept with every queue change (an O(1) funds check). */
  private readonly pendingCost = new Map<string, bigint>();
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
    if (opts.subscribe ?? true) chain.onTip((c) => this.handleTipChange(c));
  }

  /**
   * Re-adds the stored txs through `add` against the current ledger, sender then nonce order; what no
   * longer applies, does not fit the byte cap, or is corrupt is deleted from the store.
   */
  async restore(): Promise<RestoreResult> {
    const res: RestoreResult = { restored: 0, dropped: 0, corrupt: 0 };
    if (!this.store) return res;
    const keep = Math.floor(this.maxBytes / TX_SIZE);
    const found: MempoolEntry[] = [];
    let scanned = 0;
    for await (const { id, value } of this.store.scan()) {
      scanned++;
      const e = found.length < keep ? this.fromRecord(id, value) : undefined;
      if (e) found.push(e);
      else {
        if (found.length < keep) res.corrupt++;
        this.queue(id);
      }
    }
    found.sort((a, b) => (a.senderHex < b.senderHex ? -1 : a.senderHex > b.senderHex ? 1 : a.tx.nonce < b.tx.nonce ? -1 : a.tx.nonce > b.tx.nonce ? 1 : 0));
    this.restoring = true;
    try {
      for (const e of found) if (!this.accept(e).accepted) this.queue(e.id);
    } finally {
      this.restoring = false;
    }
    res.restored = found.filter((e) => this.byId.get(e.idHex) === e).length; // later evictions count as dropped
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

  get bytes(): number {
    return this.byId.size * TX_SIZE;
  }

  has(id: Uint8Array): boolean {
    return this.byId.has(toHex(id));
  }

  get(id: Uint8Array): MempoolEntry | undefined {
    return this.byId.get(toHex(id));
  }

  /** All entries (API listing), in arrival order. */
  list(limit = Infinity): MempoolEntry[] {
    const out: MempoolEntry[] = [];
    for (const e of this.byId.values()) {
      if (out.length >= limit) break;
      out.push(e);
    }
    return out;
  }

  /** Pending nonce for a sender: account nonce + queued txs. */
  nextNonce(address: Uint8Array): bigint {
    return this.chain.accountSync(address).nonce + BigInt(this.bySender.get(toHex(address))?.length ?? 0);
  }

  add(bytes: Uint8Array): MempoolAddResult {
    if (bytes.length !== TX_SIZE) return rejected(new Uint8Array(32), 'bad-size', `tx of ${bytes.length} bytes`);
    return this.accept(this.entry(bytes));
  }

  private accept(e: MempoolEntry): MempoolAddResult {
    const fail = (code: ErrorCode, reason: string, fault?: 'unfundable' | null): MempoolAddResult => rejected(e.id, code, reason, fault);
    const bytes = e.bytes;
    if (this.byId.has(e.idHex)) return fail('duplicate', 'already in the mempool');
    const acc = this.chain.accountSync(e.sender);
    // before the signature (~150 µs): a tx its sender's confirmed balance cannot pay costs a lookup, not a verify
    if (acc.balance < e.cost) return fail('insufficient-funds', `balance ${acc.balance} < ${e.cost}`, 'unfundable');
    if (!verifyTxSignature(bytes, this.chain.profile.magic)) return fail('bad-tx-sig', 'signature does not verify');
    const queued = this.bySender.get(e.senderHex)?.length ?? 0;
    const want = acc.nonce + BigInt(queued);
    if (e.tx.nonce !== want) return fail('bad-tx-nonce', `nonce ${e.tx.nonce}, next is ${want}`);
    const pending = this.pendingCost.get(e.senderHex) ?? 0n;
    // affordable alone but not after the sender's queue: a race an honest relayer can lose
    if (acc.balance < pending + e.cost) return fail('insufficient-funds', `balance ${acc.balance} < ${pending + e.cost} pending`, null);
    this.insert(e);
    this.enforceCap();
    if (!this.byId.has(e.idHex)) return fail('mempool-full', 'fee too low for a full mempool');
    return { accepted: true, txid: e.id };
  }

  /**
   * Up to `max` transactions, highest fee first among each sender's next nonce, so every
   * sender's txs stay in nonce order.
   */
  select(max: number): Uint8Array[] {
    const heap = new FeeHeap();
    const pos = new Map<string, number>();
    for (const [s, q] of this.bySender) {
      heap.push(q[0]!);
      pos.set(s, 0);
    }
    const out: Uint8Array[] = [];
    while (out.length < max && heap.size > 0) {
      const e = heap.pop()!;
      out.push(e.bytes);
      const i = pos.get(e.senderHex)! + 1;
      pos.set(e.senderHex, i);
      const next = this.bySender.get(e.senderHex)![i];
      if (next) heap.push(next);
    }
    return out;
  }

  /** Drops a block's transactions and anything they made stale. */
  removeConfirmed(block: Block): void {
    const senders = new Set<string>();
    for (const tx of block.txs) {
      const bytes = encodeTx(tx);
      const e = this.byId.get(toHex(txidOf(this.chain.core, bytes)));
      if (e) this.remove(e);
      senders.add(toHex(addressOf(tx.from)));
    }
    for (const s of senders) this.revalidate(s);
  }

  /** Puts back transactions of disconnected blocks (signatures already checked when first seen). */
  readd(txs: readonly (Tx | Uint8Array)[]): void {
    const senders = new Set<string>();
    for (const t of txs) {
      const e = this.entry(t instanceof Uint8Array ? t : encodeTx(t));
      if (this.byId.has(e.idHex)) continue;
      this.insert(e);
      senders.add(e.senderHex);
    }
    for (const s of senders) this.revalidate(s);
    this.enforceCap();
  }

  /** onTip handler: undo first (its txs come back), then drop what the new blocks confirmed. */
  handleTipChange(c: TipChange): void {
    this.readd(c.disconnected.flatMap((b) => b.txs));
    for (const b of c.connected) this.removeConfirmed(b);
  }

  private entry(bytes: Uint8Array, addedAt = Date.now()): MempoolEntry {
    const b = copyBytes(bytes);
    const tx = decodeTx(b);
    const id = txidOf(this.chain.core, b);
    const sender = addressOf(tx.from);
    return { id, idHex: toHex(id), bytes: b, tx, sender, senderHex: toHex(sender), cost: tx.amount + tx.fee, addedAt };
  }

  /** A stored record as an entry, or undefined when it is malformed or its key is not its txid. */
  private fromRecord(id: Uint8Array, value: Uint8Array): MempoolEntry | undefined {
    if (id.length !== 32 || value.length !== RECORD) return undefined;
    const addedAt = dataView(value).getFloat64(TX_SIZE, true);
    if (!Number.isFinite(addedAt)) return undefined;
    const e = this.entry(value.subarray(0, TX_SIZE), addedAt);
    return equalBytes(e.id, id) ? e : undefined;
  }

  /** Queues a store put (entry) or delete (txid); batches go out one at a time, coalescing meanwhile. */
  private queue(x: MempoolEntry | Uint8Array): void {
    if (!this.store) return;
    if (x instanceof Uint8Array) this.unsaved.set(toHex(x), { id: x });
    else {
      const value = new Uint8Array(RECORD);
      value.set(x.bytes);
      dataView(value).setFloat64(TX_SIZE, x.addedAt, true);
      this.unsaved.set(x.idHex, { id: x.id, value });
    }
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

  /** Drops an entry from the id index (and the store); the caller fixes the sender queue. */
  private forget(e: MempoolEntry): void {
    this.byId.delete(e.idHex);
    this.queue(e.id);
  }

  private insert(e: MempoolEntry): void {
    this.byId.set(e.idHex, e);
    if (!this.restoring) this.queue(e);
    this.pendingCost.set(e.senderHex, (this.pendingCost.get(e.senderHex) ?? 0n) + e.cost);
    const q = this.bySender.get(e.senderHex);
    if (!q) this.bySender.set(e.senderHex, [e]);
    else {
      q.push(e);
      if (q.length > 1 && q[q.length - 2]!.tx.nonce > e.tx.nonce) q.sort((a, b) => (a.tx.nonce < b.tx.nonce ? -1 : a.tx.nonce > b.tx.nonce ? 1 : 0));
    }
  }

  private remove(e: MempoolEntry): void {
    this.forget(e);
    const q = this.bySender.get(e.senderHex);
    if (!q) return;
    const i = q.indexOf(e);
    if (i >= 0) {
      q.splice(i, 1);
      this.pendingCost.set(e.senderHex, this.pendingCost.get(e.senderHex)! - e.cost);
    }
    if (q.length === 0) {
      this.bySender.delete(e.senderHex);
      this.pendingCost.delete(e.senderHex);
    }
  }

  /** Keeps the longest prefix of the sender's queue that is consecutive from its nonce and affordable. */
  private revalidate(senderHex: string): void {
    const q = this.bySender.get(senderHex);
    if (!q) return;
    const acc = this.chain.accountSync(q[0]!.sender);
    let nonce = acc.nonce;
    let left = acc.balance;
    const keep: MempoolEntry[] = [];
    for (const e of q) {
      if (e.tx.nonce < nonce) {
        this.forget(e);
        continue;
      }
      if (e.tx.nonce === nonce && left >= e.cost) {
        keep.push(e);
        nonce++;
        left -= e.cost;
      } else this.forget(e);
    }
    if (keep.length) {
      this.bySender.set(senderHex, keep);
      this.pendingCost.set(senderHex, acc.balance - left);
    } else {
      this.bySender.delete(senderHex);
      this.pendingCost.delete(senderHex);
    }
  }

  /** Evicts the lowest-fee queue tail until under the byte cap (tails only, so queues stay gapless). */
  private enforceCap(): void {
    while (this.bytes > this.maxBytes && this.bySender.size > 0) {
      let worst: MempoolEntry | undefined;
      for (const q of this.bySender.values()) {
        const t = q[q.length - 1]!;
        if (!worst || t.tx.fee < worst.tx.fee || (t.tx.fee === worst.tx.fee && t.addedAt > worst.addedAt)) worst = t;
      }
      this.remove(worst!);
    }
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


/** Max-heap by fee (ties: earlier arrival first). */
class FeeHeap {
  private readonly a: MempoolEntry[] = [];
  get size(): number {
    return this.a.length;
  }
  private less(i: number, j: number): boolean {
    const x = this.a[i]!;
    const y = this.a[j]!;
    return x.tx.fee > y.tx.fee || (x.tx.fee === y.tx.fee && x.addedAt < y.addedAt);
  }
  push(e: MempoolEntry): void {
    const a = this.a;
    a.push(e);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }
  pop(): MempoolEntry | undefined {
    const a = this.a;
    if (a.length === 0) return undefined;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(l, m)) m = l;
        if (r < a.length && this.less(r, m)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}
