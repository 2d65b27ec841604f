// CPU time per hop in virtual time: each received frame costs what the benchmarks measured for its work
// (block validation, PHASE decode + merge, tx signature check), and a node works one frame at a time, so
// a busy node delays what queues behind it (docs/sim/scale.md).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { HEADER_SIZE, TX_SIZE } from '../constants.js';
import { grown } from '../columns.js';
import { CERT_SIZE } from '../chain/cert.js';
import { MsgType } from '../wire/types.js';

/** Per-item costs, ms. */
export interface CpuCosts {
  /** One sha256d of a header (a duplicate block is recognised by its hash). */
  sha256dMs: number;
  /** PHASE decode: fixed part and per oscillator. */
  phaseDecodeBaseMs: number;
  phaseDecodePerOscMs: number;
  /** One merge of a received state into the node's view. */
  phaseMergeMs: number;
  /** One ed25519 signature check. */
  txSigMs: number;
  /** chain.addBlock of a block without its signature checks (header, body rules, store, ledger). */
  blockBaseMs: number;
  /** Where the figures came from. */
  source: string;
}

/**
 * Fallbacks when bench/results.json lacks a row: the committed figures of 2026-11-25 (AMD EPYC, node 20),
 * rounded: wasm single sha256d 768k/s, wasm decodePhaseState 759k/s at n=64 and 37k/s at n=10000,
 * wasm merge 5.7M/s, inline signature checks 3340/s, inline addBlock of 20-tx blocks 112/s.
 */
export const FALLBACK_COSTS: CpuCosts = Object.freeze({
  sha256dMs: 1000 / 768_424,
  phaseDecodeBaseMs: 1.15e-3,
  phaseDecodePerOscMs: 2.59e-6,
  phaseMergeMs: 1000 / 5_718_623,
  txSigMs: 1000 / 3_338,
  blockBaseMs: 1000 / 111.9 - 20 * (1000 / 3_338),
  source: 'built-in constants (bench rows of 2026-11-25)',
});

interface BenchRow {
  kernel: string;
  size: number | string;
  impl: string;
  opsPerSec: number;
}

/** Reads the per-item costs from bench results (the committed bench/results.json by default), row by row with fallbacks. */
export function loadCpuCosts(file?: string): CpuCosts {
  const path = file ?? fileURLToPath(new URL('../../bench/results.json', import.meta.url));
  if (!existsSync(path)) return FALLBACK_COSTS;
  let rows: BenchRow[];
  try {
    const doc = JSON.parse(readFileSync(path, 'utf8')) as Record<string, { rows?: BenchRow[] }>;
    rows = Object.values(doc).flatMap((s) => (Array.isArray(s?.rows) ? s.rows : []));
  } catch {
    return FALLBACK_COSTS;
  }
  const ops = (kernel: string, impl: string, size?: number): number | null => {
    const r = rows.find((x) => x.kernel === kernel && x.impl === impl && (size === undefined || x.size === size));
    return r && r.opsPerSec > 0 ? r.opsPerSec : null;
  };
  const found: string[] = [];
  const ms = (v: number | null, fallback: number, name: string): number => {
    if (v === null) return fallback;
    found.push(name);
    return 1000 / v;
  };
  const f = FALLBACK_COSTS;
  const sha = ms(ops('sha256d 104 B', 'wasm single'), f.sha256dMs, 'sha256d');
  const d64 = ops('decodePhaseState', 'wasm', 64);
  const d10k = ops('decodePhaseState', 'wasm', 10000);
  let decBase = f.phaseDecodeBaseMs;
  let decPer = f.phaseDecodePerOscMs;
  if (d64 !== null && d10k !== null) {
    // a line through the two measured sizes
    const a = 1000 / d64;
    const b = 1000 / d10k;
    decPer = Math.max(0, (b - a) / (10000 - 64));
    decBase = Math.max(0, a - 64 * decPer);
    found.push('decodePhaseState');
  }
  const merge = ms(ops('mergePhaseStates (3 states)', 'wasm', 64), f.phaseMergeMs, 'mergePhaseStates');
  const sig = ms(ops('verify tx signatures (20-tx blocks)', 'inline'), f.txSigMs, 'verify tx signatures');
  const add = ops('addBlock (20-tx blocks)', 'inline');
  const blockBase = add === null ? f.blockBaseMs : Math.max(0, 1000 / add - 20 * sig);
  if (add !== null) found.push('addBlock');
  return {
    sha256dMs: sha,
    phaseDecodeBaseMs: decBase,
    phaseDecodePerOscMs: decPer,
    phaseMergeMs: merge,
    txSigMs: sig,
    blockBaseMs: blockBase,
    source: found.length ? `bench/results.json rows: ${found.join(', ')}` : f.source,
  };
}

const FRAME_HEADER = 5;
const BLOCK_FIXED = HEADER_SIZE + 20 + 4 + CERT_SIZE + 4;

/** Cost of one frame's payload at a node, ms; `firstBlock` says whether this node sees that block for the first time. */
export function frameCost(c: CpuCosts, type: number, payload: number, oscillators: number, firstBlock: boolean): number {
  switch (type) {
    case MsgType.BLOCK: {
      if (!firstBlock) return c.sha256dMs;
      const txs = Math.max(0, Math.floor((payload - BLOCK_FIXED) / TX_SIZE));
      return c.sha256dMs + c.blockBaseMs + txs * c.txSigMs;
    }
    case MsgType.PHASE:
      return c.phaseDecodeBaseMs + oscillators * c.phaseDecodePerOscMs + c.phaseMergeMs;
    case MsgType.TX:
      return c.txSigMs;
    default:
      return 0;
  }
}

/** Per-node FIFO of processing in virtual time. */
export class CpuModel {
  /** Node index → virtual ms until which it is busy. */
  private busyUntil = new Float64Array(0);
  /** Node index → total ms charged. */
  private busyTotal = new Float64Array(0);
  /** Block key → bit per node that has processed it in full. */
  private readonly seenBlocks = new Map<number, Uint8Array>();

  constructor(
    readonly costs: CpuCosts,
    private readonly blockKey: (chunk: Uint8Array, start: number) => number,
  ) {}

  /** Charges node `to` for every whole frame in the chunk; returns the virtual ms at which it has handled it. */
  admit(to: number, chunk: Uint8Array, now: number): number {
    if (to < 0) return now;
    if (to >= this.busyUntil.length) this.grow(to + 1);
    let cost = 0;
    let off = 0;
    while (off + FRAME_HEADER <= chunk.length) {
      const type = chunk[off]!;
      const len = chunk[off + 1]! | (chunk[off + 2]! << 8) | (chunk[off + 3]! << 16) | (chunk[off + 4]! * 0x1000000);
      const start = off + FRAME_HEADER;
      if (start + len > chunk.length) break;
      if (type === MsgType.BLOCK) cost += frameCost(this.costs, type, len, 0, len >= HEADER_SIZE && this.firstSight(to, this.blockKey(chunk, start)));
      else if (type === MsgType.PHASE) cost += frameCost(this.costs, type, len, len >= 12 ? Math.max(0, (len - 12) >> 2) : 0, false);
      else if (type === MsgType.TX) cost += frameCost(this.costs, type, len, 0, false);
      off = start + len;
    }
    const begin = Math.max(now, this.busyUntil[to]!);
    const done = begin + cost;
    this.busyUntil[to] = done;
    this.busyTotal[to]! += cost;
    return done;
  }

  /** Total processing time charged to a node, ms. */
  busyMs(index: number): number {
    return index < this.busyTotal.length ? this.busyTotal[index]! : 0;
  }

  /** Sum over all nodes, ms. */
  totalBusyMs(): number {
    let s = 0;
    for (const x of this.busyTotal) s += x;
    return s;
  }

  private firstSight(node: number, key: number): boolean {
    let seen = this.seenBlocks.get(key);
    if (!seen) this.seenBlocks.set(key, (seen = new Uint8Array((this.busyUntil.length + 7) >> 3)));
    if (seen.length * 8 <= node) {
      const bigger = new Uint8Array(((node + 1) * 2 + 7) >> 3);
      bigger.set(seen);
      this.seenBlocks.set(key, (seen = bigger));
    }
    const bit = 1 << (node & 7);
    if (seen[node >> 3]! & bit) return false;
    seen[node >> 3]! |= bit;
    return true;
  }

  private grow(n: number): void {
    const size = Math.max(n, this.busyUntil.length * 2);
    this.busyUntil = grown(this.busyUntil, size);
    this.busyTotal = grown(this.busyTotal, size);
  }
}
