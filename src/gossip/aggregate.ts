// PHASE aggregation (docs/gossip.md): per gossip round a node forwards one k-way merge (seed 2.5) of the
// improved states it received, in place of each one. Pure: the manager owns the clock, peers and sockets.
import type { Core } from '../core/types.js';
import { InputError } from '../errors.js';

export type RelayMode = 'flood' | 'aggregate';
export const RELAY_MODES: readonly RelayMode[] = Object.freeze(['flood', 'aggregate']);
export const DEFAULT_RELAY: RelayMode = 'aggregate';

/** States merged into one aggregate at most; past it the highest r are kept (never first come). */
export const AGGREGATE_MAX_INPUTS = 16;

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
  /** Inputs merged (after the budget). */
  inputs: number;
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
 * each further one at weight 1 so the result is their circular mean, then re-encoded canonically.
 */
export function buildAggregate(
  core: Pick<Core, 'mergePhaseStates' | 'orderParameter' | 'encodePhaseState'>,
  inputs: readonly AggregateInput[],
  max = AGGREGATE_MAX_INPUTS,
): Aggregate | null {
  const chosen = selectInputs(
    inputs.filter((i) => i.phases.length > 0),
    max,
  );
  if (chosen.length === 0) return null;
  const merged = core.mergePhaseStates(chosen.map((i) => ({ phases: i.phases, r: i.r, weight: 1 })));
  const { psi } = core.orderParameter(merged.phases);
  const r = Math.min(1, Math.max(0, merged.r)); // float rounding can put |mean| a hair above 1
  const state = core.encodePhaseState(merged.phases, r, psi);
  return { state, phases: merged.phases, r, psi, inputs: chosen.length };
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
    const out = [...this.inputs.values()];
    this.inputs.clear();
    return out;
  }

  clear(): void {
    this.inputs.clear();
  }
}
