// walkNonces: the miner's range walk with the next range queued behind the current one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CorePool } from '../src/core/pool.js';
import * as R from '../src/core/reference.js';
import { walkNonces, type RangeAnswer } from '../src/miner/nonce-walk.js';

interface Call {
  start: number;
  count: number;
  signal: AbortSignal;
  settle(a: RangeAnswer): void;
}

/** A grind whose ranges settle when the test says so. */
function manualGrind(): { calls: Call[]; grind(start: number, count: number, signal: AbortSignal): Promise<RangeAnswer> } {
  const calls: Call[] = [];
  return {
    calls,
    grind: (start, count, signal) =>
      new Promise<RangeAnswer>((resolve) => {
        const call = { start, count, signal, settle: resolve };
        calls.push(call);
        signal.addEventListener('abort', () => resolve({ nonce: -1, hashes: 0 }), { once: true });
      }),
  };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('walkNonces', () => {
  it('keeps the next range queued while one grinds, and times each range completion to completion', async () => {
    const g = manualGrind();
    let t = 0;
    const seen: [number, number, number][] = [];
    const done = walkNonces({
      start: 100,
      end: 100 + 4 * 50,
      signal: new AbortController().signal,
      depth: 2,
      rangeSize: () => 50,
      grind: g.grind,
      now: () => t,
      onRange: (start, count, _a, ms) => seen.push([start, count, ms]),
    });
    await tick();
    // two ranges in flight before the first settles: the workers never wait for this thread
    expect(g.calls.map((c) => c.start)).toEqual([100, 150]);
    t = 30;
    g.calls[0]!.settle({ nonce: -1, hashes: 50 });
    await tick();
    expect(g.calls.map((c) => c.start)).toEqual([100, 150, 200]);
    t = 70;
    g.calls[1]!.settle({ nonce: -1, hashes: 50 });
    await tick();
    t = 75;
    g.calls[2]!.settle({ nonce: -1, hashes: 50 });
    await tick();
    t = 100;
    g.calls[3]!.settle({ nonce: -1, hashes: 50 });
    expect(await done).toBe(-1);
    expect(g.calls.map((c) => [c.start, c.count])).toEqual([
      [100, 50],
      [150, 50],
      [200, 50],
      [250, 50],
    ]);
    expect(seen).toEqual([
      [100, 50, 30],
      [150, 50, 40],
      [200, 50, 5],
      [250, 50, 25],
    ]);
  });

  it('answers in range order (the lowest find) and aborts the range queued behind a find', async () => {
    const g = manualGrind();
    const done = walkNonces({
      start: 0,
      end: 1000,
      signal: new AbortController().signal,
      depth: 2,
      rangeSize: () => 100,
      grind: g.grind,
      now: () => 0,
    });
    await tick();
    // the later range finds first; the earlier one's find is lower and wins
    g.calls[1]!.settle({ nonce: 150, hashes: 51 });
    await tick();
    expect(g.calls).toHaveLength(2);
    g.calls[0]!.settle({ nonce: 42, hashes: 43 });
    expect(await done).toBe(42);
    const g2 = manualGrind();
    const done2 = walkNonces({ start: 0, end: 1000, signal: new AbortController().signal, depth: 2, rangeSize: () => 100, grind: g2.grind, now: () => 0 });
    await tick();
    g2.calls[0]!.settle({ nonce: 7, hashes: 8 });
    expect(await done2).toBe(7);
    expect(g2.calls[1]!.signal.aborted).toBe(true);
    expect(g2.calls).toHaveLength(2);
  });

  it('an abort stops every range in flight; depth 1 runs one range at a time', async () => {
    const g = manualGrind();
    const ac = new AbortController();
    const done = walkNonces({ start: 0, end: 2 ** 32, signal: ac.signal, depth: 1, rangeSize: () => 1 << 20, grind: g.grind, now: () => 0 });
    await tick();
    expect(g.calls).toHaveLength(1);
    ac.abort();
    expect(await done).toBe(-1);
    expect(g.calls[0]!.signal.aborted).toBe(true);
    expect(g.calls).toHaveLength(1);
  });
});

describe('walkNonces over a real CorePool', () => {
  let pool: CorePool;
  beforeAll(async () => {
    pool = await CorePool.create({ threads: 2 });
  });
  afterAll(async () => {
    await pool.close();
  });
  const header = new Uint8Array(118).map((_, i) => (i * 17 + 3) & 0xff);
  const walk = (target: Uint8Array, start: number, end: number, hashes: number[], range = 50_000) =>
    walkNonces({
      start,
      end,
      signal: new AbortController().signal,
      depth: 2,
      rangeSize: () => range,
      grind: async (s, count, signal) => {
        const r = await pool.search(header, target, { start: s, count, signal });
        return { nonce: r.nonce ?? -1, hashes: r.hashes };
      },
      now: () => performance.now(),
      onRange: (_s, _c, a) => hashes.push(a.hashes ?? 0),
    });

  it('hashes every nonce of the space exactly once when nothing qualifies', async () => {
    const hashes: number[] = [];
    expect(await walk(new Uint8Array(32), 1000, 1000 + 333_333, hashes)).toBe(-1);
    expect(hashes.reduce((a, b) => a + b, 0)).toBe(333_333);
  });

  it('finds the reference’s lowest nonce, ranges queued or not', async () => {
    const target = new Uint8Array(32).fill(0xff);
    target[0] = 0;
    target[1] = 1; // ~1 in 2^15: the find lies a few 5000-nonce ranges in
    const want = R.grindNonces(header, target, 0, 1 << 20);
    expect(want).toBeGreaterThan(2 * 5000);
    expect(await walk(target, 0, 1 << 20, [], 5000)).toBe(want);
  });
});
