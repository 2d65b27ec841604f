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

/**
 * A Core whose decodePhaseState and sha256d remember recent answers by content (the key is a private copy,
 * so a caller mutating its bytes later cannot poison the table). A remembered PhaseState is shared by the
 * nodes that decode the same bytes: nothing in the node writes to a decoded peer state (it is read, merged
 * and incorporated by copy). sha256d answers are copied out, as callers may keep or change them.
 */
export function memoCore(core: Core): Core & { memoStats: MemoStats } {
  const decoded: (Slot<PhaseState> | undefined)[] = new Array(SLOTS);
  const hashed: (Slot<Uint8Array> | undefined)[] = new Array(SLOTS);
  const stats: MemoStats = { decodeHits: 0, decodeMisses: 0, hashHits: 0, hashMisses: 0 };
  const out = Object.create(core) as Core & { memoStats: MemoStats };
  out.memoStats = stats;
  out.decodePhaseState = (bytes: Uint8Array): PhaseState => {
    if (bytes.length > MAX_KEY) return core.decodePhaseState(bytes);
    const i = fnv(bytes) & (SLOTS - 1);
    const s = decoded[i];
    if (s && same(s.key, bytes)) {
      stats.decodeHits++;
      return s.value;
    }
    const value = core.decodePhaseState(bytes); // throws on a malformed state: nothing is remembered
    stats.decodeMisses++;
    decoded[i] = { key: bytes.slice(), value };
    return value;
  };
  out.sha256d = (data: Uint8Array): Uint8Array => {
    if (data.length > MAX_KEY) return core.sha256d(data);
    const i = fnv(data) & (SLOTS - 1);
    const s = hashed[i];
    if (s && same(s.key, data)) {
      stats.hashHits++;
      return s.value.slice();
    }
    const value = core.sha256d(data);
    stats.hashMisses++;
    hashed[i] = { key: data.slice(), value: value.slice() };
    return value;
  };
  return out;
}
