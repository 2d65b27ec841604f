// Traffic meter on the simulated wire: bytes and frames by message type, duplicate deliveries, block hop counts.
import { HEADER_SIZE } from '../constants.js';
import { typeName } from '../wire/codec.js';
import { MsgType } from '../wire/types.js';

const FRAME_HEADER = 5;
/** Payload bytes hashed for duplicate detection of non-block messages. */
const KEY_BYTES = 96;

/** 53-bit FNV-1a-style hash of a byte range (identity of a frame payload; collisions are negligible here). */
export function hashKeyOf(b: Uint8Array, start = 0, end = b.length): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ (end - start);
  for (let i = start; i < end; i++) {
    const x = b[i]!;
    h1 = Math.imul(h1 ^ x, 0x01000193);
    h2 = Math.imul(h2 ^ x, 0x5bd1e995);
  }
  return (h1 >>> 0) * 2097152 + ((h2 >>> 11) & 0x1fffff);
}

/** Key of a block: its 118 header bytes (the same key the simulator derives from a connected block). */
export const blockKeyOfHeader = (header: Uint8Array): number => hashKeyOf(header, 0, HEADER_SIZE);

interface DupEntry {
  /** Bit per node index: has it been delivered to that node. */
  seen: Uint8Array;
}

export interface TypeTraffic {
  frames: number;
  bytes: number;
}

export interface DupStats {
  /** Distinct (message, receiving node) pairs. */
  unique: number;
  /** Deliveries beyond the first of the same message to the same node. */
  duplicates: number;
  /** duplicates / unique. */
  perDelivered: number;
}

/** Types whose duplicates are counted, keyed by payload (BLOCK by header). */
const DUP_TYPES: ReadonlySet<number> = new Set([MsgType.BLOCK, MsgType.PHASE, MsgType.BLOOM, MsgType.TX, MsgType.COHERENCE]);

export class WireMeter {
  readonly traffic = new Map<string, TypeTraffic>();
  totalBytes = 0;
  /** Chunks that did not parse as whole frames (the peer layer writes one frame per write; this should stay 0). */
  oddChunks = 0;
  private readonly dups = new Map<number, { entries: Map<number, DupEntry>; unique: number; duplicates: number }>();
  /** Block key → hop count per node index (−1 unknown). */
  private readonly hops = new Map<number, Int16Array>();
  private capacity: number;

  constructor(capacity: number) {
    this.capacity = Math.max(8, capacity);
  }

  /** Node indexes may grow with churn. */
  grow(capacity: number): void {
    this.capacity = Math.max(this.capacity, capacity);
  }

  /** ChunkObserver for MemoryNetwork. */
  observe = (from: number, to: number, chunk: Uint8Array): void => {
    this.totalBytes += chunk.length;
    let off = 0;
    while (off + FRAME_HEADER <= chunk.length) {
      const type = chunk[off]!;
      const len = chunk[off + 1]! | (chunk[off + 2]! << 8) | (chunk[off + 3]! << 16) | (chunk[off + 4]! * 0x1000000);
      const end = off + FRAME_HEADER + len;
      if (end > chunk.length) break;
      this.count(type, end - off);
      if (DUP_TYPES.has(type)) this.frame(type, from, to, chunk, off + FRAME_HEADER, end);
      off = end;
    }
    if (off !== chunk.length) {
      this.oddChunks++;
      this.count(-1, chunk.length - off);
    }
  };

  dupStats(): Record<string, DupStats> {
    const out: Record<string, DupStats> = {};
    for (const [type, d] of [...this.dups.entries()].sort((a, b) => a[0] - b[0])) {
      out[typeName(type)] = { unique: d.unique, duplicates: d.duplicates, perDelivered: d.unique ? d.duplicates / d.unique : 0 };
    }
    return out;
  }

  /** Hop count at which node `index` first received the block (0 = it sent it first: the miner); −1 if never. */
  hopsOf(blockKey: number): Int16Array | undefined {
    return this.hops.get(blockKey);
  }

  private count(type: number, bytes: number): void {
    const name = type < 0 ? 'partial' : typeName(type);
    let t = this.traffic.get(name);
    if (!t) this.traffic.set(name, (t = { frames: 0, bytes: 0 }));
    t.frames++;
    t.bytes += bytes;
  }

  private frame(type: number, src: number, dst: number, chunk: Uint8Array, start: number, end: number): void {
    if (dst < 0) return;
    // A block is its header; other payloads by their first KEY_BYTES (r, psi, n and the first phases of a PHASE).
    const key = hashKeyOf(chunk, start, Math.min(end, start + (type === MsgType.BLOCK ? HEADER_SIZE : KEY_BYTES)));
    let d = this.dups.get(type);
    if (!d) this.dups.set(type, (d = { entries: new Map(), unique: 0, duplicates: 0 }));
    let e = d.entries.get(key);
    if (!e) d.entries.set(key, (e = { seen: new Uint8Array((this.capacity + 7) >> 3) }));
    if (e.seen.length * 8 <= dst) {
      const bigger = new Uint8Array((this.capacity + 7) >> 3);
      bigger.set(e.seen);
      e.seen = bigger;
    }
    const bit = 1 << (dst & 7);
    if (e.seen[dst >> 3]! & bit) {
      d.duplicates++;
      return;
    }
    e.seen[dst >> 3]! |= bit;
    d.unique++;
    if (type === MsgType.BLOCK) this.hop(key, src, dst);
  }

  private hop(key: number, src: number, dst: number): void {
    let h = this.hops.get(key);
    if (!h) this.hops.set(key, (h = new Int16Array(this.capacity).fill(-1)));
    if (h.length <= Math.max(src, dst)) {
      const bigger = new Int16Array(this.capacity).fill(-1);
      bigger.set(h);
      this.hops.set(key, (h = bigger));
    }
    if (src >= 0 && h[src] === -1) h[src] = 0; // the sender had it without receiving it: it mined it
    if (h[dst] === -1) h[dst] = src >= 0 ? h[src]! + 1 : 1;
  }
}
