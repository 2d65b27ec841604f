// CPU time per hop in virtual time: costs from the committed bench rows, a FIFO per node, later blocks.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCore } from '../src/core/index.js';
import type { Core } from '../src/core/types.js';
import { HEADER_SIZE } from '../src/constants.js';
import { CpuModel, FALLBACK_COSTS, frameCost, loadCpuCosts } from '../src/sim/cpu.js';
import { hashKeyOf } from '../src/sim/meter.js';
import { Simulation, type SimOptions } from '../src/sim/simulator.js';
import { MsgType } from '../src/wire/types.js';
import { VirtualClock } from '../src/sim/clock.js';
import { Rng } from '../src/sim/rng.js';
import { MemoryNetwork } from '../src/sim/transport.js';
import type { Connection } from '../src/p2p/transport.js';

let core: Core;
beforeAll(async () => {
  core = await loadCore();
});

const frame = (type: number, payload: Uint8Array): Uint8Array => {
  const out = new Uint8Array(5 + payload.length);
  out[0] = type;
  new DataView(out.buffer).setUint32(1, payload.length, true);
  out.set(payload, 5);
  return out;
};

describe('cpu costs', () => {
  it('reads every row from bench/results.json, and falls back without the file', () => {
    const c = loadCpuCosts();
    expect(c.source).toContain('addBlock');
    expect(c.source).toContain('decodePhaseState');
    expect(c.source).toContain('verify tx signatures');
    expect(c.blockBaseMs).toBeGreaterThan(0);
    expect(c.txSigMs).toBeGreaterThan(c.phaseMergeMs);
    expect(loadCpuCosts('/nonexistent/results.json')).toBe(FALLBACK_COSTS);
  });

  it('a node works one frame at a time: later frames wait, busy time is the sum of the costs', () => {
    const costs = loadCpuCosts();
    const cpu = new CpuModel(costs, (chunk, start) => hashKeyOf(chunk, start, start + HEADER_SIZE));
    const block = frame(MsgType.BLOCK, new Uint8Array(400).fill(7));
    const phase = frame(MsgType.PHASE, new Uint8Array(12 + 4 * 64));
    const tx = frame(MsgType.TX, new Uint8Array(140));
    const cBlock = frameCost(costs, MsgType.BLOCK, 400, 0, true);
    const cPhase = frameCost(costs, MsgType.PHASE, 12 + 256, 64, false);
    const t1 = cpu.admit(3, block, 100);
    expect(t1).toBeCloseTo(100 + cBlock, 9);
    // arrives while the block is still being validated: queued behind it
    const t2 = cpu.admit(3, phase, 100);
    expect(t2).toBeCloseTo(t1 + cPhase, 9);
    // the same block again is only hashed
    const t3 = cpu.admit(3, block, 1000);
    expect(t3).toBeCloseTo(1000 + costs.sha256dMs, 9);
    const t4 = cpu.admit(3, tx, 2000);
    expect(t4).toBeCloseTo(2000 + costs.txSigMs, 9);
    expect(cpu.busyMs(3)).toBeCloseTo(cBlock + cPhase + costs.sha256dMs + costs.txSigMs, 9);
    // another node is not delayed by node 3
    expect(cpu.admit(4, block, 100)).toBeCloseTo(100 + cBlock, 9);
    expect(cpu.busyMs(2)).toBe(0);
  });
});

describe('transport with cpu costs', () => {
  it('a frame done within half a time step is handed over at arrival; a block at the end of its validation, and what follows it waits', async () => {
    const clock = new VirtualClock();
    const net = new MemoryNetwork(clock, new Rng(1), { latency: { kind: 'fixed', ms: 50 }, bandwidth: 0, loss: 0 }, (h) => (h === '10.0.0.2' ? 2 : 1));
    const costs = loadCpuCosts();
    const cpu = new CpuModel(costs, (chunk, start) => hashKeyOf(chunk, start, start + HEADER_SIZE));
    net.cpu = cpu;
    const accepted: Connection[] = [];
    await net.transport('10.0.0.2').listen('10.0.0.2', 7000, (c) => void accepted.push(c));
    const dial = net.transport('10.0.0.1').connect('10.0.0.2', 7000);
    await clock.runUntil(1000);
    const client = await dial;
    const got: [number, number][] = [];
    accepted[0]!.onData((chunk) => void got.push([clock.elapsed(), chunk[0]!]));
    const phase = frame(MsgType.PHASE, new Uint8Array(12 + 4 * 64));
    const block = frame(MsgType.BLOCK, new Uint8Array(400).fill(7));
    const cBlock = frameCost(costs, MsgType.BLOCK, 400, 0, true);
    expect(frameCost(costs, MsgType.PHASE, 12 + 256, 64, false)).toBeLessThan(0.5);
    client.write(phase);
    await clock.runFor(1000);
    client.write(block);
    client.write(phase);
    await clock.runFor(1000);
    expect(got[0]).toEqual([1050, MsgType.PHASE]);
    expect(got[1]![1]).toBe(MsgType.BLOCK);
    expect(got[1]![0]).toBeCloseTo(2050 + cBlock, 9);
    expect(got[2]![1]).toBe(MsgType.PHASE);
    expect(got[2]![0]).toBeGreaterThan(got[1]![0]);
    expect(cpu.busyMs(2)).toBeGreaterThan(cBlock);
  });
});

describe('simulator with cpu costs', () => {
  const opts: Partial<SimOptions> = {
    nodes: 30,
    degree: 8,
    latency: { kind: 'fixed', ms: 20 },
    seconds: 40,
    miners: 1,
    roundMs: 618,
    blockTimeSec: 5,
    oscillators: 64,
    startSpreadMs: 1000,
    seed: 11,
  };

  it('delivers blocks later with costs than without, and charges each node the sum of its frames', async () => {
    const run = async (cpu: boolean) => {
      const sim = new Simulation(core, { ...opts, cpu });
      // an independent tally of what each node was sent: every whole frame's cost
      const expected = new Map<number, number>();
      const seen = new Set<string>();
      const observe = sim.net.observer!;
      sim.net.observer = (from, to, chunk) => {
        observe(from, to, chunk);
        let off = 0;
        while (off + 5 <= chunk.length) {
          const type = chunk[off]!;
          const len = new DataView(chunk.buffer, chunk.byteOffset + off + 1, 4).getUint32(0, true);
          const start = off + 5;
          let first = false;
          if (type === MsgType.BLOCK) {
            const k = `${to}/${hashKeyOf(chunk, start, start + HEADER_SIZE)}`;
            first = !seen.has(k);
            seen.add(k);
          }
          const c = frameCost(sim.cpu?.costs ?? FALLBACK_COSTS, type, len, type === MsgType.PHASE ? (len - 12) >> 2 : 0, first);
          expected.set(to, (expected.get(to) ?? 0) + c);
          off = start + len;
        }
      };
      try {
        await sim.build();
        await sim.runTo(opts.seconds!);
        return { report: sim.finish(), sim, expected };
      } finally {
        await sim.shutdown();
      }
    };
    const off = await run(false);
    const on = await run(true);
    expect(off.report.cpu).toBeNull();
    expect(on.report.cpu).not.toBeNull();
    expect(on.report.blocks.measured).toBeGreaterThan(2);
    expect(off.report.blocks.measured).toBeGreaterThan(2);
    expect(on.report.blocks.seconds.median.p100!).toBeGreaterThan(off.report.blocks.seconds.median.p100!);
    expect(on.report.blocks.seconds.median.p50!).toBeGreaterThan(off.report.blocks.seconds.median.p50!);
    let checked = 0;
    for (const [node, ms] of on.expected) {
      expect(on.sim.cpu!.busyMs(node)).toBeCloseTo(ms, 6);
      if (ms > 0) checked++;
    }
    // everyone but the lone miner receives blocks or PHASE states (the miner hears no other miner)
    expect(checked).toBeGreaterThanOrEqual(opts.nodes! - opts.miners!);
    expect(on.report.cpu!.meanBusyShare).toBeGreaterThan(0);
  }, 120_000);
});
