// Seed 2.6: relay a phase state only when it is new or its r improved by more than 0.02.
import { RELAY_THRESHOLD } from '../constants.js';
/** Past this many remembered states, prune (seed 2.6). */
export const RELAY_MAX_ENTRIES = 1000;
/** Pruning keeps this many states, the highest r first (seed 2.6). */
export const RELAY_KEEP = 500;
/** Memory of phase states seen (hash of the phases → best r), bounded by pruning. */
export class PhaseRelayProtocol {
    seen = new Map();
    threshold;
    maxEntries;
    keep;
    /** How many times the table was pruned. */
    prunes = 0;
    constructor(opts = {}) {
        this.threshold = opts.threshold ?? RELAY_THRESHOLD;
        this.maxEntries = opts.maxEntries ?? RELAY_MAX_ENTRIES;
        this.keep = opts.keep ?? RELAY_KEEP;
    }
    /** The seed's should_relay: records r when it returns true. */
    shouldRelay(r, phasesHash) {
        const prev = this.seen.get(phasesHash);
        if (prev !== undefined && r <= prev + this.threshold)
            return false;
        this.seen.set(phasesHash, r);
        if (this.seen.size > this.maxEntries)
            this.prune();
        return true;
    }
    /** Remember a state without relaying it (our own shares, so echoes are not relayed). */
    remember(r, phasesHash) {
        const prev = this.seen.get(phasesHash);
        if (prev === undefined || r > prev)
            this.seen.set(phasesHash, r);
        if (this.seen.size > this.maxEntries)
            this.prune();
    }
    has(phasesHash) {
        return this.seen.has(phasesHash);
    }
    get(phasesHash) {
        return this.seen.get(phasesHash);
    }
    get size() {
        return this.seen.size;
    }
    prune() {
        // Stable sort: among equal r the earlier-seen entries stay, as Python's sorted() does.
        const top = [...this.seen.entries()].sort((a, b) => b[1] - a[1]).slice(0, this.keep);
        this.seen = new Map(top);
        this.prunes++;
    }
}
//# sourceMappingURL=relay.js.map