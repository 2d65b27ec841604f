// The chain's contract as seen by sync, miner, mempool users and the API (formats: docs/design.md).
import type { NetworkProfile } from '../constants.js';
import type { ReceivedBlock } from './received.js';

export interface Header {
  version: number;
  height: number;
  prevHash: Uint8Array;
  merkleRoot: Uint8Array;
  certHash: Uint8Array;
  /** ms since the epoch */
  timestamp: number;
  /** compact target */
  bits: number;
  nonce: number;
}

export interface Certificate {
  r: number;
  psi: number;
  rounds: number;
  /** CERT_PHASES phases, float32 precision. */
  phases: Float64Array;
}

export interface Tx {
  from: Uint8Array; // 32-byte ed25519 public key
  to: Uint8Array; // 20-byte address
  amount: bigint;
  fee: bigint;
  nonce: bigint;
  signature: Uint8Array; // 64 bytes
}

export interface Block {
  header: Header;
  minerAddress: Uint8Array;
  cert: Certificate;
  txs: Tx[];
}

export interface Tip {
  hash: Uint8Array;
  height: number;
  /** Cumulative work up to and including this block. */
  chainWork: bigint;
  header: Header;
}

export type AddBlockStatus =
  | 'connected' // extended the best chain
  | 'reorg' // became the best chain after a reorganisation
  | 'side' // stored on a side branch with less work
  | 'orphan' // parent unknown: held (bounded) until the parent arrives
  | 'duplicate'
  | 'invalid';

export interface AddBlockResult {
  status: AddBlockStatus;
  hash: Uint8Array;
  height: number;
  /** ValidationError code when invalid, e.g. 'bad-merkle-root', 'cert-below-zc'. */
  code?: string;
  reason?: string;
}

export interface AddHeadersResult {
  /** Headers new to us that passed header checks. */
  added: number;
  /** Set on the first header that fails; the rest are not looked at. */
  code?: string;
  reason?: string;
}

export interface Account {
  balance: bigint;
  nonce: bigint;
}

export interface TipChange {
  tip: Tip;
  connected: Block[];
  disconnected: Block[];
}

export interface ChainApi {
  readonly profile: NetworkProfile;
  /** Best fully validated block. */
  tip(): Tip;
  /** Best header known (may be ahead of tip() while blocks download). */
  headerTip(): Tip;
  /** Serialized main-chain headers at heights start … start+count−1 that exist (≤ count). */
  getHeadersRange(start: number, count: number): Promise<Uint8Array[]>;
  getHeaderByHeight(height: number): Promise<Header | undefined>;
  getHeader(hash: Uint8Array): Promise<Header | undefined>;
  getBlock(hash: Uint8Array): Promise<Block | undefined>;
  getBlockBytes(hash: Uint8Array): Promise<Uint8Array | undefined>;
  hasBlock(hash: Uint8Array): Promise<boolean>;
  /** Header-first: validate links, heights, timestamps, proof and target; store them. */
  addHeaders(headers: Uint8Array[]): Promise<AddHeadersResult>;
  /** Hashes on the best-header chain that have no block yet, lowest first. */
  missingBlocks(max: number, fromHeight?: number): Promise<{ height: number; hash: Uint8Array }[]>;
  /** Full validation, storage (one atomic batch) and fork choice. */
  addBlock(bytes: Uint8Array): Promise<AddBlockResult>;
  /** Blocks in order with addBlock's results, consecutive tip extensions connected in one batch each (ReceivedBlock: hashed once, bytes handed over). */
  addBlocks(blocks: readonly (Uint8Array | ReceivedBlock)[]): Promise<AddBlockResult[]>;
  getAccount(address: Uint8Array): Promise<Account>;
  /** Subscribe to best-chain changes. */
  onTip(cb: (change: TipChange) => void): void;
  close(): Promise<void>;
}
