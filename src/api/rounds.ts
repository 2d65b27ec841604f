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

  /**
   * Rounds numbered above `since` (the newest `limit` of them), and the tips from the start of round
   * `since` on (a poller sees each tip at most twice, never misses one); when round `since` is not
   * kept, the tips since the oldest round kept (all of them on a node that does not mine).
   */
  since(since: number, limit: number): RoundsSnapshot {
    let i = this.rounds.length;
    while (i > 0 && this.rounds[i - 1]!.round > since) i--;
    const rounds = this.rounds.slice(Math.max(i, this.rounds.length - limit));
    const last = i > 0 && this.rounds[i - 1]!.round === since ? this.rounds[i - 1] : undefined;
    const from = last?.t ?? this.rounds[0]?.t ?? -Infinity;
    return { rounds, tips: this.tips.filter((m) => m.t >= from) };
  }
}
