// Simulator only: one PHASE frame reaches every mesh peer of its sender (6–12 simulated nodes), and each
// of them decodes it and hashes its phases. Both are pure functions of the bytes, so the simulator answers
// repeats from a small table: no node decides differently, and each repeat saves an off-heap ArrayBuffer
// (the dominant cost at 10,000 nodes: docs/sim/scale.md). Never used by a real node.
import { Buffer } from 'node:buffer';
import type { Core, PhaseState } from '../core/types.js';

/** Slots per table (direct-mapped: a colliding newcomer replaces the old entry). */
const SLOTS = 1 << 12;
/** Only inputs up to this size are remembered (PHASE states, headers); larger ones go straight through. */
const MAX_KEY = 4096;

interface Slot<T> {
  key: Uint8Array;
  value: T;
}

/** Bytes at each end of the input that pick its slot (a PHASE's r, ψ, n and first phases; its last phases). */
const HEAD = 32;
const TAIL = 16;

/**
 * FNV-1a over the length and the input's first and last bytes only: a slot is a hint, `same` decides, so
 * the hash need not read the whole kilobyte of a PHASE (reading it was 1.3 µs a lookup, two per frame).
 */
function slotHash(b: Uint8Array): number {
  const n = b.length;
  let h = Math.imul(0x811c9dc5 ^ n, 0x01000193);
  const head = Math.min(n, HEAD);
  for (let i = 0; i < head; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  for (let i = Math.max(head, n - TAIL); i < n; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  return h >>> 0;
}

/** Whole-content equality: Node's memcmp (a JS loop over a kilobyte was 8× slower). */
function same(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

/** Counters, for the test and the docs. */
export interface MemoStats {
  decodeHits: number;
  decodeMisses: number;
  hashHits: number;
  hashMisses: number;
}

/** A direct-mapped table of recent answers of a pure function of bytes, keyed by a private copy. */
function remembered<T>(f: (b: Uint8Array) => T, onHit: () => void, onMiss: () => void, copyOut: (v: T) => T): (b: Uint8Array) => T {
  const slots: (Slot<T> | undefined)[] = new Array(SLOTS);
  return (bytes) => {
    if (bytes.length > MAX_KEY) return f(bytes);
    const i = slotHash(bytes) & (SLOTS - 1);
    const s = slots[i];
    if (s && same(s.key, bytes)) {
      onHit();
      return copyOut(s.value);
    }
    const value = f(bytes); // a throw (a malformed state) remembers nothing
    onMiss();
    slots[i] = { key: bytes.slice(), value: copyOut(value) };
    return value;
  };
}

/**
 * A Core whose decodePhaseState and sha256d remember recent answers by content (the key is a private copy,
 * so a caller mutating its bytes later cannot poison the table). A remembered PhaseState is shared by the
 * nodes that decode the same bytes: nothing in the node writes to a decoded peer state (it is read, merged
 * and incorporated by copy). sha256d answers are copied out, as callers may keep or change them.
 */
export function memoCore(core: Core): Core & { memoStats: MemoStats } {
  const stats: MemoStats = { decodeHits: 0, decodeMisses: 0, hashHits: 0, hashMisses: 0 };
  const out = Object.create(core) as Core & { memoStats: MemoStats };
  out.memoStats = stats;
  // a decoded state is shared by the nodes that decode the same bytes (never written to); digests are copied
  out.decodePhaseState = remembered(
    (b) => core.decodePhaseState(b),
    () => void stats.decodeHits++,
    () => void stats.decodeMisses++,
    (v) => v,
  );
  out.sha256d = remembered(
    (b) => core.sha256d(b),
    () => void stats.hashHits++,
    () => void stats.hashMisses++,
    (v) => v.slice(),
  );
  return out;
}
