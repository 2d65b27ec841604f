// Sybils in the simulator (src/sim/sybil.ts): real wire-format attackers among real nodes; honest
// nodes must stay on the honest chain and get every block, and the attacks must really reach them.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCore } from '../src/core/index.js';
import type { Core } from '../src/core/types.js';
import { runSimulation, type SimOptions } from '../src/sim/simulator.js';
import { formatHostile, isSybilHost, parseAttack, sybilHost } from '../src/sim/sybil.js';
import { hostOf, indexOf } from '../src/sim/topology.js';

let core: Core;
beforeAll(async () => {
  core = await loadCore();
});

const base: Partial<SimOptions> = {
  nodes: 30,
  degree: 8,
  latency: { kind: 'lognormal', median: 40, sigma: 0.5 },
  seconds: 90,
  miners: 2,
  blockTimeSec: 10,
  startSpreadMs: 2000,
  seed: 5,
};

describe('sybils in the simulator', () => {
  it('keeps 30 honest nodes among 60 sybils (all attacks, cold boot) on the honest chain with every block delivered', async () => {
    const r = await runSimulation(core, { ...base, sybils: { count: 60, attack: 'all', atSec: 0 } });
    const h = r.hostile!;
    expect(h.honest).toBe(30);
    expect(h.chain.sameTip).toBe(true);
    expect(h.chain.onBestChain).toBe(1);
    expect(h.chain.maxBehind).toBe(0);
    expect(h.chain.height).toBeGreaterThanOrEqual(3);
    expect(h.delivery.blocks).toBeGreaterThan(0);
    expect(h.delivery.minReached).toBe(1);
    expect(h.delivery.p99).not.toBeNull();
    expect(h.phase.reached).toBe(1);
    expect(h.isolated).toBe(0);
    // the attack was exercised: sybils held peer slots, flooded ADDR, lied, replayed nonces, squatted
    expect(h.sybilPeerShare).toBeGreaterThan(0);
    expect(h.herd.handshakes).toBeGreaterThan(0);
    expect(h.herd.addrMsgs).toBeGreaterThan(0);
    expect(h.herd.emptyHeaderAnswers).toBeGreaterThan(0);
    expect(h.herd.noncesReplayed).toBeGreaterThan(0);
    expect(h.herd.inboundFromHonest).toBeGreaterThan(0); // sybil addresses spread through ADDR
    expect(Object.values(h.defence.invalid).reduce((a, b) => a + b, 0)).toBeGreaterThan(0); // liars scored
    expect(h.defence.disconnects['handshake-timeout'] ?? 0).toBeGreaterThan(0); // squatters held slots until dropped
    expect(h.defence.honestBanned).toBe(0);
    expect(r.errors.timerErrors).toBe(0);
    expect(formatHostile(h)).toContain('block delivery p99');
  }, 120_000);

  it('measures the same window without sybils, and an attack on a running network', async () => {
    const quiet = await runSimulation(core, { ...base, seconds: 70, sybils: { count: 0, attack: 'liar', atSec: 30 } });
    expect(quiet.hostile!.herd.dials).toBe(0);
    expect(quiet.hostile!.sybilPeerShare).toBe(0);
    const hit = await runSimulation(core, { ...base, seconds: 70, sybils: { count: 60, attack: 'liar', atSec: 30 } });
    const h = hit.hostile!;
    expect(h.herd.emptyHeaderAnswers).toBeGreaterThan(0);
    expect(h.chain.sameTip).toBe(true);
    expect(h.delivery.minReached).toBe(1);
    // the same honest chain as without the attack
    expect(h.chain.height).toBe(quiet.hostile!.chain.height);
  }, 120_000);

  it('gives sybils hosts no honest node has, and parses --attack', () => {
    for (const i of [0, 1, 255, 256, 4000]) {
      expect(isSybilHost(sybilHost(i))).toBe(true);
      expect(indexOf(sybilHost(i))).toBe(-1);
      expect(isSybilHost(hostOf(i))).toBe(false);
    }
    expect(parseAttack('all')).toBe('all');
    expect(parseAttack('squat')).toBe('squat');
    expect(() => parseAttack('loud')).toThrow();
  });
});
