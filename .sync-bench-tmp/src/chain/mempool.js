// Pending transactions: per-sender nonce queues, fee-ordered selection, lowest-fee eviction past a cap.
import { TX_SIZE } from '../constants.js';
import { copyBytes, toHex } from './bytes.js';
import { addressOf, decodeTx, encodeTx, txid as txidOf, verifyTxSignature } from './tx.js';
export class Mempool {
    chain;
    byId = new Map();
    /** sender hex → entries in nonce order (consecutive from the account nonce). */
    bySender = new Map();
    maxBytes;
    constructor(chain, opts = {}) {
        this.chain = chain;
        this.maxBytes = opts.maxBytes ?? 8 << 20;
        if (opts.subscribe ?? true)
            chain.onTip((c) => this.handleTipChange(c));
    }
    get size() {
        return this.byId.size;
    }
    get bytes() {
        return this.byId.size * TX_SIZE;
    }
    has(id) {
        return this.byId.has(toHex(id));
    }
    get(id) {
        return this.byId.get(toHex(id));
    }
    /** All entries (API listing), in arrival order. */
    list(limit = Infinity) {
        const out = [];
        for (const e of this.byId.values()) {
            if (out.length >= limit)
                break;
            out.push(e);
        }
        return out;
    }
    /** Pending nonce for a sender: account nonce + queued txs. */
    nextNonce(address) {
        return this.chain.accountSync(address).nonce + BigInt(this.bySender.get(toHex(address))?.length ?? 0);
    }
    add(bytes) {
        const fail = (txid, code, reason) => ({ accepted: false, txid, code, reason });
        if (bytes.length !== TX_SIZE)
            return fail(new Uint8Array(32), 'bad-size', `tx of ${bytes.length} bytes`);
        const e = this.entry(bytes);
        if (this.byId.has(e.idHex))
            return fail(e.id, 'duplicate', 'already in the mempool');
        if (!verifyTxSignature(bytes, this.chain.profile.magic))
            return fail(e.id, 'bad-tx-sig', 'signature does not verify');
        const acc = this.chain.accountSync(e.sender);
        const queue = this.bySender.get(e.senderHex) ?? [];
        const want = acc.nonce + BigInt(queue.length);
        if (e.tx.nonce !== want)
            return fail(e.id, 'bad-tx-nonce', `nonce ${e.tx.nonce}, next is ${want}`);
        let pending = 0n;
        for (const q of queue)
            pending += q.cost;
        if (acc.balance < pending + e.cost)
            return fail(e.id, 'insufficient-funds', `balance ${acc.balance} < ${pending + e.cost} pending`);
        this.insert(e);
        this.enforceCap();
        if (!this.byId.has(e.idHex))
            return fail(e.id, 'mempool-full', 'fee too low for a full mempool');
        return { accepted: true, txid: e.id };
    }
    /**
     * Up to `max` transactions, highest fee first among each sender's next nonce, so every
     * sender's txs stay in nonce order.
     */
    select(max) {
        const heap = new FeeHeap();
        const pos = new Map();
        for (const [s, q] of this.bySender) {
            heap.push(q[0]);
            pos.set(s, 0);
        }
        const out = [];
        while (out.length < max && heap.size > 0) {
            const e = heap.pop();
            out.push(e.bytes);
            const i = pos.get(e.senderHex) + 1;
            pos.set(e.senderHex, i);
            const next = this.bySender.get(e.senderHex)[i];
            if (next)
                heap.push(next);
        }
        return out;
    }
    /** Drops a block's transactions and anything they made stale. */
    removeConfirmed(block) {
        const senders = new Set();
        for (const tx of block.txs) {
            const bytes = encodeTx(tx);
            const e = this.byId.get(toHex(txidOf(this.chain.core, bytes)));
            if (e)
                this.remove(e);
            senders.add(toHex(addressOf(tx.from)));
        }
        for (const s of senders)
            this.revalidate(s);
    }
    /** Puts back transactions of disconnected blocks (signatures already checked when first seen). */
    readd(txs) {
        const senders = new Set();
        for (const t of txs) {
            const e = this.entry(t instanceof Uint8Array ? t : encodeTx(t));
            if (this.byId.has(e.idHex))
                continue;
            this.insert(e);
            senders.add(e.senderHex);
        }
        for (const s of senders)
            this.revalidate(s);
        this.enforceCap();
    }
    /** onTip handler: undo first (its txs come back), then drop what the new blocks confirmed. */
    handleTipChange(c) {
        this.readd(c.disconnected.flatMap((b) => b.txs));
        for (const b of c.connected)
            this.removeConfirmed(b);
    }
    entry(bytes) {
        const b = copyBytes(bytes);
        const tx = decodeTx(b);
        const id = txidOf(this.chain.core, b);
        const sender = addressOf(tx.from);
        return { id, idHex: toHex(id), bytes: b, tx, sender, senderHex: toHex(sender), cost: tx.amount + tx.fee, addedAt: Date.now() };
    }
    insert(e) {
        this.byId.set(e.idHex, e);
        const q = this.bySender.get(e.senderHex);
        if (!q)
            this.bySender.set(e.senderHex, [e]);
        else {
            q.push(e);
            if (q.length > 1 && q[q.length - 2].tx.nonce > e.tx.nonce)
                q.sort((a, b) => (a.tx.nonce < b.tx.nonce ? -1 : a.tx.nonce > b.tx.nonce ? 1 : 0));
        }
    }
    remove(e) {
        this.byId.delete(e.idHex);
        const q = this.bySender.get(e.senderHex);
        if (!q)
            return;
        const i = q.indexOf(e);
        if (i >= 0)
            q.splice(i, 1);
        if (q.length === 0)
            this.bySender.delete(e.senderHex);
    }
    /** Keeps the longest prefix of the sender's queue that is consecutive from its nonce and affordable. */
    revalidate(senderHex) {
        const q = this.bySender.get(senderHex);
        if (!q)
            return;
        const acc = this.chain.accountSync(q[0].sender);
        let nonce = acc.nonce;
        let left = acc.balance;
        const keep = [];
        for (const e of q) {
            if (e.tx.nonce < nonce) {
                this.byId.delete(e.idHex);
                continue;
            }
            if (e.tx.nonce === nonce && left >= e.cost) {
                keep.push(e);
                nonce++;
                left -= e.cost;
            }
            else
                this.byId.delete(e.idHex);
        }
        if (keep.length)
            this.bySender.set(senderHex, keep);
        else
            this.bySender.delete(senderHex);
    }
    /** Evicts the lowest-fee queue tail until under the byte cap (tails only, so queues stay gapless). */
    enforceCap() {
        while (this.bytes > this.maxBytes && this.bySender.size > 0) {
            let worst;
            for (const q of this.bySender.values()) {
                const t = q[q.length - 1];
                if (!worst || t.tx.fee < worst.tx.fee || (t.tx.fee === worst.tx.fee && t.addedAt > worst.addedAt))
                    worst = t;
            }
            this.remove(worst);
        }
    }
}
/** Max-heap by fee (ties: earlier arrival first). */
class FeeHeap {
    a = [];
    get size() {
        return this.a.length;
    }
    less(i, j) {
        const x = this.a[i];
        const y = this.a[j];
        return x.tx.fee > y.tx.fee || (x.tx.fee === y.tx.fee && x.addedAt < y.addedAt);
    }
    push(e) {
        const a = this.a;
        a.push(e);
        let i = a.length - 1;
        while (i > 0) {
            const p = (i - 1) >> 1;
            if (!this.less(i, p))
                break;
            [a[i], a[p]] = [a[p], a[i]];
            i = p;
        }
    }
    pop() {
        const a = this.a;
        if (a.length === 0)
            return undefined;
        const top = a[0];
        const last = a.pop();
        if (a.length > 0) {
            a[0] = last;
            let i = 0;
            for (;;) {
                const l = 2 * i + 1;
                const r = l + 1;
                let m = i;
                if (l < a.length && this.less(l, m))
                    m = l;
                if (r < a.length && this.less(r, m))
                    m = r;
                if (m === i)
                    break;
                [a[i], a[m]] = [a[m], a[i]];
                i = m;
            }
        }
        return top;
    }
}
//# sourceMappingURL=mempool.js.map