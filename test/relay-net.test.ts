// Aggregate relay over real TCP on 127.0.0.1: 10 peer managers, 5 sharing each round; PHASE frames per node
// stay bounded by rounds × mesh size, not by the miners, and no honest peer is scored.
import { afterEach, describe, expect, it } from 'vitest';
import { DEVNET } from '../src/constants.js';
import { loadCore } from '../src/core/index.js';
import { systemClock } from '../src/clock.js';
import { GossipManager } from '../src/gossip/manager.js';
import { MESH_D } from '../src/gossip/mesh.js';
import { cleanup, sleep, startManager, waitFor } from './helpers/p2p.js';

afterEach(cleanup);
const core = await loadCore();

describe('aggregate relay over loopback TCP', () => {
  it('10 nodes, 5 miners: PHASE frames sent per node ≤ one per interval per mesh peer, nobody scored', async () => {
    const nets = await Promise.all(Array.from({ length: 10 }, () => startManager({ maxPeers: 8 })));
    const gs = nets.map((net, i) => {
      const g = new GossipManager({ net, core, profile: DEVNET, strategy: 'eager', relay: 'aggregate', clock: systemClock, seed: i + 1 });
      g.start();
      return g;
    });
    for (let i = 0; i < nets.length; i++) {
      for (const j of [1, 3]) await nets[i]!.connect('127.0.0.1', nets[(i + j) % nets.length]!.port).catch(() => undefined);
    }
    await waitFor(() => nets.every((n) => n.peers().length >= 2), 5000, 'every node connected');
    const start = Date.now();
    for (let round = 0; round < 15; round++) {
      for (let m = 0; m < 5; m++) {
        const phases = Float64Array.from({ length: 256 }, (_, k) => (m * 0.3 + round * 0.05 + 0.2 * Math.sin(k)) % (2 * Math.PI));
        const { r, psi } = core.orderParameter(phases);
        gs[m]!.maybeShare(phases, r, psi);
      }
      await sleep(DEVNET.gossipIntervalMs);
    }
    await sleep(300);
    const intervals = Math.ceil((Date.now() - start) / DEVNET.gossipIntervalMs) + 2;
    for (const [i, n] of nets.entries()) {
      const frames = n.stats().msgsOutByType['PHASE'] ?? 0;
      expect(frames, `node ${i}`).toBeLessThanOrEqual(intervals * MESH_D);
      expect(gs[i]!.stats().rateLimited).toBe(0);
      for (const p of n.peers()) expect(p.score).toBe(0);
    }
    expect(nets.slice(0, 5).every((n) => (n.stats().msgsOutByType['PHASE'] ?? 0) > 0)).toBe(true);
    expect(gs.slice(5).every((g) => g.stats().received > 0)).toBe(true);
  }, 20_000);
});
