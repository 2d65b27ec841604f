// Transaction relay beside the mempool: TX from peers into the mempool, relayed once accepted; the API's
// transactions the same way; a reorg's returned transactions re-announced.
import { TX_SIZE } from '../constants.js';
import { encodeTx } from '../chain/tx.js';
import type { TipChange } from '../chain/types.js';
import type { Core } from '../core/types.js';
import type { Logger } from '../log.js';
import type { Peer, PeerNetwork } from '../p2p/types.js';
import { MsgType } from '../wire/types.js';
import { RecentSet, toHex } from '../sync/util.js';

/** What relay needs of the mempool (src/chain/mempool.ts fits): add raw tx bytes, learn whether they were taken. */
export interface MempoolAddResult {
  accepted: boolean;
  /** Rejection code, e.g. 'bad-tx-sig', 'bad-tx-nonce', 'duplicate'. */
  code?: string;
  reason?: string;
}
export interface MempoolLike {
  add(tx: Uint8Array): MempoolAddResult | Promise<MempoolAddResult>;
  /** Whether a txid is pending (lets relay re-announce txs a reorg put back). */
  has?(txid: Uint8Array): boolean;
}

/** Misbehaviour points for a transaction only a broken or hostile sender makes. */
export const INVALID_TX_POINTS = 1;
/** Mempool rejections only a broken or hostile sender causes (the rest — nonce races, funds, full — are honest). */
const BAD_TX_CODES = new Set(['bad-size', 'bad-tx-sig']);
/** Rejections that will not change: remembered so the tx is not checked again. */
const FINAL_TX_CODES = new Set(['bad-size', 'bad-tx-sig', 'duplicate']);

export interface TxRelayStats {
  txsReceived: number;
  txsAccepted: number;
  relayedTxs: number;
}

export interface TxRelayDeps {
  net: PeerNetwork;
  core: Pick<Core, 'sha256d'>;
  mempool?: MempoolLike;
  log: Logger;
  /** Where penalties go (sync's peer table counts them). */
  penalize(peer: Peer, points: number, reason: string): void;
}

export class TxRelay {
  private readonly recent = new RecentSet(16_384);
  private running = false;
  readonly stats: TxRelayStats = { txsReceived: 0, txsAccepted: 0, relayedTxs: 0 };

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
    if (!mempool) return { accepted: false, code: 'no-mempool', reason: 'node has no mempool' };
    const res = await mempool.add(bytes);
    if (res.accepted) {
      const key = toHex(this.d.core.sha256d(bytes));
      this.recent.add(key);
      this.stats.relayedTxs += this.d.net.broadcast({ type: MsgType.TX, tx: bytes }, { key });
    }
    return res;
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
    if (tx.length !== TX_SIZE) return this.d.penalize(peer, INVALID_TX_POINTS, 'sync-tx-size');
    const key = toHex(this.d.core.sha256d(tx));
    this.d.net.markSeen(peer, key);
    if (this.recent.has(key)) return;
    void (async () => {
      const res = await mempool.add(tx);
      if (!this.running) return;
      if (res.accepted) {
        this.recent.add(key);
        this.stats.txsAccepted++;
        this.stats.relayedTxs += this.d.net.broadcast({ type: MsgType.TX, tx }, { exclude: peer, key });
        return;
      }
      if (FINAL_TX_CODES.has(res.code ?? '')) this.recent.add(key);
      if (BAD_TX_CODES.has(res.code ?? '')) this.d.penalize(peer, INVALID_TX_POINTS, `sync-tx-invalid:${res.code}`);
    })().catch((err: unknown) => this.d.log.error({ err }, 'tx processing failed'));
  }
}
