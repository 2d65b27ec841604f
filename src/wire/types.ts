// Message shapes of the wire protocol (types only; the codec lives beside this file).
// The wire knows nothing of peers or the chain: blocks, txs and phase states travel as bytes.

export const MsgType = {
  VERSION: 0x01,
  VERACK: 0x02,
  GETADDR: 0x03,
  ADDR: 0x04,
  PING: 0x05,
  PONG: 0x06,
  GETBLOCKS: 0x10,
  BLOCKS: 0x11,
  GETDATA: 0x12,
  BLOCK: 0x13,
  TX: 0x14,
  PHASE: 0x20,
  GETPHASE: 0x21,
  COHERENCE: 0x22,
  BLOOM: 0x30,
} as const;
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
export interface VerackMsg { type: typeof MsgType.VERACK }
export interface GetAddrMsg { type: typeof MsgType.GETADDR }
export interface NetAddr { host: string; port: number; /** unix seconds */ lastSeen: number }
export interface AddrMsg { type: typeof MsgType.ADDR; addrs: NetAddr[] }
export interface PingMsg { type: typeof MsgType.PING; nonce: bigint }
export interface PongMsg { type: typeof MsgType.PONG; nonce: bigint }
export interface GetBlocksMsg { type: typeof MsgType.GETBLOCKS; start: number; count: number }
/** Full fixed-size headers (HEADER_SIZE bytes each), at most 500. */
export interface BlocksMsg { type: typeof MsgType.BLOCKS; headers: Uint8Array[] }
/** 32-byte block hashes. */
export interface GetDataMsg { type: typeof MsgType.GETDATA; hashes: Uint8Array[] }
export interface BlockMsg { type: typeof MsgType.BLOCK; block: Uint8Array }
export interface TxMsg { type: typeof MsgType.TX; tx: Uint8Array }
/**
 * Raw `<ffI{n}f` phase state, structurally checked; decoded with core.decodePhaseState. As decoded it is
 * a view into the received frame: a handler that keeps it must copy it (gossip does not).
 */
export interface PhaseMsg { type: typeof MsgType.PHASE; state: Uint8Array }
export interface GetPhaseMsg { type: typeof MsgType.GETPHASE }
export interface CoherenceMsg { type: typeof MsgType.COHERENCE; r: number; psi: number; rounds: number }
/** A new block's hash and its coherence certificate bytes (docs/design.md). */
export interface BloomMsg { type: typeof MsgType.BLOOM; blockHash: Uint8Array; cert: Uint8Array }

export type Message =
  | VersionMsg | VerackMsg | GetAddrMsg | AddrMsg | PingMsg | PongMsg
  | GetBlocksMsg | BlocksMsg | GetDataMsg | BlockMsg | TxMsg
  | PhaseMsg | GetPhaseMsg | CoherenceMsg | BloomMsg;

export type MessageOf<T extends MsgTypeCode> = Extract<Message, { type: T }>;
