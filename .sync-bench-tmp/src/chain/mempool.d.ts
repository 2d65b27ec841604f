import type { Core } from '../core/types.js';
import type { Account, Block, TipChange, Tx } from './types.js';
/** What the mempool needs of the chain. */
export interface MempoolChain {
    readonly core: Core;
    readonly profile: {
        magic: number;
    };
    accountSync(address: Uint8Array): Account;
    onTip(cb: (c: TipChange) => void): void;
}
export interface MempoolOptions {
    /** Byte cap; past it the lowest-fee queue tails are evicted. Default 8 MiB. */
    maxBytes?: number;
    /** Subscribe to chain.onTip (default true). */
    subscribe?: boolean;
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
export interface MempoolAddResult {
    accepted: boolean;
    txid: Uint8Array;
    /** 'bad-size' | 'duplicate' | 'bad-tx-sig' | 'bad-tx-nonce' | 'insufficient-funds' | 'mempool-full' */
    code?: string;
    reason?: string;
}
export declare class Mempool {
    private readonly chain;
    private readonly byId;
    /** sender hex → entries in nonce order (consecutive from the account nonce). */
    private readonly bySender;
    private readonly maxBytes;
    constructor(chain: MempoolChain, opts?: MempoolOptions);
    get size(): number;
    get bytes(): number;
    has(id: Uint8Array): boolean;
    get(id: Uint8Array): MempoolEntry | undefined;
    /** All entries (API listing), in arrival order. */
    list(limit?: number): MempoolEntry[];
    /** Pending nonce for a sender: account nonce + queued txs. */
    nextNonce(address: Uint8Array): bigint;
    add(bytes: Uint8Array): MempoolAddResult;
    /**
     * Up to `max` transactions, highest fee first among each sender's next nonce, so every
     * sender's txs stay in nonce order.
     */
    select(max: number): Uint8Array[];
    /** Drops a block's transactions and anything they made stale. */
    removeConfirmed(block: Block): void;
    /** Puts back transactions of disconnected blocks (signatures already checked when first seen). */
    readd(txs: readonly (Tx | Uint8Array)[]): void;
    /** onTip handler: undo first (its txs come back), then drop what the new blocks confirmed. */
    handleTipChange(c: TipChange): void;
    private entry;
    private insert;
    private remove;
    /** Keeps the longest prefix of the sender's queue that is consecutive from its nonce and affordable. */
    private revalidate;
    /** Evicts the lowest-fee queue tail until under the byte cap (tails only, so queues stay gapless). */
    private enforceCap;
}
