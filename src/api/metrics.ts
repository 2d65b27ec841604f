// Prometheus metrics on a private prom-client Registry, filled at scrape time from NodeView.stats().
// Subsystems only keep plain counters in NodeStats; nothing outside this file imports prom-client.
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { NodeStats, NodeView } from './types.js';

export interface Metrics {
  readonly registry: Registry;
  readonly contentType: string;
  /** One stats() snapshot per scrape, rendered in the Prometheus text format. */
  render(): Promise<string>;
  /** Counts one API request (route is the pattern, e.g. "/blocks/:ref", so labels stay bounded). */
  observeRequest(route: string, method: string, status: number): void;
}

export interface MetricsOptions {
  /** Node.js process metrics (CPU, memory, event loop). Default true. */
  processMetrics?: boolean;
  prefix?: string;
}

type Snapshot = () => NodeStats;

export function createMetrics(view: Pick<NodeView, 'stats'>, opts: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  const p = opts.prefix ?? 'bloomcoin_';
  let cached: NodeStats | undefined;
  const snap: Snapshot = () => (cached ??= view.stats());
  const registers = [registry];

  const gauge = (name: string, help: string, read: (s: NodeStats) => number): void => {
    new Gauge({ name: p + name, help, registers, collect() { this.set(read(snap())); } });
  };
  // a counter mirrored from a cumulative value: reset then inc keeps the Prometheus counter type
  const counter = (name: string, help: string, read: (s: NodeStats) => number): void => {
    new Counter({ name: p + name, help, registers, collect() { this.reset(); this.inc(Math.max(0, read(snap()))); } });
  };
  const labelled = <L extends string>(
    kind: 'gauge' | 'counter',
    name: string,
    help: string,
    labelNames: L[],
    read: (s: NodeStats) => Array<[Record<L, string>, number]>,
  ): void => {
    const Kind = kind === 'gauge' ? Gauge : Counter;
    new Kind({
      name: p + name,
      help,
      labelNames,
      registers,
      collect(this: Gauge<L> | Counter<L>) {
        this.reset();
        for (const [labels, v] of read(snap())) {
          if (this instanceof Gauge) this.set(labels, v);
          else (this as Counter<L>).inc(labels, Math.max(0, v));
        }
      },
    });
  };
  const entries = (m: Record<string, number>) => Object.entries(m);

  gauge('height', 'Height of the best fully validated block', (s) => s.height);
  gauge('header_height', 'Height of the best header known', (s) => s.headerHeight);
  labelled('gauge', 'peers', 'Handshaken peers by direction', ['direction'], (s) => [
    [{ direction: 'inbound' }, s.peers.inbound],
    [{ direction: 'outbound' }, s.peers.outbound],
  ]);
  labelled('counter', 'messages_total', 'P2P messages by direction and type', ['direction', 'type'], (s) => [
    ...entries(s.messagesIn).map(([type, v]) => [{ direction: 'in', type }, v] as [Record<'direction' | 'type', string>, number]),
    ...entries(s.messagesOut).map(([type, v]) => [{ direction: 'out', type }, v] as [Record<'direction' | 'type', string>, number]),
  ]);
  labelled('counter', 'bytes_total', 'P2P bytes by direction and message type', ['direction', 'type'], (s) => [
    ...entries(s.bytesIn).map(([type, v]) => [{ direction: 'in', type }, v] as [Record<'direction' | 'type', string>, number]),
    ...entries(s.bytesOut).map(([type, v]) => [{ direction: 'out', type }, v] as [Record<'direction' | 'type', string>, number]),
  ]);
  labelled('counter', 'invalid_messages_total', 'Invalid or rejected messages by reason', ['reason'], (s) =>
    entries(s.invalid).map(([reason, v]) => [{ reason }, v]),
  );
  counter('bans_total', 'Peers banned since start', (s) => s.bans);
  gauge('sync_headers', 'Sync: best header height', (s) => s.sync.headers);
  gauge('sync_blocks', 'Sync: best block height', (s) => s.sync.blocks);
  gauge('sync_target_height', 'Sync: highest height claimed by a peer', (s) => s.sync.target);
  gauge('mempool_txs', 'Transactions in the mempool', (s) => s.mempool.size);
  gauge('mempool_bytes', 'Bytes of transactions in the mempool', (s) => s.mempool.bytes);
  gauge('coherence_r', 'Local Kuramoto order parameter r', (s) => s.coherence.r);
  gauge('coherence_psi', 'Local mean phase psi, radians', (s) => s.coherence.psi);
  gauge('network_coherence', 'Mean r over this node and its peers', (s) => s.coherence.network);
  gauge('coherence_rounds', 'Consecutive coherence rounds above Z_C', (s) => s.rounds);
  counter('coherence_rounds_total', 'Coherence rounds run since start', (s) => s.roundsTotal);
  counter('blocks_mined_total', 'Blocks mined by this node since start', (s) => s.blocksMined);
  gauge('hashrate', 'Nonces tried per second (recent average)', (s) => s.hashrate);
  counter('gossip_shares_total', 'PHASE messages shared', (s) => s.gossip.shares);
  counter('gossip_relays_total', 'PHASE and BLOOM messages relayed', (s) => s.gossip.relays);
  counter('gossip_phase_rate_limited_total', 'PHASE messages dropped undecoded by the per-peer rate limit', (s) => s.gossip.rateLimited ?? 0);
  gauge('gossip_mesh_peers', 'Peers in the aggregate PHASE mesh', (s) => s.gossip.meshPeers ?? 0);
  gauge('pool_utilization', 'Worker pool utilisation, 0..1', (s) => s.pool.utilization);
  gauge('pool_queue', 'Tasks waiting for a worker', (s) => s.pool.queue);
  labelled('gauge', 'mining_backend', 'Backend grinding nonces (1 for the one in use)', ['backend'], (s) =>
    s.miningBackend ? [[{ backend: s.miningBackend }, 1]] : [],
  );

  const requests = new Counter({
    name: p + 'api_requests_total',
    help: 'HTTP API requests by route, method and status',
    labelNames: ['route', 'method', 'status'],
    registers,
  });
  if (opts.processMetrics ?? true) collectDefaultMetrics({ register: registry });

  return {
    registry,
    contentType: registry.contentType,
    async render() {
      cached = undefined;
      try {
        return await registry.metrics();
      } finally {
        cached = undefined;
      }
    },
    observeRequest(route, method, status) {
      requests.inc({ route, method, status: String(status) });
    },
  };
}
