import { describe, expect, it } from 'vitest';
import { BlockScheduler, type Candidate } from '../src/sync/scheduler.js';
import { RateMeter } from '../src/rate.js';

const hashOf = (h: number): Uint8Array => {
  const b = new Uint8Array(32);
  new DataView(b.buffer).setUint32(0, h, true);
  b[31] = 0xaa;
  return b;
};
const hexOf = (h: number): string => Buffer.from(hashOf(h)).toString('hex');
const cands = (from: number, to: number): Candidate[] => {
  const out: Candidate[] = [];
  for (let h = from; h <= to; h++) out.push({ height: h, hash: hashOf(h) });
  return out;
};

describe('BlockScheduler.assign', () => {
  it('hands out contiguous batches of 10 round-robin up to each window', () => {
    const s = new BlockScheduler({ initialWindow: 2 });
    s.addPeer(1, 1000, 0);
    s.addPeer(2, 1000, 0);
    const a = s.assign(cands(1, 100), 0);
    expect(a.map((x) => x.hashes.length)).toEqual([10, 10, 10, 10]);
    expect(a.map((x) => x.peerId)).toEqual([1, 2, 1, 2]);
    expect(a.flatMap((x) => x.heights)).toEqual(cands(1, 40).map((c) => c.height));
    expect(s.inFlightCount).toBe(40);
    // windows full: nothing more until something completes
    expect(s.assign(cands(1, 100), 0)).toEqual([]);
  });

  it('skips hashes already in flight and never asks a peer above its height', () => {
    const s = new BlockScheduler({ initialWindow: 4 });
    s.addPeer(1, 15, 0);
    const a = s.assign(cands(1, 40), 0);
    expect(a.flatMap((x) => x.heights)).toEqual(cands(1, 15).map((c) => c.height));
    expect(a.map((x) => x.hashes.length)).toEqual([10, 5]);
    s.addPeer(2, 40, 0);
    const b = s.assign(cands(1, 40), 0);
    expect(b.every((x) => x.peerId === 2)).toBe(true);
    expect(b[0]!.heights[0]).toBe(16);
  });

  it('stops at the first height nobody can take, keeping in-flight contiguous', () => {
    const s = new BlockScheduler({ initialWindow: 1 });
    s.addPeer(1, 5, 0); // short peer
    s.addPeer(2, 100, 0);
    const a = s.assign(cands(1, 100), 0);
    // peer 1 takes what it covers (1..5), peer 2 the next batch; then both windows are full → stop
    expect(a.map((x) => [x.peerId, x.heights[0], x.heights.length])).toEqual([[1, 1, 5], [2, 6, 10]]);
    expect(s.lowestInFlightHeight()).toBe(1);
    expect(s.inFlightCount).toBe(15);
  });

  it('respects maxOutstanding including buffered blocks', () => {
    const s = new BlockScheduler({ initialWindow: 16, maxOutstanding: 25 });
    s.addPeer(1, 1000, 0);
    const a = s.assign(cands(1, 100), 0, 5);
    expect(a.flatMap((x) => x.heights)).toHaveLength(20);
  });
});

describe('BlockScheduler windows and timeouts', () => {
  it('grows a window per completed request and prefers the faster peer', () => {
    const s = new BlockScheduler({ initialWindow: 1, maxWindow: 3 });
    s.addPeer(1, 1000, 0);
    s.addPeer(2, 1000, 0);
    const [a1] = s.assign(cands(1, 10), 0);
    expect(a1!.peerId).toBe(1);
    for (const h of a1!.heights) expect(s.received(hexOf(h), 1, 10).requested).toBe(true);
    expect(s.peerView(1)!.window).toBe(2);
    const next = s.assign(cands(11, 100), 20);
    // peer 1 completed more requests: it goes first and takes two batches
    expect(next[0]!.peerId).toBe(1);
    expect(next.filter((x) => x.peerId === 1)).toHaveLength(2);
    expect(next.filter((x) => x.peerId === 2)).toHaveLength(1);
  });

  it('a peer silent for 5 s stalls: hashes released to another peer, window halved, 30 s backoff', () => {
    const s = new BlockScheduler({ initialWindow: 4 });
    s.addPeer(1, 1000, 0);
    const a = s.assign(cands(1, 40), 0);
    expect(a).toHaveLength(4);
    expect(s.checkTimeouts(4_999)).toEqual([]);
    const st = s.checkTimeouts(5_001);
    expect(st).toEqual([{ peerId: 1, reason: 'block-timeout', released: 40, lostStanding: false }]);
    expect(s.inFlightCount).toBe(0);
    expect(s.peerView(1)!.window).toBe(2);
    s.addPeer(2, 1000, 5_001);
    const b = s.assign(cands(1, 40), 5_002);
    expect(b.every((x) => x.peerId === 2)).toBe(true);
    expect(b[0]!.heights[0]).toBe(1);
    // peer 1 is back after its backoff
    const s2 = s.assign(cands(1, 60), 35_002);
    expect(s2.some((x) => x.peerId === 1)).toBe(true);
  });

  it('progress resets the block timer, but the 30 s request limit still applies', () => {
    const s = new BlockScheduler({ initialWindow: 1 });
    s.addPeer(1, 1000, 0);
    const [a] = s.assign(cands(1, 10), 0);
    // one block every 4 s: never a block timeout, but request is open past 30 s
    let t = 0;
    for (let i = 0; i < 8; i++) {
      t += 4_000;
      s.received(hexOf(a!.heights[i]!), 1, t);
      if (t <= 30_000) expect(s.checkTimeouts(t)).toEqual([]);
    }
    const st = s.checkTimeouts(t);
    expect(st[0]!.reason).toBe('request-timeout');
    expect(st[0]!.released).toBe(2);
  });

  it('repeated stalls cost the peer its standing', () => {
    const s = new BlockScheduler({ initialWindow: 1, maxStalls: 3 });
    s.addPeer(1, 1000, 0);
    let t = 0;
    const lost: boolean[] = [];
    for (let i = 0; i < 3; i++) {
      expect(s.assign(cands(1, 10), t)).toHaveLength(1);
      t += 5_001;
      lost.push(s.checkTimeouts(t)[0]!.lostStanding);
      t += 30_000;
    }
    expect(lost).toEqual([false, false, true]);
    expect(s.hasStanding(1)).toBe(false);
    expect(s.assign(cands(1, 10), t + 100_000)).toEqual([]);
  });

  it('a late block from a stalled peer still satisfies the re-request', () => {
    const s = new BlockScheduler({ initialWindow: 1 });
    s.addPeer(1, 100, 0);
    s.addPeer(2, 100, 0);
    s.assign(cands(1, 10), 0); // peer 1 takes 1..10 (ids sort), peer 2 takes none (head 11 > candidates)
    s.checkTimeouts(6_000);
    const b = s.assign(cands(1, 10), 6_000);
    expect(b[0]!.peerId).toBe(2);
    const r = s.received(hexOf(1), 1, 6_100);
    expect(r).toEqual({ requested: true, height: 1, assignedTo: 2 });
    expect(s.received(hexOf(1), 2, 6_200).requested).toBe(false);
  });

  it('removePeer and lowestInFlightHeight', () => {
    const s = new BlockScheduler({ initialWindow: 2 });
    s.addPeer(1, 100, 0);
    s.addPeer(2, 100, 0);
    s.assign(cands(5, 44), 0);
    expect(s.lowestInFlightHeight()).toBe(5);
    expect(s.removePeer(1)).toBe(20);
    expect(s.lowestInFlightHeight()).toBe(15);
    expect(s.inFlightCount).toBe(20);
    s.clear();
    expect(s.lowestInFlightHeight()).toBe(Infinity);
  });
});

describe('RateMeter', () => {
  it('measures over its window with a bounded number of samples', () => {
    // the ground floor's meter, configured as sync's progress uses it
    const m = new RateMeter({ windowMs: 10_000, stepMs: 250, maxSamples: 1_000_000 });
    expect(m.rate()).toBe(0);
    for (let t = 0; t <= 20_000; t += 1) m.add(t / 100, t); // 10 units per second, a sample every ms
    expect(m.rate()).toBeCloseTo(10, 5);
    expect((m as unknown as { samples: unknown[] }).samples.length).toBeLessThanOrEqual(10_000 / 250 + 3);
  });
});

describe('BlockScheduler batching', () => {
  it('does not send a GETDATA for the one slot a processed block frees: it waits for a whole batch', () => {
    const s = new BlockScheduler({ initialWindow: 16, maxOutstanding: 40 });
    s.addPeer(1, 1000, 0);
    const a = s.assign(cands(1, 200), 0);
    expect(a.map((x) => x.hashes.length)).toEqual([10, 10, 10, 10]);
    // blocks 1..9 arrive: 9 slots free, not a batch yet
    for (let h = 1; h <= 9; h++) s.received(hexOf(h), 1, 1);
    expect(s.assign(cands(41, 200), 2)).toEqual([]);
    s.received(hexOf(10), 1, 3);
    const b = s.assign(cands(41, 200), 4);
    expect(b.map((x) => x.hashes.length)).toEqual([10]);
    // the end of the chain is asked for even when it is less than a batch
    for (let h = 11; h <= 20; h++) s.received(hexOf(h), 1, 5);
    expect(s.assign(cands(51, 53), 6).map((x) => x.hashes.length)).toEqual([3]);
  });
});

describe('AskLog (who was asked for which block)', () => {
  it('remembers every asker of a hash, forgets the oldest hashes past its cap', async () => {
    const { AskLog } = await import('../src/sync/util.js');
    const log = new AskLog(3);
    log.add(1, 'a');
    log.add(2, 'a'); // a re-request elsewhere after a stall
    log.add(1, 'b');
    expect([log.has(1, 'a'), log.has(2, 'a'), log.has(3, 'a'), log.has(1, 'b'), log.has(2, 'b')]).toEqual([true, true, false, true, false]);
    log.add(1, 'c');
    log.add(1, 'd'); // 'a' was the oldest first asker: forgotten
    expect(log.has(1, 'a')).toBe(false);
    expect([log.has(1, 'b'), log.has(1, 'c'), log.has(1, 'd')]).toEqual([true, true, true]);
  });
});
