import { addressOf, type KeyPair } from './chain/tx.js';
import type { Tx } from './chain/types.js';
export declare const WALLET_FILE = "wallet.json";
export interface WalletKey {
    address: string;
    publicKey: string;
    seed: string;
    createdAt: string;
}
export { addressOf };
export declare function sha256d(b: Uint8Array): Uint8Array;
export declare function generateKey(): WalletKey;
/** The usable key pair; refuses a hand-edited entry whose seed does not give its address. */
export declare function keyPair(key: WalletKey): KeyPair;
export declare function walletPath(dataDir: string): string;
export declare function loadWallet(dataDir: string): WalletKey[];
/** Adds a fresh key to the wallet and returns it. */
export declare function newKey(dataDir: string): WalletKey;
/** The first key, created when the wallet is empty (the miner's default payout address). */
export declare function defaultKey(dataDir: string): WalletKey;
export declare function findKey(dataDir: string, address?: string): WalletKey;
/** "1.5" BLOOM → 150000000 units; at most 8 decimals. */
export declare function parseAmount(s: string, option?: string): bigint;
export declare function formatAmount(units: bigint): string;
export declare const txid: (tx: Tx) => Uint8Array;
export interface TxRequest {
    to: string;
    amount: bigint;
    fee: bigint;
    nonce: bigint;
}
export declare function buildSignedTx(key: WalletKey, req: TxRequest, magic: number): {
    tx: Tx;
    bytes: Uint8Array;
    txid: Uint8Array;
};
