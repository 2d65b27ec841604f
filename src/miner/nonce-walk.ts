// Walks a nonce space in ranges with the next range already queued behind the one grinding, so a
// pool's workers go from one range straight to the next instead of waiting for this thread between
// them (issue 18: 13–15 % of worker time was spent idle between ranges). Results are taken in
// range order, so the answer is the lowest find, as with one range after another.

/** One range's answer: the nonce found (−1: none) and the hashes computed when known. */
export interface RangeAnswer {
  nonce: number;
  hashes: number | undefined;
}

export interface WalkOptions {
  /** First nonce (inclusive) and end (exclusive) of the space. */
  start: number;
  end: number;
  /** Stops the walk; the ranges in flight are aborted. */
  signal: AbortSignal;
  /** Ranges in flight at once: 2 for a worker pool, 1 on the calling thread. */
  depth: number;
  /** Size of the next range to dispatch (read at each dispatch, so the caller can adapt it). */
  rangeSize(): number;
  /** Searches one range; must settle soon after its signal aborts. */
  grind(start: number, count: number, signal: AbortSignal): Promise<RangeAnswer>;
  /** After each range settles: where it started, its size, answer and the time it had the workers to itself. */
  onRange?(start: number, count: number, answer: RangeAnswer, ms: number): void;
  /** Time source (the miner's injected clock). */
  now(): number;
  /** Whether to keep going (checked before each dispatch). */
  running?(): boolean;
}

interface Flight {
  start: number;
  count: number;
  stop: AbortController;
  answer: Promise<RangeAnswer>;
}

/** Resolves with the lowest nonce found in [start, end), or −1 when none is or the walk stopped. */
export async function walkNonces(o: WalkOptions): Promise<number> {
  const flights: Flight[] = [];
  let next = o.start;
  const live = (): boolean => !o.signal.aborted && (o.running?.() ?? true);
  const launch = (): void => {
    const count = Math.min(Math.max(1, Math.floor(o.rangeSize())), o.end - next);
    const stop = new AbortController();
    const onAbort = (): void => stop.abort();
    o.signal.addEventListener('abort', onAbort, { once: true });
    const answer = o.grind(next, count, stop.signal).finally(() => o.signal.removeEventListener('abort', onAbort));
    answer.catch(() => undefined); // awaited in order below; a later flight's rejection is not unhandled
    flights.push({ start: next, count, stop, answer });
    next += count;
  };
  const drop = async (): Promise<void> => {
    for (const f of flights) f.stop.abort();
    await Promise.allSettled(flights.map((f) => f.answer));
    flights.length = 0;
  };
  let since = o.now();
  try {
    while (live() && next < o.end && flights.length < o.depth) launch();
    while (flights.length > 0) {
      const f = flights[0]!;
      const answer = await f.answer;
      flights.shift();
      const now = o.now();
      // the queued range started when this one's workers freed up: time is completion to completion
      o.onRange?.(f.start, f.count, answer, now - since);
      since = now;
      if (answer.nonce >= 0) return answer.nonce;
      if (!live()) return -1;
      while (next < o.end && flights.length < o.depth) launch();
    }
    return -1;
  } finally {
    await drop();
  }
}
