// Transaction relay beside the mempool: TX from peers into the mempool, relayed once accepted; the API's
// transactions the same way; a reorg's returned transactions re-announced.
import { TX_SIZE } from '../constants.js';
import { encodeTx, txid } from '../chain/tx.js';
import type { TipChange } from '../chain/types.js';
import type { Core } from '../core/types.js';
import type { Logger } from '../log.js';
import type { Peer, PeerNetwork } from '../p2p/types.js';
import { MsgType } from '../wire/types.js';
import { BoundedSet } from '../bounded-set.js';
import { toHex } from '../bytes.js';
import { isErrorCode, verdictOf, type ErrorCode } from '../errors.js';
import type { MempoolAddResult } from './types.js';

/** What relay needs of the mempool (src/mempool/mempool.ts fits): add raw tx bytes, learn whether they were taken. */
export interface MempoolLike {
  add(tx: Uint8Array): MempoolAddResult | Promise<MempoolAddResult>;
  /** Whether a txid is pending (lets relay re-announce txs a reorg put back). */
  has?(txid: Uint8Array): boolean;
}

/** A rejection another transaction (not only a block) can change: forgotten when one is accepted. */
const NONCE_AHEAD: ErrorCode = 'bad-tx-nonce';
/** Recently rejected txids remembered (Core's m_recent_rejects: reset when the tip changes). */
const REJECT_CACHE = 16_384;
/** Copies of a tx under check remembered for their penalty (a burst past this is dropped uncharged). */
const COPIES_WHILE_CHECKING = 128;

export interface TxRelayStats {
  txsReceived: number;
  txsAccepted: number;
  relayedTxs: number;
  /** Txs dropped unchecked: rejected before since the last tip change. */
  txsRejectCached: number;
}

export interface TxRelayDeps {
  net: PeerNetwork;
  core: Pick<Core, 'sha256d'>;
  mempool?: MempoolLike;
  log: Logger;
  /** Where penalties go (sync's peer table counts them): an offence of the registry, with its cause. */
  penalize(peer: Peer, offence: ErrorCode, detail?: string): void;
}

export class TxRelay {
  private readonly recent = new BoundedSet<string>(16_384);
  /** txid hex → its rejection: the sender's fault, final (no block changes it); the rest forgotten at a new tip. */
  private readonly rejects = new Map<string, { fault: boolean; final: boolean }>();
  private readonly orderRejects = new Set<string>();
  /**
   * txids whose mempool check is running → the peers whose copies arrived meanwhile (not checked twice; charged
   * like a reject-cache hit once the verdict is a fault, so a burst in one TCP read is not free). Bounded per txid.
   */
  private readonly checking = new Map<string, Peer[]>();
  private running = false;
  readonly stats: TxRelayStats = { txsReceived: 0, txsAccepted: 0, relayedTxs: 0, txsRejectCached: 0 };

  constructor(private readonly d: TxRelayDeps) {}

  register(): void {
    this.d.net.on(MsgType.TX, (peer, msg) => this.onTx(peer, msg.tx));
  }

  start(): void {
    this.running = true;
  }

  stop(): void {
    this.running = false;
  }

  /** A transaction from the API: into the mempool, relayed to every peer when accepted. */
  async submit(bytes: Uint8Array): Promise<MempoolAddResult> {
    const mempool = this.d.mempool;
    if (!mempool) return { accepted: false, txid: txid(this.d.core, bytes), code: 'no-mempool', reason: 'node has no mempool' };
    const res = await mempool.add(bytes);
    if (res.accepted) {
      const key = toHex(this.d.core.sha256d(bytes));
      this.recent.add(key);
      this.stats.relayedTxs += this.d.net.broadcast({ type: MsgType.TX, tx: bytes }, { key });
    }
    return res;
  }

  /** A new tip can make a rejected tx valid (funds arrived, nonce moved): the reject cache starts over. */
  onTip(): void {
    for (const [k, r] of this.rejects) if (!r.final) this.rejects.delete(k);
    this.orderRejects.clear();
  }

  /** Remembers a rejection the tx itself caused (not our state, e.g. a full mempool), by its verdict. */
  private reject(key: string, code: string | undefined): void {
    const v = code !== undefined && isErrorCode(code) ? verdictOf(code) : undefined;
    if (!v?.peerFault) return;
    if (code === NONCE_AHEAD) {
      if (this.orderRejects.size >= REJECT_CACHE) this.orderRejects.clear();
      this.orderRejects.add(key);
      return;
    }
    if (this.rejects.size >= REJECT_CACHE) this.rejects.delete(this.rejects.keys().next().value as string);
    this.rejects.set(key, { fault: v.txFault === true, final: v.final === true });
  }

  /** After a reorg the undone blocks' txs are back in the mempool (it listens first); the new branch's miners never saw them. */
  relayReturned(c: TipChange): void {
    const mempool = this.d.mempool;
    if (!this.running || !mempool?.has) return;
    for (const b of c.disconnected) {
      for (const t of b.txs) {
        const tx = encodeTx(t);
        const id = this.d.core.sha256d(tx);
        if (!mempool.has(id)) continue;
        this.stats.relayedTxs += this.d.net.broadcast({ type: MsgType.TX, tx }, { key: toHex(id) });
      }
    }
  }

  private onTx(peer: Peer, tx: Uint8Array): void {
    const mempool = this.d.mempool;
    if (!this.running || !mempool) return;
    this.stats.txsReceived++;
    if (tx.length !== TX_SIZE) return this.d.penalize(peer, 'sync-tx-size');
    const key = toHex(this.d.core.sha256d(tx));
    this.d.net.markSeen(peer, key);
    if (this.recent.has(key)) return;
    // rejected since the last tip: no signature check again, and a faulty one costs its sender again
    const rejected = this.rejects.get(key);
    const waiting = this.checking.get(key);
    if (rejected || this.orderRejects.has(key) || waiting) {
      this.stats.txsRejectCached++;
      if (rejected?.fault) this.d.penalize(peer, 'sync-tx-rejected-again');
      else if (waiting && waiting.length < COPIES_WHILE_CHECKING) waiting.push(peer);
      return;
    }
    const copies: Peer[] = [];
    this.checking.set(key, copies);
    void (async () => {
      let res: MempoolAddResult;
      try {
        res = await mempool.add(tx);
      } finally {
        this.checking.delete(key);
      }
      if (!this.running) return;
      if (res.accepted) {
        this.recent.add(key);
        // a tx waiting for this one's nonce may apply now
        this.orderRejects.clear();
        this.stats.txsAccepted++;
        this.d.net.credit?.(peer, 'tx'); // new and valid: eviction protection (Core's m_last_tx_time)
        this.stats.relayedTxs += this.d.net.broadcast({ type: MsgType.TX, tx }, { exclude: peer, key });
        return;
      }
      if (res.code === 'duplicate') this.recent.add(key);
      else this.reject(key, res.code);
      const v = res.code !== undefined && isErrorCode(res.code) ? verdictOf(res.code) : undefined;
      if (v?.txFault) {
        this.d.penalize(peer, 'sync-tx-invalid', res.code);
        if (this.rejects.get(key)?.fault) for (const p of copies) this.d.penalize(p, 'sync-tx-rejected-again');
      }
    })().catch((err: unknown) => this.d.log.error({ err }, 'tx processing failed'));
  }
}
