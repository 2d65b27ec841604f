// PHASE aggregation (docs/gossip.md): per gossip round a node forwards one k-way merge (seed 2.5) of the
// improved states it received in place of each one, or the best of them as is when merging would lose r
// (states out of phase). Pure: the manager owns the clock, peers and sockets.
import { RELAY_THRESHOLD } from '../constants.js';
import type { Core } from '../core/types.js';
import { InputError } from '../errors.js';

export type RelayMode = 'flood' | 'aggregate';
export const RELAY_MODES: readonly RelayMode[] = Object.freeze(['flood', 'aggregate']);
export const DEFAULT_RELAY: RelayMode = 'aggregate';

/** States merged into one aggregate at most; past it the highest r are kept (never first come). */
export const AGGREGATE_MAX_INPUTS = 16;

/**
 * A merge whose r falls more than this below its best input's is not sent; the best input goes as is
 * (docs/gossip.md "Merge or forward"). Seed 2.6's relay threshold: a loss larger than what counts as an
 * improvement would relay a state worse than the improvement that was received.
 */
export const MERGE_MAX_LOSS = RELAY_THRESHOLD;

export function parseRelayMode(name: string): RelayMode {
  const s = name.trim().toLowerCase();
  if ((RELAY_MODES as readonly string[]).includes(s)) return s as RelayMode;
  throw new InputError('bad-relay-mode', `unknown relay mode "${name}" (expected flood or aggregate)`);
}

/** One improving state taken this round (decoded wire form, so at most 256 phases). */
export interface AggregateInput {
  phases: Float64Array;
  r: number;
}

/** The aggregate as it goes on the wire, with what it was built from. */
export interface Aggregate {
  /** Canonical `<ffI{n}f` encoding (seed 2.1). */
  state: Uint8Array;
  phases: Float64Array;
  r: number;
  psi: number;
  /** Inputs merged (after the budget); 1 when one input went as is. */
  inputs: number;
  /** The input sent as is (the only one, or the merge lost more than MERGE_MAX_LOSS); null for a merge. */
  forwarded: AggregateInput | null;
}

/** The budget rule: highest r first, ties in arrival order (a stable sort). */
export function selectInputs<T extends { r: number }>(inputs: readonly T[], max = AGGREGATE_MAX_INPUTS): T[] {
  return inputs
    .filter((i) => Number.isFinite(i.r))
    .slice()
    .sort((a, b) => b.r - a.r)
    .slice(0, Math.max(1, max));
}

/**
 * Seed 2.5's mergePhaseStates over the selected inputs, highest r first (it anchors the merge at weight 1),
 * each further one at weight 1 so the result is their circular mean, then re-encoded canonically. When the
 * merge's r is more than maxLoss below the best input's (inputs out of phase with each other), the best
 * input is sent instead, as is (the same canonical form, r recomputed from its phases as for one input).
 */
export function buildAggregate(
  core: Pick<Core, 'mergePhaseStates' | 'orderParameter' | 'encodePhaseState'>,
  inputs: readonly AggregateInput[],
  max = AGGREGATE_MAX_INPUTS,
  maxLoss = MERGE_MAX_LOSS,
): Aggregate | null {
  const chosen = selectInputs(
    inputs.filter((i) => i.phases.length > 0),
    max,
  );
  if (chosen.length === 0) return null;
  const best = chosen[0]!;
  // a merge of one is the input itself, with r the order parameter of its phases (seed 2.5): no merge call
  const alone = core.orderParameter(best.phases);
  let merged: { phases: Float64Array; r: number } = { phases: best.phases, r: alone.r };
  let psi = alone.psi;
  let forwarded: AggregateInput | null = best;
  if (chosen.length > 1) {
    const all = core.mergePhaseStates(chosen.map((i) => ({ phases: i.phases, r: i.r, weight: 1 })));
    if (!(all.r < alone.r - maxLoss)) {
      merged = all;
      forwarded = null;
      psi = core.orderParameter(all.phases).psi;
    }
  }
  const r = Math.min(1, Math.max(0, merged.r)); // float rounding can put |mean| a hair above 1
  const state = core.encodePhaseState(merged.phases, r, psi);
  return { state, phases: merged.phases, r, psi, inputs: forwarded ? 1 : chosen.length, forwarded };
}

/** The improving states of the current round: the best (highest r) per source, cleared by take(). */
export class AggregateRound<K> {
  private inputs = new Map<K, AggregateInput>();

  add(source: K, input: AggregateInput): void {
    const prev = this.inputs.get(source);
    if (!prev || input.r > prev.r) this.inputs.set(source, input);
  }

  get size(): number {
    return this.inputs.size;
  }

  /** Where this round's inputs came from. */
  sources(): K[] {
    return [...this.inputs.keys()];
  }

  /** The round's inputs, and a fresh round. */
  take(): AggregateInput[] {
    return this.takeEntries().map(([, input]) => input);
  }

  /** The round's inputs with their sources, and a fresh round. */
  takeEntries(): [K, AggregateInput][] {
    const out = [...this.inputs.entries()];
    this.inputs.clear();
    return out;
  }

  clear(): void {
    this.inputs.clear();
  }
}
