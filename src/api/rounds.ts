// The console's r-per-round series: the miner's last rounds and the tips that arrived meanwhile (bounded rings).
import type { RoundSample } from '../miner/miner.js';
import type { RoundsSnapshot, TipMark } from './types.js';

/** Rounds kept: one minute at the devnet's 100 ms interval, ~6 minutes at mainnet's 618 ms. */
export const ROUND_SERIES_LEN = 600;
export const TIP_MARKS_LEN = 128;

export class RoundSeries {
  private readonly rounds: RoundSample[] = [];
  private readonly tips: TipMark[] = [];

  constructor(
    private readonly capacity = ROUND_SERIES_LEN,
    private readonly tipCapacity = TIP_MARKS_LEN,
  ) {}

  round(s: RoundSample): void {
    this.rounds.push(s);
    if (this.rounds.length > this.capacity) this.rounds.shift();
  }

  tip(m: TipMark): void {
    this.tips.push(m);
    if (this.tips.length > this.tipCapacity) this.tips.shift();
  }

  /** Rounds numbered above `since` (the newest `limit` of them) and the tips since the oldest round kept. */
  since(since: number, limit: number): RoundsSnapshot {
    let i = this.rounds.length;
    while (i > 0 && this.rounds[i - 1]!.round > since) i--;
    const rounds = this.rounds.slice(Math.max(i, this.rounds.length - limit));
    const from = this.rounds[0]?.t ?? -Infinity; // no rounds (not mining): every tip kept
    return { rounds, tips: this.tips.filter((m) => m.t >= from) };
  }
}
