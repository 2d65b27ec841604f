// --tx-rate: signed payments from miners' coinbases through the real mempools, delivery measured per tx.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCore } from '../src/core/index.js';
import type { Core } from '../src/core/types.js';
import { runSimulation } from '../src/sim/simulator.js';

let core: Core;
beforeAll(async () => {
  core = await loadCore();
});

describe('simulated transaction load', () => {
  it('relays accepted transactions to every node and reports their delivery', async () => {
    const base = { nodes: 20, miners: 3, seconds: 50, blockTimeSec: 5, latency: { kind: 'fixed', ms: 30 } as const, startSpreadMs: 1000, seed: 5 };
    const r = await runSimulation(core, { ...base, txRate: 2 });
    const tx = r.tx!;
    expect(tx.generated).toBeGreaterThan(50);
    // funded only once a miner has a block: early ones are skipped, later ones enter the mempool
    expect(tx.accepted).toBeGreaterThan(10);
    expect(tx.refused).toBe(0);
    expect(tx.measured).toBeGreaterThan(5);
    expect(tx.reachedAllShare).toBe(1);
    // at least one 30 ms hop to reach anyone, more to reach all
    expect(tx.perNode.p50!).toBeGreaterThanOrEqual(0.03);
    expect(tx.toAllNodes.p50!).toBeGreaterThanOrEqual(tx.perNode.p50!);
    expect(r.bandwidth.byType.TX!.framesPerNodePerSec).toBeGreaterThan(0);
    // without the option there is no load and no TX traffic
    const none = await runSimulation(core, { ...base, txRate: 0 });
    expect(none.tx).toBeNull();
    expect(none.bandwidth.byType.TX).toBeUndefined();
  }, 120_000);
});
