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

/**
 * The nodes a message was delivered to. An aggregate PHASE reaches a handful of mesh peers, a block every
 * node: a short list first (a few bytes per message; millions of distinct PHASE frames in a 10k-node
 * run), a bit per node once it has more than SPARSE_MAX receivers (a bitset per message cost 2.5 KB
 * each at 20,000 capacity: gigabytes of heap and most of the collector's work).
 */
const SPARSE_MAX = 16;

class SeenSet {
  private list: number[] | null = [];
  private bits: Uint8Array | null = null;

  /** Marks dst; false if it was already marked. */
  mark(dst: number, capacity: number): boolean {
    const list = this.list;
    if (list !== null) {
      for (let i = 0; i < list.length; i++) if (list[i] === dst) return false;
      if (list.length < SPARSE_MAX) {
        list.push(dst);
        return true;
      }
      let top = Math.max(capacity, dst + 1);
      for (const x of list) top = Math.max(top, x + 1);
      this.bits = new Uint8Array((top + 7) >> 3);
      for (const x of list) this.bits[x >> 3]! |= 1 << (x & 7);
      this.list = null;
    }
    let bits = this.bits!;
    if (bits.length * 8 <= dst) {
      const bigger = new Uint8Array((Math.max(capacity, dst + 1) + 7) >> 3);
      bigger.set(bits);
      this.bits = bits = bigger;
    }
    const bit = 1 << (dst & 7);
    if (bits[dst >> 3]! & bit) return false;
    bits[dst >> 3]! |= bit;
    return true;
  }
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
  private readonly dups = new Map<number, { entries: Map<number, SeenSet>; unique: number; duplicates: number }>();
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
    if (!e) d.entries.set(key, (e = new SeenSet()));
    if (!e.mark(dst, this.capacity)) {
      d.duplicates++;
      return;
    }
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
