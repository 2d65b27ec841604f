// Misbehaviour remembered per host across reconnects, decaying (Core keeps it per connection; here a
// host that reconnects after each offence must not start from zero every time).
import { normalizeHost } from '../wire/ip.js';

export class ScoreMemory {
  private readonly byHost = new Map<string, { score: number; at: number }>();

  constructor(
    private readonly halfLifeMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  /** What is left of the host's points at `now` (halved every half-life). */
  get(host: string, now: number): number {
    const e = this.byHost.get(normalizeHost(host));
    if (!e) return 0;
    const left = e.score * 0.5 ** (Math.max(0, now - e.at) / this.halfLifeMs);
    return left < 1 ? 0 : Math.floor(left);
  }

  set(host: string, score: number, now: number): void {
    const h = normalizeHost(host);
    this.byHost.delete(h); // re-insert: Map order is oldest first for eviction
    this.byHost.set(h, { score, at: now });
    if (this.byHost.size > this.maxEntries) this.byHost.delete(this.byHost.keys().next().value as string);
  }

  get size(): number {
    return this.byHost.size;
  }
}
