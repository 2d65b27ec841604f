import type { Account, Block } from './types.js';
export declare const ACCOUNT_SIZE = 16;
export declare function encodeAccount(a: Account): Uint8Array;
export declare function decodeAccount(b: Uint8Array): Account;
/** Reads an account by hex address; undefined when it never existed. */
export type AccountReader = (addressHex: string) => Account | undefined;
export interface BlockEffect {
    /** New state of every touched account (hex address → account). */
    writes: Map<string, Account>;
    /** Serialized previous state of those accounts (see encodeUndo). */
    undo: Uint8Array;
    fees: bigint;
}
/**
 * Applies the block's transactions in order, then credits subsidy + fees to the miner.
 * Throws 'bad-tx-nonce' or 'insufficient-funds' on the first tx that does not fit.
 */
export declare function applyBlock(read: AccountReader, block: Block): BlockEffect;
/** [count u32] then per account [address 20][present u8][account 16]. */
export declare function encodeUndo(before: Map<string, Account | undefined>): Uint8Array;
/** The previous state of each touched account; undefined means "delete". */
export declare function decodeUndo(b: Uint8Array): Map<string, Account | undefined>;
