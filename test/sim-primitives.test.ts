import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/sim/clock.js';
import { drawLatency, Rng } from '../src/sim/rng.js';
import { churnSchedule, graphStats, hostOf, indexOf, pickSeeds, pushGossipRounds, splitRule } from '../src/sim/topology.js';
import { MemoryNetwork } from '../src/sim/transport.js';
import type { Connection } from '../src/p2p/transport.js';

describe('sim rng', () => {
  it('is reproducible from its seed and differs across seeds', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const xa = Array.from({ length: 100 }, () => a.u32());
    expect(Array.from({ length: 100 }, () => b.u32())).toEqual(xa);
    expect(Array.from({ length: 100 }, () => c.u32())).not.toEqual(xa);
  });

  it('draws uniform values with the right moments', () => {
    const r = new Rng(7);
    let sum = 0;
    let sumSq = 0;
    const n = 20000;
    let lo = 1;
    let hi = 0;
    for (let i = 0; i < n; i++) {
      const x = r.next();
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
      sum += x;
      sumSq += x * x;
    }
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThan(1);
    expect(sum / n).toBeCloseTo(0.5, 1);
    expect(sumSq / n - (sum / n) ** 2).toBeCloseTo(1 / 12, 2);
    const counts = new Array(10).fill(0);
    for (let i = 0; i < n; i++) counts[r.int(10)]++;
    for (const k of counts) expect(Math.abs(k - n / 10)).toBeLessThan(n / 40);
  });

  it('forks independent named streams that do not depend on draws from the parent', () => {
    const a = new Rng(1);
    const f1 = a.fork('x').u32();
    a.u32();
    a.u32();
    expect(a.fork('x').u32()).toBe(f1);
    expect(a.fork('y').u32()).not.toBe(f1);
  });

  it('draws latencies from each distribution', () => {
    const r = new Rng(3);
    expect(drawLatency(r, { kind: 'fixed', ms: 50 })).toBe(50);
    for (let i = 0; i < 100; i++) {
      const u = drawLatency(r, { kind: 'uniform', min: 10, max: 20 });
      expect(u).toBeGreaterThanOrEqual(10);
      expect(u).toBeLessThan(20);
    }
    const ln = Array.from({ length: 4001 }, () => drawLatency(r, { kind: 'lognormal', median: 50, sigma: 0.5 })).sort((x, y) => x - y);
    expect(ln[2000]!).toBeGreaterThan(45);
    expect(ln[2000]!).toBeLessThan(55);
  });
});

describe('sim virtual clock', () => {
  it('fires timers in (time, seq) order and advances only virtual time', async () => {
    const clock = new VirtualClock({ start: 1000 });
    const log: string[] = [];
    clock.setTimeout(() => log.push('b20'), 20);
    clock.setTimeout(() => log.push('a10'), 10);
    clock.setTimeout(() => log.push('c20'), 20);
    const h = clock.setTimeout(() => log.push('never'), 15);
    clock.clearTimeout(h);
    const wall = Date.now();
    await clock.runUntil(60_000);
    expect(log).toEqual(['a10', 'b20', 'c20']);
    expect(clock.now()).toBe(61_000);
    expect(Date.now() - wall).toBeLessThan(2000);
  });

  it('post() fires in the same (time, seq) order as at(), and a reused entry carries only its new callback', async () => {
    const run = async (usePost: boolean): Promise<string[]> => {
      const clock = new VirtualClock();
      const log: string[] = [];
      const sched = (at: number, fn: () => void): void => void (usePost ? clock.post(at, fn) : clock.at(at, fn));
      // each callback schedules more, some at its own instant, so entries are reused while others wait
      const chain = (name: string, at: number, left: number): void =>
        sched(at, () => {
          log.push(`${name}@${clock.elapsed()}`);
          if (left > 0) {
            chain(name, clock.elapsed() + (left % 3), left - 1);
            if (left % 2 === 0) chain(`${name}'`, clock.elapsed(), 0);
          }
        });
      chain('a', 5, 12);
      chain('b', 5, 9);
      clock.setTimeout(() => log.push(`t@${clock.elapsed()}`), 7);
      chain('c', 0, 7);
      await clock.runUntil(1000);
      return log;
    };
    const viaAt = await run(false);
    expect(viaAt.length).toBeGreaterThan(40);
    expect(await run(true)).toEqual(viaAt);
  });

  it('fires in the order of a naive (time, seq) queue through cancels, compaction mid-instant and maxEvents stops', async () => {
    // the reference: every live timer in one array, the smallest (at, seq) fired next
    type Ref = { at: number; seq: number; fn: () => void; interval: number; dead: boolean };
    class NaiveClock {
      t = 0;
      private seq = 0;
      private q: Ref[] = [];
      elapsed(): number {
        return this.t;
      }
      at(at: number, fn: () => void): Ref {
        const x = { at: Math.max(this.t, at), seq: this.seq++, fn, interval: 0, dead: false };
        this.q.push(x);
        return x;
      }
      setTimeout(fn: () => void, ms: number): Ref {
        return this.at(this.t + Math.max(1, ms), fn);
      }
      setInterval(fn: () => void, ms: number): Ref {
        const x = this.setTimeout(fn, ms);
        x.interval = Math.max(1, ms);
        return x;
      }
      clearTimeout(x: Ref): void {
        x.dead = true;
      }
      async runUntil(end: number, opts: { maxEvents?: number } = {}): Promise<number> {
        let fired = 0;
        for (;;) {
          this.q = this.q.filter((x) => !x.dead);
          if (fired >= (opts.maxEvents ?? Infinity) || this.q.length === 0) break;
          const next = this.q.reduce((a, b) => (b.at < a.at || (b.at === a.at && b.seq < a.seq) ? b : a));
          if (next.at > end) break;
          this.t = next.at;
          if (next.interval > 0) (next.at += next.interval), (next.seq = this.seq++);
          else next.dead = true;
          fired++;
          next.fn();
        }
        if (fired < (opts.maxEvents ?? Infinity) && end > this.t) this.t = end;
        return fired;
      }
    }
    const program = async (clock: VirtualClock | NaiveClock): Promise<string[]> => {
      const rng = new Rng(7);
      const log: string[] = [];
      const handles: unknown[] = [];
      const cancel = (h: unknown): void => (clock as { clearTimeout(h: unknown): void }).clearTimeout(h as never);
      let made = 0;
      const job = (name: string) => (): void => {
        log.push(`${name}@${clock.elapsed()}`);
        if (made > 1200) return;
        const k = rng.int(10);
        made++;
        if (k < 3) clock.at(clock.elapsed() + rng.int(3), job(`${name}a`)); // often the same instant
        else if (k < 6) handles.push(clock.setTimeout(job(`${name}t`), rng.int(20)));
        else if (k === 6) handles.push(clock.setInterval(job(`${name}i`), 1 + rng.int(30)));
        else if (k === 7 && handles.length > 0) cancel(handles.splice(rng.int(handles.length), 1)[0]);
        else if (k === 8) {
          // a burst of timers cancelled at once: the virtual clock compacts while this instant runs
          const burst = Array.from({ length: 1500 }, (_, i) => clock.setTimeout(job(`${name}x${i}`), 5));
          for (const h of burst.slice(0, 1400)) cancel(h);
          clock.at(clock.elapsed(), job(`${name}n`));
        }
      };
      for (let i = 0; i < 5; i++) clock.at(i, job(`r${i}`));
      while (clock.elapsed() < 200) await clock.runUntil(clock.elapsed() + 37, { maxEvents: 97 });
      return log;
    };
    const expected = await program(new NaiveClock());
    expect(expected.length).toBeGreaterThan(500);
    expect(expected.some((l) => l.includes('x1450'))).toBe(true);
    expect(await program(new VirtualClock())).toEqual(expected);
  });

  it('runs intervals until cleared and lets promise chains settle before time moves', async () => {
    const clock = new VirtualClock();
    const seen: number[] = [];
    let ticks = 0;
    const iv = clock.setInterval(() => {
      ticks++;
      const at = clock.elapsed();
      // A multi-step async chain started by a timer must finish in the same virtual instant.
      void Promise.resolve()
        .then(() => Promise.resolve())
        .then(() => new Promise<void>((r) => queueMicrotask(r)))
        .then(() => seen.push(clock.elapsed() - at));
      if (ticks === 5) clock.clearInterval(iv);
    }, 100);
    await clock.runUntil(10_000);
    expect(ticks).toBe(5);
    expect(seen).toEqual([0, 0, 0, 0, 0]);
  });

  it('counts callback errors instead of crashing and stops at maxEvents', async () => {
    const clock = new VirtualClock();
    clock.setTimeout(() => {
      throw new Error('boom');
    }, 5);
    let n = 0;
    const loop = (): void => {
      n++;
      clock.setTimeout(loop, 0);
    };
    clock.setTimeout(loop, 1);
    const fired = await clock.runUntil(1e12, { maxEvents: 1000 });
    expect(fired).toBe(1000);
    expect(clock.errors).toBe(1);
    expect(clock.firstErrors[0]).toContain('boom');
    expect(n).toBe(999);
  });

  it('keeps a big heap ordered', async () => {
    const clock = new VirtualClock();
    const r = new Rng(9);
    const got: number[] = [];
    const handles = [];
    for (let i = 0; i < 5000; i++) {
      const t = 1 + r.int(100000);
      handles.push(clock.setTimeout(() => got.push(t), t));
    }
    for (let i = 0; i < 5000; i += 3) clock.clearTimeout(handles[i]);
    await clock.runUntil(200_000);
    expect(got.length).toBe(5000 - Math.ceil(5000 / 3));
    for (let i = 1; i < got.length; i++) expect(got[i]!).toBeGreaterThanOrEqual(got[i - 1]!);
  });
});

function pair(net: MemoryNetwork, clock: VirtualClock) {
  const a = net.transport('10.0.0.1');
  const b = net.transport('10.0.0.2');
  let server: Connection | null = null;
  const ready = (async () => {
    await b.listen('0.0.0.0', 7000, (c) => (server = c));
    const client = await a.connect('10.0.0.2', 7000);
    return client;
  })();
  return { ready, server: () => server!, a, b, clock };
}

describe('sim memory transport', () => {
  it('connects after one round trip and delivers in order after the link latency', async () => {
    const clock = new VirtualClock();
    const net = new MemoryNetwork(clock, new Rng(1), { latency: { kind: 'fixed', ms: 50 }, bandwidth: 0, loss: 0 });
    const p = pair(net, clock);
    let connectedAt = -1;
    void p.ready.then(() => (connectedAt = clock.elapsed()));
    await clock.runUntil(1000);
    expect(connectedAt).toBe(100);
    const client = await p.ready;
    const got: [number, number][] = [];
    p.server().onData((chunk) => got.push([clock.elapsed(), chunk[0]!]));
    client.write(Uint8Array.of(1));
    client.write(Uint8Array.of(2));
    await clock.runFor(1000);
    expect(got).toEqual([
      [1050, 1],
      [1050, 2],
    ]);
    expect(net.counters.bytes).toBe(2);
  });

  it('refuses a connect to a closed port and times out across a cut', async () => {
    const clock = new VirtualClock();
    const net = new MemoryNetwork(clock, new Rng(1), { latency: { kind: 'fixed', ms: 20 }, bandwidth: 0, loss: 0, connectTimeoutMs: 500 });
    const a = net.transport('10.0.0.1');
    const b = net.transport('10.0.0.2');
    await b.listen('0.0.0.0', 1, () => undefined);
    const errs: [string, number][] = [];
    a.connect('10.0.0.2', 2).catch((e: { code: string }) => errs.push([e.code, clock.elapsed()]));
    net.setCut(splitRule(new Set(['10.0.0.1'])));
    a.connect('10.0.0.2', 1).catch((e: { code: string }) => errs.push([e.code, clock.elapsed()]));
    await clock.runUntil(2000);
    expect(errs).toEqual([
      ['ECONNREFUSED', 40],
      ['ETIMEDOUT', 500],
    ]);
  });

  it('serialises by bandwidth, delays lost chunks by an RTO and keeps order', async () => {
    const clock = new VirtualClock();
    const net = new MemoryNetwork(clock, new Rng(5), { latency: { kind: 'fixed', ms: 10 }, bandwidth: 1000, loss: 0 });
    const p = pair(net, clock);
    await clock.runUntil(100);
    const client = await p.ready;
    const times: number[] = [];
    p.server().onData(() => times.push(clock.elapsed()));
    // 100 bytes at 1000 B/s = 100 ms on the wire each.
    client.write(new Uint8Array(100));
    expect(client.bufferedBytes).toBe(100);
    client.write(new Uint8Array(100));
    await clock.runFor(1000);
    expect(times).toEqual([100 + 100 + 10, 100 + 200 + 10]);
    expect(client.bufferedBytes).toBe(0);

    const lossy = new MemoryNetwork(clock, new Rng(5), { latency: { kind: 'fixed', ms: 10 }, bandwidth: 0, loss: 0.5, rtoMinMs: 200 });
    const q = pair(lossy, clock);
    await clock.runFor(100);
    const c2 = await q.ready;
    const arrivals: [number, number][] = [];
    q.server().onData((ch) => arrivals.push([clock.elapsed(), ch[0]!]));
    const t0 = clock.elapsed();
    for (let i = 0; i < 40; i++) c2.write(Uint8Array.of(i));
    await clock.runFor(60_000);
    expect(arrivals.map((x) => x[1])).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(lossy.counters.retransmits).toBeGreaterThan(5);
    expect(arrivals[arrivals.length - 1]![0] - t0).toBeGreaterThanOrEqual(210);
    for (let i = 1; i < arrivals.length; i++) expect(arrivals[i]![0]).toBeGreaterThanOrEqual(arrivals[i - 1]![0]);
  });

  it('closes both ends: FIN after queued data, reset when a host goes down', async () => {
    const clock = new VirtualClock();
    const net = new MemoryNetwork(clock, new Rng(1), { latency: { kind: 'fixed', ms: 30 }, bandwidth: 0, loss: 0 });
    const p = pair(net, clock);
    await clock.runUntil(100);
    const client = await p.ready;
    const events: string[] = [];
    p.server().onData(() => events.push(`data@${clock.elapsed()}`));
    p.server().onClose((e) => events.push(`server-close@${clock.elapsed()}${e ? ':err' : ''}`));
    client.onClose((e) => events.push(`client-close@${clock.elapsed()}${e ? ':err' : ''}`));
    client.write(Uint8Array.of(1));
    client.close();
    expect(client.write(Uint8Array.of(2))).toBe(false);
    await clock.runFor(1000);
    expect(events).toEqual(['data@130', 'server-close@130', 'client-close@130']);

    const c = net.transport('10.0.0.3');
    let srv: Connection | null = null;
    await c.listen('0.0.0.0', 9, (s) => (srv = s));
    const cli = net.transport('10.0.0.4').connect('10.0.0.3', 9);
    await clock.runFor(200);
    const conn = await cli;
    const ev2: string[] = [];
    conn.onClose((e) => ev2.push(`cli:${(e as { code?: string } | undefined)?.code}@${clock.elapsed()}`));
    srv!.onClose(() => ev2.push(`srv@${clock.elapsed()}`));
    const t = clock.elapsed();
    net.hostDown('10.0.0.3');
    await clock.runFor(200);
    expect(ev2).toEqual([`srv@${t}`, `cli:ECONNRESET@${t + 30}`]);
    expect(net.connectionCount).toBe(0);
  });
});

describe('sim topology', () => {
  it('maps indexes to 10/8 hosts and back', () => {
    for (const i of [0, 1, 254, 255, 256, 9999, 70000]) expect(indexOf(hostOf(i))).toBe(i);
    expect(hostOf(0)).toBe('10.1.0.0');
    // consecutive nodes in distinct /16 groups (the p2p layer caps and evicts per group)
    expect(new Set(Array.from({ length: 200 }, (_, i) => hostOf(i).split('.').slice(0, 2).join('.'))).size).toBe(200);
    expect(indexOf('127.0.0.1')).toBe(-1);
  });

  it('picks distinct seeds other than self', () => {
    const r = new Rng(2);
    const pool = Array.from({ length: 50 }, (_, i) => i);
    const s = pickSeeds(r, 7, pool, 8);
    expect(new Set(s).size).toBe(8);
    expect(s).not.toContain(7);
    expect(pickSeeds(r, 0, [0, 1], 8)).toEqual([1]);
  });

  it('schedules churn at the requested rate', () => {
    const ev = churnSchedule(new Rng(4), 1000, 0.01, 0, 600_000);
    const leaves = ev.filter((e) => e.kind === 'leave').length;
    // 1000 nodes × 1 %/min × 10 min = 100 expected.
    expect(leaves).toBeGreaterThan(70);
    expect(leaves).toBeLessThan(130);
  });

  it('measures a ring and a disconnected graph', () => {
    const nodes = Array.from({ length: 10 }, (_, i) => i);
    const ring = nodes.map((i) => [i, (i + 1) % 10] as [number, number]);
    const s = graphStats(nodes, ring, new Rng(1));
    expect(s).toMatchObject({ edges: 10, minDegree: 2, maxDegree: 2, components: 1, diameter: 5 });
    expect(graphStats(nodes, ring.slice(0, 4), new Rng(1)).components).toBe(6);
    expect(pushGossipRounds(1000)).toBeCloseTo(9.97 + 6.91, 1);
  });
});

describe('sim wire meter', () => {
  it('counts bytes by type, duplicates per receiver and block relay hops', async () => {
    const { WireMeter } = await import('../src/sim/meter.js');
    const { encodeFrame } = await import('../src/wire/frame.js');
    const { MsgType } = await import('../src/wire/types.js');
    const m = new WireMeter(8);
    const block = encodeFrame(MsgType.BLOCK, new Uint8Array(200).fill(7));
    const phase = encodeFrame(MsgType.PHASE, new Uint8Array(268).fill(1));
    m.observe(0, 1, block); // node 0 mined it: hop 0; node 1 at hop 1
    m.observe(1, 2, block); // hop 2
    m.observe(0, 2, block); // duplicate at node 2
    m.observe(3, 4, phase);
    m.observe(5, 4, phase); // duplicate
    const packed = new Uint8Array(block.length + phase.length);
    packed.set(block);
    packed.set(phase, block.length);
    m.observe(2, 3, packed); // two frames in one chunk: BLOCK first seen at node 3 (hop 3), PHASE new at 3
    expect(m.traffic.get('BLOCK')).toEqual({ frames: 4, bytes: 4 * block.length });
    expect(m.traffic.get('PHASE')).toEqual({ frames: 3, bytes: 3 * phase.length });
    const d = m.dupStats();
    expect(d.BLOCK).toEqual({ unique: 3, duplicates: 1, perDelivered: 1 / 3 });
    expect(d.PHASE).toEqual({ unique: 2, duplicates: 1, perDelivered: 0.5 });
    const { blockKeyOfHeader } = await import('../src/sim/meter.js');
    const hops = m.hopsOf(blockKeyOfHeader(block.subarray(5)))!;
    expect([...hops.subarray(0, 5)]).toEqual([0, 1, 2, 3, -1]);
    m.observe(0, 1, block.subarray(0, 10)); // a torn frame is counted apart, not parsed
    expect(m.oddChunks).toBe(1);
  });

  it('counts duplicates exactly past the short receiver list, for node indexes beyond its capacity too', async () => {
    const { WireMeter } = await import('../src/sim/meter.js');
    const { encodeFrame } = await import('../src/wire/frame.js');
    const { MsgType } = await import('../src/wire/types.js');
    const m = new WireMeter(8);
    const phase = encodeFrame(MsgType.PHASE, new Uint8Array(268).fill(3));
    // 100 receivers (the list holds 16 before it becomes a bitset; indexes up to 99 against capacity 8), each twice
    for (let round = 0; round < 2; round++) for (let to = 0; to < 100; to++) m.observe(200, (to * 37) % 100, phase);
    m.observe(200, 5000, phase);
    expect(m.dupStats().PHASE).toEqual({ unique: 101, duplicates: 100, perDelivered: 100 / 101 });
  });
});
