import type { Header, Tx } from '../chain/types.js';
import type { BlockInfo, MempoolEntry, NodeStatus, PeerInfo, TxInfo } from './types.js';
export declare const hex: (b: Uint8Array) => string;
export declare function headerJson(h: Header, hash?: Uint8Array): {
    version: number;
    height: number;
    prevHash: string;
    merkleRoot: string;
    certHash: string;
    timestamp: number;
    bits: string;
    nonce: number;
    hash?: string | undefined;
};
export declare function txJson(tx: Tx): {
    txid: string;
    from: string;
    fromAddress: string;
    to: string;
    amount: string;
    fee: string;
    nonce: string;
    signature: string;
};
export declare function blockJson(info: BlockInfo): {
    hash: string;
    height: number;
    size: number;
    mainChain: boolean;
    header: {
        version: number;
        height: number;
        prevHash: string;
        merkleRoot: string;
        certHash: string;
        timestamp: number;
        bits: string;
        nonce: number;
        hash?: string | undefined;
    };
    minerAddress: string;
    cert: {
        r: number;
        psi: number;
        rounds: number;
        phases: number[];
    };
    txs: {
        txid: string;
        from: string;
        fromAddress: string;
        to: string;
        amount: string;
        fee: string;
        nonce: string;
        signature: string;
    }[];
};
export declare function txInfoJson(info: TxInfo): {
    height?: number | undefined;
    blockHash?: string | undefined;
    status: "mempool" | "confirmed";
    txid: string;
    from: string;
    fromAddress: string;
    to: string;
    amount: string;
    fee: string;
    nonce: string;
    signature: string;
};
export declare function mempoolJson(entries: MempoolEntry[]): {
    count: number;
    bytes: number;
    txs: {
        addedAt: number;
        txid: string;
        from: string;
        fromAddress: string;
        to: string;
        amount: string;
        fee: string;
        nonce: string;
        signature: string;
    }[];
};
export declare function statusJson(s: NodeStatus): {
    tipHash: string;
    network: import("../constants.js").NetworkName;
    version: string;
    protocolVersion: number;
    userAgent: string;
    height: number;
    tipTime: number;
    peers: number;
    coherence: {
        r: number;
        psi: number;
    };
    coherenceRounds: number;
    networkCoherence: number;
    mining: boolean;
    syncing: boolean;
    sync: import("./types.js").SyncProgress;
    uptimeSec: number;
    listen?: string;
};
export declare const peerJson: (p: PeerInfo) => {
    id: number;
    address: string;
    inbound: boolean;
    version: number;
    userAgent: string;
    height: number;
    coherence: number;
    lastSeen: number;
    connectedAt: number;
    bytesIn: number;
    bytesOut: number;
    msgsIn: number;
    msgsOut: number;
    score: number;
    pingMs: number | null;
};
/** Decoded header plus its hash (sha256d of the serialized bytes). */
export declare function rawHeaderJson(bytes: Uint8Array, decode: (b: Uint8Array) => Header): {
    version: number;
    height: number;
    prevHash: string;
    merkleRoot: string;
    certHash: string;
    timestamp: number;
    bits: string;
    nonce: number;
    hash?: string | undefined;
};
