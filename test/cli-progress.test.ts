// Sync progress: rate/ETA math, log lines off a terminal, a drawn bar on one.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { SyncProgressReporter, formatEta, watchSync } from '../src/progress.js';
import { RateMeter } from '../src/rate.js';

function captureLogger() {
  const lines: any[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(JSON.parse(chunk.toString()));
      cb();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

describe('RateMeter', () => {
  it('measures units per second over a sliding window and derives the ETA', () => {
    const m = new RateMeter({ windowMs: 10_000 });
    expect(m.rate()).toBe(0);
    expect(m.eta(100)).toBeNull();
    m.add(0, 0);
    m.add(50, 5_000);
    expect(m.rate()).toBe(10);
    expect(m.eta(150)).toBe(10);
    expect(m.eta(40)).toBe(0);
    // old samples leave the window: the rate follows the recent pace
    m.add(60, 15_000);
    m.add(70, 20_000);
    expect(m.rate()).toBeCloseTo(2, 5);
  });

  it('stays bounded', () => {
    const m = new RateMeter({ windowMs: 1e12, maxSamples: 8 });
    for (let i = 0; i < 1000; i++) m.add(i, i * 1000);
    expect(m.rate()).toBe(1);
    expect((m as unknown as { samples: unknown[] }).samples.length).toBe(8);
  });

  it('formats ETAs', () => {
    expect(formatEta(null)).toBe('?');
    expect(formatEta(42)).toBe('42s');
    expect(formatEta(125)).toBe('2m05s');
    expect(formatEta(7320)).toBe('2h02m');
  });
});

describe('SyncProgressReporter', () => {
  it('logs throttled progress lines with rate and ETA when not on a terminal', () => {
    const { logger, lines } = captureLogger();
    const rep = new SyncProgressReporter({ logger, tty: false, logEveryMs: 5000 });
    rep.update({ headers: 1000, blocks: 0, targetHeight: 1000 }, 0);
    expect(rep.active).toBe(true);
    for (let t = 1000; t <= 9000; t += 1000) rep.update({ headers: 1000, blocks: t / 10, targetHeight: 1000 }, t);
    const progress = lines.filter((l) => l.msg.startsWith('sync '));
    expect(progress.length).toBe(2); // t=0 and t=5000: throttled
    const last = progress[progress.length - 1];
    expect(last).toMatchObject({ blocks: 500, target: 1000, rate: 100, etaSec: 5 });
    expect(last.msg).toContain('ETA 5s');
    const res = rep.update({ headers: 1000, blocks: 1000, targetHeight: 1000 }, 10_000);
    expect(res.etaSec).toBe(0);
    expect(rep.active).toBe(false);
    expect(lines.map((l) => l.msg)).toContain('initial sync complete');
  });

  it('says nothing when already in sync', () => {
    const { logger, lines } = captureLogger();
    const rep = new SyncProgressReporter({ logger, tty: false });
    rep.update({ headers: 5, blocks: 5, targetHeight: 5 }, 0);
    expect(lines).toEqual([]);
    expect(rep.active).toBe(false);
  });

  it('draws a bar on a terminal stream', () => {
    const { logger } = captureLogger();
    let out = '';
    const stream = Object.assign(
      new Writable({
        write(chunk, _enc, cb) {
          out += chunk.toString();
          cb();
        },
      }),
      { isTTY: true, columns: 120 },
    );
    const rep = new SyncProgressReporter({ logger, tty: true, stream });
    rep.update({ headers: 200, blocks: 0, targetHeight: 200 }, 0);
    rep.update({ headers: 200, blocks: 100, targetHeight: 200 }, 2000);
    rep.stop();
    expect(out).toMatch(/sync \[.*\] 50% \| 100\/200 blocks \| headers 200 \| 50\.0 blk\/s \| ETA 2s/);
  });

  it('watchSync polls the node and stops', async () => {
    const { logger, lines } = captureLogger();
    let calls = 0;
    const stop = watchSync(
      {
        status: () => {
          calls++;
          return { sync: { headers: 10, blocks: calls, targetHeight: 10, rate: 0, etaSec: null } } as never;
        },
      },
      new SyncProgressReporter({ logger, tty: false, logEveryMs: 0 }),
      10,
    );
    await new Promise((r) => setTimeout(r, 80));
    stop();
    const seen = calls;
    await new Promise((r) => setTimeout(r, 40));
    expect(calls).toBe(seen);
    expect(seen).toBeGreaterThan(2);
    expect(lines.some((l) => l.msg === 'initial sync started')).toBe(true);
  });
});
