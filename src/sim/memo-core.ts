// Simulator only: one PHASE frame reaches every mesh peer of its sender (6–12 simulated nodes), and each
// of them decodes it and hashes its phases. Both are pure functions of the bytes, so the simulator answers
// repeats from a small table: no node decides differently, and each repeat saves an off-heap ArrayBuffer
// (the dominant cost at 10,000 nodes: docs/sim/scale.md). Never used by a real node.
import type { Core, PhaseState } from '../core/types.js';

/** Slots per table (direct-mapped: a colliding newcomer replaces the old entry). */
const SLOTS = 1 << 12;
/** Only inputs up to this size are remembered (PHASE states, headers); larger ones go straight through. */
const MAX_KEY = 4096;

interface Slot<T> {
  key: Uint8Array;
  value: T;
}

/** FNV-1a over the bytes. */
function fnv(b: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  return h >>> 0;
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
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
    const i = fnv(bytes) & (SLOTS - 1);
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
