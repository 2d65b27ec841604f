// Issue 14 part 5: 10 full nodes (BloomNode) over real TCP on 127.0.0.1, 5 mining on devnet, each with its
// HTTP API; read from each node's own GET /metrics that PHASE bytes sent stay under docs/gossip.md's bound
// (≤ D frames of ≤ 268 bytes per interval at the seed's 64 oscillators) and that no honest peer is scored or dropped.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BloomNode } from '../src/node.js';
import { startApi, type ApiServer } from '../src/api/server.js';
import { createMetrics } from '../src/api/metrics.js';
import { resolveConfig } from '../src/config.js';
import { DEVNET } from '../src/constants.js';
import { silentLogger } from '../src/log.js';
import { MESH_D, MESH_D_HI } from '../src/gossip/mesh.js';
import { FRAME_HEADER_SIZE } from '../src/wire/frame.js';
import { newKey } from '../src/wallet.js';
import { metricSum } from './helpers/prometheus.js';

const N = 10;
const MINERS = 5;
const OSC = 64; // the seed's state: 4 + 4 + 4 + 64 × 4 = 268 bytes
const PHASE_FRAME = FRAME_HEADER_SIZE + 12 + 4 * OSC;

const nodes: BloomNode[] = [];
const apis: ApiServer[] = [];
const dir = mkdtempSync(join(tmpdir(), 'bloom-relay-metrics-'));

afterAll(async () => {
  for (const a of apis) await a.close();
  for (const n of nodes) await n.stop();
  rmSync(dir, { recursive: true, force: true });
});

const metrics = async (a: ApiServer): Promise<string> => {
  const r = await fetch(a.url + '/metrics');
  expect(r.status).toBe(200);
  return r.text();
};

describe('aggregate relay, 10 full nodes over loopback TCP, read from /metrics', () => {
  it('PHASE bytes sent ≤ D × 273 B per interval per node on average, ≤ D_hi at any node; no ban, no invalid message, no peer dropped', async () => {
    const base = { network: 'devnet', host: '127.0.0.1', port: 0, apiPort: 0, oscillators: OSC, logLevel: 'silent', maxPeers: 8, relay: process.env.RELAY_METRICS_RELAY ?? 'aggregate' } as const;
    for (let i = 0; i < N; i++) {
      const seeds = [i - 1, i - 3].filter((j) => j >= 0).map((j) => nodes[j]!.listenAddress()!);
      const key = newKey(join(dir, `k${i}`));
      const node = await BloomNode.create(
        resolveConfig({ ...base, dataDir: join(dir, `n${i}`), mine: i < MINERS, seeds, minerAddress: key.address }),
        { logger: silentLogger },
      );
      await node.start();
      nodes.push(node);
      apis.push(await startApi(node, { port: 0, metrics: createMetrics(node, { processMetrics: false }) }));
    }
    const peersOf = (t: string) => metricSum(t, 'bloomcoin_peers');
    const deadline = Date.now() + 10_000;
    let before: string[] = [];
    for (;;) {
      before = await Promise.all(apis.map(metrics));
      if (before.every((t) => peersOf(t) >= 2) || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(before.map(peersOf).every((p) => p >= 2)).toBe(true);
    const t0 = Date.now();
    await new Promise((r) => setTimeout(r, 15_000));
    const after = await Promise.all(apis.map(metrics));
    const intervals = Math.ceil((Date.now() - t0) / DEVNET.gossipIntervalMs) + 2;
    // docs/gossip.md: D frames per interval is the mean; one node's mesh may hold up to D_hi (askers are grafted).
    const bound = intervals * MESH_D * PHASE_FRAME;
    const nodeBound = intervals * MESH_D_HI * PHASE_FRAME;
    const out = after.map((t, i) => metricSum(t, 'bloomcoin_bytes_total', { direction: 'out', type: 'PHASE' }) -
      metricSum(before[i]!, 'bloomcoin_bytes_total', { direction: 'out', type: 'PHASE' }));
    const inb = after.map((t, i) => metricSum(t, 'bloomcoin_bytes_total', { direction: 'in', type: 'PHASE' }) -
      metricSum(before[i]!, 'bloomcoin_bytes_total', { direction: 'in', type: 'PHASE' }));
    console.log(`PHASE per node over ${intervals} intervals: out ${out.join(',')} B, in ${inb.join(',')} B; mean bound ${bound} B, node bound ${nodeBound} B`);
    for (const [i, t] of after.entries()) {
      expect(out[i], `node ${i} PHASE bytes out`).toBeLessThanOrEqual(nodeBound);
      expect(metricSum(t, 'bloomcoin_bans_total'), `node ${i} bans`).toBe(0);
      expect(metricSum(t, 'bloomcoin_invalid_messages_total'), `node ${i} invalid`).toBe(0);
      expect(metricSum(t, 'bloomcoin_gossip_phase_rate_limited_total'), `node ${i} rate-limited`).toBe(0);
      expect(peersOf(t), `node ${i} peers`).toBeGreaterThanOrEqual(peersOf(before[i]!));
      for (const p of nodes[i]!.net.peers()) expect(p.score, `node ${i} peer score`).toBe(0);
    }
    expect(out.reduce((a, b) => a + b, 0) / N, 'mean PHASE bytes out per node').toBeLessThanOrEqual(bound);
    // PHASE did flow: the miners sent some, every non-miner received some.
    expect(out.slice(0, MINERS).every((b) => b > 0)).toBe(true);
    expect(inb.slice(MINERS).every((b) => b > 0)).toBe(true);
  }, 45_000);
});
