// What the mempool takes and answers (sync's relay, the miner and the API read these).
import type { Core } from '../core/types.js';
import type { ErrorCode } from '../errors.js';
import type { PendingTxStore } from '../chain/store.js';
import type { Account, TipChange, Tx } from '../chain/types.js';

/** What the mempool needs of the chain. */
export interface MempoolChain {
  readonly core: Core;
  readonly profile: { magic: number };
  accountSync(address: Uint8Array): Account;
  onTip(cb: (c: TipChange) => void): void;
}

export interface MempoolOptions {
  /** Byte cap; past it the lowest-fee queue tails are evicted. Default 8 MiB. */
  maxBytes?: number;
  /** Subscribe to chain.onTip (default true). */
  subscribe?: boolean;
  /** Where accepted txs are kept across restarts (write-through; `restore()` reads it back). */
  store?: PendingTxStore;
}

export interface RestoreResult {
  restored: number;
  /** Records that no longer apply, did not fit, or were corrupt (all deleted from the store). */
  dropped: number;
  corrupt: number;
}

export interface MempoolEntry {
  id: Uint8Array;
  idHex: string;
  bytes: Uint8Array;
  tx: Tx;
  sender: Uint8Array;
  senderHex: string;
  /** amount + fee */
  cost: bigint;
  addedAt: number;
}

/**
 * Why a rejected tx is the sender's doing, for the relay: 'invalid' (its bytes can never be valid: bad
 * size or signature; the registry's txFault verdict) or 'unfundable' (the sender's confirmed balance
 * cannot pay it even alone: only a new block can change that). Nonce races and a full pool are honest.
 */
export type TxFault = 'invalid' | 'unfundable';

export interface MempoolAddResult {
  accepted: boolean;
  txid: Uint8Array;
  /** 'bad-size' | 'duplicate' | 'bad-tx-sig' | 'bad-tx-nonce' | 'insufficient-funds' | 'mempool-full' */
  code?: ErrorCode;
  reason?: string;
  /** Set on a rejection the sender caused (see TxFault); absent when it may be an honest race. */
  fault?: TxFault;
  /**
   * How long the relay may remember the txid as rejected without asking again: 'final' (never valid:
   * the registry's `final` verdict), 'tip' (until the tip changes: unfundable), absent (ask again).
   */
  rejectFor?: 'final' | 'tip';
}
