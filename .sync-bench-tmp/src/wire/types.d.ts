export declare const MsgType: {
    readonly VERSION: 1;
    readonly VERACK: 2;
    readonly GETADDR: 3;
    readonly ADDR: 4;
    readonly PING: 5;
    readonly PONG: 6;
    readonly GETBLOCKS: 16;
    readonly BLOCKS: 17;
    readonly GETDATA: 18;
    readonly BLOCK: 19;
    readonly TX: 20;
    readonly PHASE: 32;
    readonly GETPHASE: 33;
    readonly COHERENCE: 34;
    readonly BLOOM: 48;
};
export type MsgTypeName = keyof typeof MsgType;
export type MsgTypeCode = (typeof MsgType)[MsgTypeName];
/** Optional fields after the seed's 20 VERSION bytes. */
export interface VersionExt {
    magic: number;
    /** Random per-process nonce; equal to ours means we dialled ourselves. */
    nonce: bigint;
    /** Total work of the sender's best chain. */
    chainWork: bigint;
    userAgent: string;
}
export interface VersionMsg {
    type: typeof MsgType.VERSION;
    version: number;
    height: number;
    /** Unix seconds. */
    timestamp: number;
    /** Listening port, 0 when not listening. */
    port: number;
    ext?: VersionExt;
}
export interface VerackMsg {
    type: typeof MsgType.VERACK;
}
export interface GetAddrMsg {
    type: typeof MsgType.GETADDR;
}
export interface NetAddr {
    host: string;
    port: number; /** unix seconds */
    lastSeen: number;
}
export interface AddrMsg {
    type: typeof MsgType.ADDR;
    addrs: NetAddr[];
}
export interface PingMsg {
    type: typeof MsgType.PING;
    nonce: bigint;
}
export interface PongMsg {
    type: typeof MsgType.PONG;
    nonce: bigint;
}
export interface GetBlocksMsg {
    type: typeof MsgType.GETBLOCKS;
    start: number;
    count: number;
}
/** Full fixed-size headers (HEADER_SIZE bytes each), at most 500. */
export interface BlocksMsg {
    type: typeof MsgType.BLOCKS;
    headers: Uint8Array[];
}
/** 32-byte block hashes. */
export interface GetDataMsg {
    type: typeof MsgType.GETDATA;
    hashes: Uint8Array[];
}
export interface BlockMsg {
    type: typeof MsgType.BLOCK;
    block: Uint8Array;
}
export interface TxMsg {
    type: typeof MsgType.TX;
    tx: Uint8Array;
}
/** Raw `<ffI{n}f` phase state, structurally checked; decoded with core.decodePhaseState. */
export interface PhaseMsg {
    type: typeof MsgType.PHASE;
    state: Uint8Array;
}
export interface GetPhaseMsg {
    type: typeof MsgType.GETPHASE;
}
export interface CoherenceMsg {
    type: typeof MsgType.COHERENCE;
    r: number;
    psi: number;
    rounds: number;
}
/** A new block's hash and its coherence certificate bytes (docs/design.md). */
export interface BloomMsg {
    type: typeof MsgType.BLOOM;
    blockHash: Uint8Array;
    cert: Uint8Array;
}
export type Message = VersionMsg | VerackMsg | GetAddrMsg | AddrMsg | PingMsg | PongMsg | GetBlocksMsg | BlocksMsg | GetDataMsg | BlockMsg | TxMsg | PhaseMsg | GetPhaseMsg | CoherenceMsg | BloomMsg;
export type MessageOf<T extends MsgTypeCode> = Extract<Message, {
    type: T;
}>;
