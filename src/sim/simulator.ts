// The simulator: N real nodes (peer manager, chain, sync, gossip, miner) on the in-memory network
// with virtual time; measures block propagation, coherence, traffic, duplicates, memory and forks.
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DEVNET, HEADER_SIZE, TX_SIZE, Z_C, type NetworkProfile } from '../constants.js';
import { signTx } from '../chain/tx.js';
import { MsgType } from '../wire/types.js';
import { encodeHeader } from '../chain/header.js';
import type { Core } from '../core/types.js';
import type { GossipStrategy } from '../gossip/strategy.js';
import type { RelayMode } from '../gossip/aggregate.js';
import { settle, VirtualClock } from './clock.js';
import { createSimNode, stringTable, type SimNode, type SimNodeSpec } from './factory.js';
import { blockKeyOfHeader, hashKeyOf, WireMeter } from './meter.js';
import { Rng, type LatencySpec } from './rng.js';
import { churnSchedule, graphStats, hostOf, indexOf, pickSeeds, pushGossipRounds, splitRule, type GraphStats } from './topology.js';
import { MemoryNetwork } from './transport.js';
import { DeliveryTracker, SybilHerd, type HostileReport, type SybilOptions } from './sybil.js';
import { CpuModel, loadCpuCosts } from './cpu.js';
import { memoCore } from './memo-core.js';

export interface SimOptions {
  nodes: number;
  /** Peer slots per node (maxPeers); half are dialled out, so the mean degree approaches this. */
  degree: number;
  latency: LatencySpec;
  /** Bytes/s per connection direction; 0 = unlimited. */
  bandwidth: number;
  loss: number;
  strategy: GossipStrategy;
  /** PHASE relay of every node (default aggregate; flood = seed 2.6). */
  relay?: RelayMode;
  seconds: number;
  miners: number;
  /** Fraction of nodes leaving (each replaced by a newcomer) per virtual minute. */
  churn: number;
  seed: number;
  /** Coherence round = gossip rate limit, ms (mainnet 618). */
  roundMs: number;
  /** Target block interval, s: sets the miners' virtual hashrate (the devnet target needs ~4096 hashes). */
  blockTimeSec: number;
  /** Oscillators per simulated miner. */
  oscillators: number;
  /** Nodes start uniformly over this many ms. */
  startSpreadMs: number;
  /** Bootstrap addresses per node (drawn from nodes started before it). */
  seedsPerNode: number;
  /** Sampling period for coherence and memory, ms (default: one round). */
  sampleMs?: number;
  /** Cut the network in two halves (both with miners) at fromSec and heal it at toSec. */
  partition?: { fromSec: number; toSec: number };
  /** Hostile nodes (src/sim/sybil.ts); count 0 measures the same window without them. */
  sybils?: SybilOptions;
  /** Signed transactions per virtual second, spent from miners' coinbases at their own nodes (0 = none). */
  txRate: number;
  /** Charge CPU time per received frame in virtual time (src/sim/cpu.ts). */
  cpu: boolean;
  /** Progress lines (virtual seconds, wall seconds). */
  onProgress?: (virtualSec: number, wallSec: number) => void;
}

export const DEFAULT_SIM_OPTIONS: SimOptions = Object.freeze({
  nodes: 100,
  degree: 8,
  latency: { kind: 'fixed', ms: 50 } as LatencySpec,
  bandwidth: 0,
  loss: 0,
  strategy: 'bloom' as GossipStrategy,
  seconds: 600,
  miners: 1,
  churn: 0,
  seed: 42,
  roundMs: 618,
  blockTimeSec: 60,
  oscillators: 64,
  startSpreadMs: 5_000,
  seedsPerNode: 3,
  cpu: true,
  txRate: 0,
});

/** The simulated network's profile: devnet's chain (easy target, genesis) with the chosen round length. */
export function simProfile(roundMs: number, blockTimeSec: number, oscillators: number): NetworkProfile {
  return Object.freeze({ ...DEVNET, gossipIntervalMs: roundMs, blockTimeSec, oscillators });
}

/** Expected hashes per block at compact target `bits`: 2^256 / (target + 1). */
export function expectedHashes(bits: number): number {
  const exp = bits >>> 24;
  const mant = bits & 0x007fffff;
  const target = BigInt(mant) << BigInt(8 * (exp - 3));
  return Number((1n << 256n) / (target + 1n));
}

interface BlockTrack {
  key: number;
  height: number;
  /** Virtual ms of the first connect anywhere (the miner's own). */
  birth: number;
  miner: number;
  /** Node index → virtual ms it first had the block on its best chain. */
  arrivals: Map<number, number>;
  /** Nodes online at birth. */
  online: number[];
}

export interface Quantiles {
  p50: number | null;
  p90: number | null;
  p100: number | null;
}

export interface BlockReport {
  height: number;
  miner: number;
  bornSec: number;
  /** Fraction of the nodes online at birth (and still online at the end) that got it. */
  reached: number;
  /** Those nodes that never got it. */
  missing: number;
  seconds: Quantiles;
  /** Relay hops (BLOCK frames) until the share of nodes was reached. */
  hops: Quantiles;
}

export interface SimReport {
  params: Omit<SimOptions, 'onProgress'> & { profile: { roundMs: number; blockTimeSec: number; expectedHashes: number } };
  network: {
    online: number;
    joins: number;
    leaves: number;
    graph: GraphStats;
    connects: number;
    refused: number;
    timeouts: number;
    resets: number;
    retransmits: number;
  };
  blocks: {
    mined: number;
    mainChain: number;
    measured: number;
    /** Lowest share of nodes a measured block reached (1 = every block reached every node). */
    minReached: number | null;
    meanIntervalSec: number | null;
    /** Medians over the measured blocks (and the worst block). */
    seconds: { median: Quantiles; max: Quantiles };
    hops: { median: Quantiles; max: Quantiles };
    /** seconds / roundMs: the seed's unit of "rounds". */
    gossipRounds: { median: Quantiles };
    perBlock: BlockReport[];
    /** Mean coverage (0..1) against seconds since birth over the measured blocks. */
    curve: [number, number][];
  };
  coherence: {
    /** First time any miner's own r > Z_C, s. */
    firstMinerAboveZc: number | null;
    /** First time the share of online nodes whose view of network coherence is > Z_C reached 50/90/100 %. */
    networkAboveZc: Quantiles;
    finalMeanView: number;
  };
  bandwidth: {
    bytesPerNodePerSec: number;
    /** Per connection end (what the seed calls "per peer"). */
    bytesPerPeerPerSec: number;
    byType: Record<string, { framesPerNodePerSec: number; bytesPerNodePerSec: number; share: number }>;
    oddChunks: number;
  };
  duplicates: Record<string, { unique: number; duplicates: number; perDelivered: number }>;
  forks: {
    /** Heights where more than one block was mined. */
    competingHeights: number;
    /** Blocks mined but not on the final majority chain. */
    staleBlocks: number;
    reorgs: number;
    maxReorgDepth: number;
  };
  tips: { distinct: number; majorityShare: number; majorityHeight: number };
  bounds: { log2N: number; pushGossipRounds: number };
  /** Transaction load (null without --tx-rate): seconds from entry until every other node had it (p50/p99 over txs), and per node. */
  tx: {
    rate: number;
    generated: number;
    unfunded: number;
    accepted: number;
    refused: number;
    measured: number;
    reachedAllShare: number | null;
    toAllNodes: { p50: number | null; p99: number | null };
    perNode: { p50: number | null; p99: number | null };
  } | null;
  /** Processing charged in virtual time (null with cpu off): mean share of time a node is busy, and the busiest. */
  cpu: { source: string; meanBusyShare: number; maxBusyShare: number; costsMs: Record<string, number> } | null;
  errors: { timerErrors: number; first: string[] };
  /** Delivery to honest nodes and defences, when run with `sybils`. */
  hostile?: HostileReport;
  /** Wall-clock and memory: differ between runs even with the same seed. */
  perf: { wallSec: number; events: number; heapBaseMB: number; heapPeakMB: number; peakPerNodeKB: number; retainedPerNodeKB: number };
}

/** Runs one simulation to the end and returns its report. */
export async function runSimulation(core: Core, input: Partial<SimOptions>): Promise<SimReport> {
  const sim = new Simulation(core, input);
  try {
    return await sim.run();
  } finally {
    await sim.shutdown();
  }
}

export class Simulation {
  readonly clock = new VirtualClock();
  readonly rng: Rng;
  readonly net: MemoryNetwork;
  readonly meter: WireMeter;
  readonly profile: NetworkProfile;
  /** CPU time per hop; null with cpu off. */
  readonly cpu: CpuModel | null;
  private readonly nodes = new Map<number, SimNode>();
  /** Host and key strings shared by every node's address book (~60 % of the heap when each held copies). */
  private readonly intern = stringTable();
  /** The nodes' core: repeats of a PHASE decode / hash answered from a table (src/sim/memo-core.ts). */
  private readonly nodeCore: Core;
  private readonly minerIdx = new Set<number>();
  private readonly blocks = new Map<number, BlockTrack>();
  private nextIndex = 0;
  private joins = 0;
  private leaves = 0;
  private reorgs = 0;
  private maxReorgDepth = 0;
  private firstMinerAboveZc: number | null = null;
  private readonly netAboveZc: Quantiles = { p50: null, p90: null, p100: null };
  private heapBase = 0;
  private heapPeak = 0;
  private onlineSum = 0;
  private onlineSamples = 0;
  private readonly hashrate: number;
  private wall0 = 0;
  private herd: SybilHerd | null = null;
  private tracker: DeliveryTracker | null = null;

  private readonly opts: SimOptions;
  /** Transactions accepted at their entry node: key → birth, first-receipt times at other nodes. */
  private readonly txs = new Map<number, { birth: number; sender: number; online: number; seen: Uint8Array; times: number[] }>();
  private readonly txNonce = new Map<number, bigint>();
  private txGenerated = 0;
  private txRefused = 0;
  private txSkipped = 0;

  constructor(
    core: Core,
    input: Partial<SimOptions>,
  ) {
    const opts: SimOptions = { ...DEFAULT_SIM_OPTIONS, ...input };
    this.opts = opts;
    this.nodeCore = memoCore(core);
    this.rng = new Rng(opts.seed);
    this.net = new MemoryNetwork(this.clock, this.rng.fork('net'), {
      latency: opts.latency,
      bandwidth: opts.bandwidth,
      loss: opts.loss,
    }, indexOf);
    this.meter = new WireMeter(opts.nodes * 2);
    this.net.observer = opts.txRate > 0 ? (from, to, chunk) => (this.meter.observe(from, to, chunk), this.observeTx(to, chunk)) : this.meter.observe;
    this.cpu = opts.cpu ? new CpuModel(loadCpuCosts(), (chunk, start) => hashKeyOf(chunk, start, start + HEADER_SIZE)) : null;
    this.net.cpu = this.cpu;
    this.profile = simProfile(opts.roundMs, opts.blockTimeSec, opts.oscillators);
    if (opts.sybils) this.tracker = new DeliveryTracker(this.clock);
    this.hashrate = expectedHashes(this.profile.startBits) / opts.blockTimeSec / Math.max(1, opts.miners);
  }

  /** Runs to the end and reports. */
  async run(): Promise<SimReport> {
    await this.build();
    await this.runTo(this.opts.seconds);
    return this.finish();
  }

  /** Creates every node (their starts spread over startSpreadMs) and schedules churn, partition and sampling. */
  async build(): Promise<void> {
    const o = this.opts;
    this.wall0 = performance.now();
    forceGc();
    this.heapBase = process.memoryUsage().heapUsed;
    this.heapPeak = this.heapBase;
    const startRng = this.rng.fork('start');
    const order = Array.from({ length: o.nodes }, (_, i) => i);
    const startAt = order.map(() => Math.round(startRng.range(0, o.startSpreadMs)));
    order.sort((a, b) => startAt[a]! - startAt[b]! || a - b);
    // Miners: spread over the start order; with a partition, alternate halves so both sides mine.
    const minerRng = this.rng.fork('miners');
    const candidates = minerRng.shuffle(Array.from({ length: o.nodes }, (_, i) => i));
    if (o.partition) {
      const lo = candidates.filter((i) => i < Math.ceil(o.nodes / 2));
      const hi = candidates.filter((i) => i >= Math.ceil(o.nodes / 2));
      for (let k = 0; this.minerIdx.size < Math.min(o.miners, o.nodes); k++) {
        const pick = k % 2 === 0 ? lo[k >> 1] : hi[k >> 1];
        if (pick !== undefined) this.minerIdx.add(pick);
        if (k > 2 * o.nodes) break;
      }
    } else {
      for (const i of candidates.slice(0, Math.min(o.miners, o.nodes))) this.minerIdx.add(i);
    }
    this.nextIndex = o.nodes;
    this.meter.grow(o.nodes * 2);
    const seedRng = this.rng.fork('seeds');
    const started: number[] = [];
    for (const i of order) {
      const seeds = pickSeeds(seedRng, i, started, o.seedsPerNode);
      started.push(i);
      await this.addNode(i, seeds, startAt[i]!);
    }
    // Churn and partitions as scheduled events on the same clock.
    for (const ev of churnSchedule(this.rng.fork('churn'), o.nodes, o.churn, o.startSpreadMs + 10_000, o.seconds * 1000)) {
      this.clock.at(ev.at, () => void (ev.kind === 'leave' ? this.leave() : this.join()));
    }
    if (o.partition) {
      const half = new Set(Array.from({ length: Math.ceil(o.nodes / 2) }, (_, i) => hostOf(i)));
      this.clock.at(o.partition.fromSec * 1000, () => this.net.setCut(splitRule(half)));
      this.clock.at(o.partition.toSec * 1000, () => this.net.setCut(null));
    }
    if (o.sybils) this.buildSybils(o.sybils);
    if (o.txRate > 0) this.scheduleTx(this.rng.fork('tx'), o.startSpreadMs);
    const sampleMs = o.sampleMs ?? o.roundMs;
    this.clock.setInterval(() => this.sample(), sampleMs);
  }

  /** Advances virtual time to `sec`. */
  async runTo(sec: number): Promise<void> {
    const o = this.opts;
    let nextProgress = performance.now() + 5000;
    await this.clock.runUntil(sec * 1000, {
      afterBatch: () => {
        if (o.onProgress && performance.now() > nextProgress) {
          nextProgress = performance.now() + 5000;
          o.onProgress(this.clock.elapsed() / 1000, (performance.now() - this.wall0) / 1000);
        }
      },
    });
  }

  /** Nodes online now. */
  online(): SimNode[] {
    return [...this.nodes.values()];
  }

  isMiner(index: number): boolean {
    return this.minerIdx.has(index);
  }

  /** The report of the run so far (measurements end at the current virtual time). */
  finish(): SimReport {
    const wall0 = this.wall0;
    const o = this.opts;
    this.sampleHeap();
    const report = this.report();
    forceGc();
    const retained = process.memoryUsage().heapUsed - this.heapBase;
    if (o.sybils && this.tracker) report.hostile = this.tracker.report(this.online(), o.sybils, this.herd?.counters ?? null);
    report.perf = {
      wallSec: round((performance.now() - wall0) / 1000, 2),
      events: this.clock.fired,
      heapBaseMB: round(this.heapBase / 2 ** 20, 1),
      heapPeakMB: round(this.heapPeak / 2 ** 20, 1),
      peakPerNodeKB: round((this.heapPeak - this.heapBase) / 1024 / Math.max(1, o.nodes), 1),
      retainedPerNodeKB: round(retained / 1024 / Math.max(1, o.nodes), 1),
    };
    return report;
  }

  /** Stops every node and drops pending events. */
  async shutdown(): Promise<void> {
    this.herd?.stop();
    const all = [...this.nodes.values()];
    this.nodes.clear();
    for (const n of all) this.net.hostDown(n.host);
    await Promise.all(all.map((n) => n.stop().catch(() => undefined)));
    // Stops queue timers of their own; let them run out without advancing time further.
    await this.clock.runFor(0);
    await settle();
    this.clock.clear();
  }

  private async addNode(i: number, seeds: number[], at: number): Promise<void> {
    const host = hostOf(i);
    const mining = this.minerIdx.has(i);
    const spec: SimNodeSpec = {
      index: i,
      host,
      seeds: seeds.map((s) => hostOf(s)),
      port: this.profile.p2pPort,
      transport: this.net.transport(host),
      clock: this.clock,
      core: this.nodeCore,
      profile: this.profile,
      strategy: this.opts.strategy,
      ...(this.opts.relay ? { relay: this.opts.relay } : {}),
      maxPeers: this.opts.degree,
      rng: this.rng.fork(`node/${i}`),
      mine: mining,
      hashrate: this.hashrate,
      oscillators: this.opts.oscillators,
      keyed: mining && this.opts.txRate > 0,
      intern: this.intern,
    };
    const node = await createSimNode(spec);
    this.nodes.set(i, node);
    this.tracker?.watch(node, () => [...this.nodes.keys()]);
    node.chain.onTip((change) => {
      const now = this.clock.elapsed();
      if (change.disconnected.length > 0) {
        this.reorgs++;
        this.maxReorgDepth = Math.max(this.maxReorgDepth, change.disconnected.length);
      }
      for (const b of change.connected) this.arrive(b.header, i, now);
    });
    this.clock.at(at, () => {
      if (this.nodes.get(i) === node) void node.start().catch((e: unknown) => this.clock.firstErrors.push(String(e)));
    });
  }

  /** Sybils come up at atSec (with the honest nodes' start spread on a cold boot, over 2 s on a running network). */
  private buildSybils(so: SybilOptions): void {
    const at = so.atSec * 1000;
    this.clock.at(at, () => this.tracker?.markPhase(this.online()));
    if (so.count <= 0) return;
    let hosts: string[] = [];
    let hostsAt = -1;
    const honest = (): string[] => {
      // refreshed once a virtual second: squatters redial many times a second
      if (this.clock.elapsed() - hostsAt >= 1000) {
        hosts = [...this.nodes.values()].map((n) => n.host);
        hostsAt = this.clock.elapsed();
      }
      return hosts;
    };
    this.herd = new SybilHerd(this.net, this.clock, this.profile, this.rng.fork('sybils'), so, honest);
    // the meter counts honest nodes' frames by node index; sybil hosts have none
    const observe = this.meter.observe;
    this.net.observer = (from, to, chunk) => {
      if (from >= 0 && to >= 0) observe(from, to, chunk);
    };
    const herd = this.herd;
    this.clock.at(at, () => void herd.start(so.atSec === 0 ? this.opts.startSpreadMs : 2_000).catch((e: unknown) => this.clock.firstErrors.push(String(e))));
  }

  private arrive(header: Parameters<typeof encodeHeader>[0], node: number, now: number): void {
    const key = blockKeyOfHeader(encodeHeader(header));
    let t = this.blocks.get(key);
    if (!t) {
      t = { key, height: header.height, birth: now, miner: node, arrivals: new Map(), online: [...this.nodes.keys()] };
      this.blocks.set(key, t);
    }
    if (!t.arrivals.has(node)) t.arrivals.set(node, now);
  }

  /** Poisson arrivals at txRate: each a signed payment from a random funded miner, entered at its own node. */
  private scheduleTx(rng: Rng, from: number): void {
    const gap = (-Math.log(1 - rng.next()) * 1000) / this.opts.txRate;
    this.clock.at(from + gap, () => {
      this.makeTx(rng);
      this.scheduleTx(rng, this.clock.elapsed());
    });
  }

  private makeTx(rng: Rng): void {
    const miners = [...this.minerIdx];
    const i = miners[rng.int(miners.length)]!;
    const node = this.nodes.get(i);
    this.txGenerated++;
    if (!node?.started || !node.key) return void this.txSkipped++;
    const key = node.key;
    const acct = node.account(key.address);
    const fee = 10n;
    const amount = 1_000n;
    if (acct.balance < 100n * (amount + fee)) return void this.txSkipped++; // not funded yet (no block mined by it)
    const nonce = this.txNonce.get(i) ?? acct.nonce;
    const to = rng.bytes(20);
    const bytes = signTx(key, { to, amount, fee, nonce: nonce > acct.nonce ? nonce : acct.nonce }, this.profile.magic);
    const k = hashKeyOf(bytes, 0, bytes.length);
    const born = this.clock.elapsed();
    const online = this.nodes.size;
    void node.submitTx(bytes).then(
      (r) => {
        if (!r.accepted) {
          this.txRefused++;
          this.txNonce.delete(i);
          return;
        }
        this.txNonce.set(i, (nonce > acct.nonce ? nonce : acct.nonce) + 1n);
        const t = this.txs.get(k);
        if (t) t.birth = born;
        else this.txs.set(k, { birth: born, sender: i, online, seen: new Uint8Array((this.nextIndex + 8) >> 3), times: [] });
      },
      () => void this.txRefused++,
    );
  }

  /** First receipt of each generated tx at each node (TX frames on the wire). */
  private observeTx(to: number, chunk: Uint8Array): void {
    if (to < 0 || chunk.length < 5 + TX_SIZE || chunk[0] !== MsgType.TX) return;
    const t = this.txs.get(hashKeyOf(chunk, 5, 5 + TX_SIZE));
    if (!t || to === t.sender) return;
    if (t.seen.length * 8 <= to) {
      const bigger = new Uint8Array((to + 8) >> 3);
      bigger.set(t.seen);
      t.seen = bigger;
    }
    const bit = 1 << (to & 7);
    if (t.seen[to >> 3]! & bit) return;
    t.seen[to >> 3]! |= bit;
    t.times.push(this.clock.elapsed() - t.birth);
  }

  private txReport(endMs: number): SimReport['tx'] {
    if (this.opts.txRate <= 0) return null;
    const all: number[] = [];
    const full: number[] = [];
    let measured = 0;
    let reachedAll = 0;
    for (const t of this.txs.values()) {
      if (endMs - t.birth < 10_000) continue; // too young to have spread
      measured++;
      for (const x of t.times) all.push(x / 1000);
      // every other node online at its birth (churn aside)
      if (t.times.length >= t.online - 1) {
        reachedAll++;
        full.push(Math.max(...t.times) / 1000);
      }
    }
    all.sort((a, b) => a - b);
    full.sort((a, b) => a - b);
    const pct = (xs: number[], p: number): number | null => (xs.length ? round(xs[Math.min(xs.length - 1, Math.ceil(p * xs.length) - 1)]!, 3) : null);
    return {
      rate: this.opts.txRate,
      generated: this.txGenerated,
      unfunded: this.txSkipped,
      accepted: this.txs.size,
      refused: this.txRefused,
      measured,
      reachedAllShare: measured ? round(reachedAll / measured, 4) : null,
      toAllNodes: { p50: pct(full, 0.5), p99: pct(full, 0.99) },
      perNode: { p50: pct(all, 0.5), p99: pct(all, 0.99) },
    };
  }

  private leave(): void {
    const pool = [...this.nodes.keys()].filter((i) => !this.minerIdx.has(i));
    if (pool.length === 0) return;
    const i = pool[this.rng.int(pool.length)]!;
    const node = this.nodes.get(i)!;
    this.nodes.delete(i);
    this.leaves++;
    this.net.hostDown(node.host); // a crash, not a goodbye: peers see resets
    void node.stop().catch(() => undefined);
  }

  private join(): void {
    const i = this.nextIndex++;
    this.joins++;
    this.meter.grow(this.nextIndex + 1);
    const online = [...this.nodes.keys()];
    const seeds = pickSeeds(this.rng, i, online, this.opts.seedsPerNode);
    void this.addNode(i, seeds, this.clock.elapsed());
  }

  private sample(): void {
    const now = this.clock.elapsed();
    this.onlineSum += this.nodes.size;
    this.onlineSamples++;
    if (this.onlineSamples % 16 === 1) this.sampleHeap();
    // the coherence figures are first crossings: once all are known, no node's view needs reading again
    if (this.firstMinerAboveZc !== null && this.netAboveZc.p100 !== null) return;
    let above = 0;
    let n = 0;
    for (const [i, node] of this.nodes) {
      if (!node.started) continue;
      n++;
      if (node.networkCoherence() > Z_C) above++;
      if (this.firstMinerAboveZc === null && this.minerIdx.has(i) && (node.minerR() ?? 0) > Z_C) this.firstMinerAboveZc = now;
    }
    const total = this.nodes.size;
    if (n === total && total > 0) {
      const f = above / total;
      if (this.netAboveZc.p50 === null && f >= 0.5) this.netAboveZc.p50 = now / 1000;
      if (this.netAboveZc.p90 === null && f >= 0.9) this.netAboveZc.p90 = now / 1000;
      if (this.netAboveZc.p100 === null && f >= 1) this.netAboveZc.p100 = now / 1000;
    }
  }

  private sampleHeap(): void {
    this.heapPeak = Math.max(this.heapPeak, process.memoryUsage().heapUsed);
  }

  private cpuReport(online: number[], endMs: number): SimReport['cpu'] {
    const cpu = this.cpu;
    if (!cpu) return null;
    const shares = online.map((i) => cpu.busyMs(i) / Math.max(1, endMs));
    const { source, ...costs } = cpu.costs;
    return {
      source,
      meanBusyShare: round(mean(shares), 6),
      maxBusyShare: round(shares.length ? Math.max(...shares) : 0, 6),
      costsMs: Object.fromEntries(Object.entries(costs).map(([k, v]) => [k, round(v, 6)])),
    };
  }

  private report(): SimReport {
    const o = this.opts;
    const endMs = this.clock.elapsed();
    const online = [...this.nodes.keys()];
    const onlineSet = new Set(online);
    // Final tips: the majority chain decides which blocks count as the main chain.
    const tipCount = new Map<string, { n: number; height: number }>();
    for (const node of this.nodes.values()) {
      const t = node.chain.tip();
      const k = Buffer.from(t.hash).toString('hex');
      const e = tipCount.get(k) ?? { n: 0, height: t.height };
      e.n++;
      tipCount.set(k, e);
    }
    let majority = { n: 0, height: 0, key: '' };
    for (const [k, v] of [...tipCount.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) if (v.n > majority.n) majority = { ...v, key: k };
    const majorityNode = [...this.nodes.values()].find((n) => Buffer.from(n.chain.tip().hash).toString('hex') === majority.key);
    const mainKeys = new Set<number>();
    for (const t of this.blocks.values()) {
      // On the majority chain when the majority node has it (arrivals remember only best-chain connects, so reorged-away blocks
      // may still be listed there: confirm by height → latest arrival at that height).
      if (majorityNode && t.arrivals.has(majorityNode.index)) mainKeys.add(t.key);
    }
    const byHeight = new Map<number, BlockTrack[]>();
    for (const t of this.blocks.values()) byHeight.set(t.height, [...(byHeight.get(t.height) ?? []), t]);
    // Where the majority node saw several blocks at one height (a reorg), the main one is the last it connected.
    if (majorityNode) {
      for (const list of byHeight.values()) {
        const mine = list.filter((t) => mainKeys.has(t.key));
        if (mine.length > 1) {
          mine.sort((a, b) => b.arrivals.get(majorityNode.index)! - a.arrivals.get(majorityNode.index)!);
          for (const t of mine.slice(1)) mainKeys.delete(t.key);
        }
      }
    }
    const mined = this.blocks.size;
    const perBlock: BlockReport[] = [];
    const curves: number[][] = [];
    // 10 ms steps to 3 s (blocks are relayed at once, so coverage moves in latency-sized steps), then 0.25 s to 30 s.
    const grid = [...Array.from({ length: 301 }, (_, k) => round(k * 0.01, 2)), ...Array.from({ length: 108 }, (_, k) => 3.25 + k * 0.25)];
    for (const t of [...this.blocks.values()].sort((a, b) => a.birth - b.birth)) {
      if (!mainKeys.has(t.key)) continue;
      const eligible = t.online.filter((i) => onlineSet.has(i));
      if (eligible.length === 0) continue;
      const times = eligible.map((i) => t.arrivals.get(i)).filter((x): x is number => x !== undefined).map((x) => (x - t.birth) / 1000).sort((a, b) => a - b);
      const reached = times.length / eligible.length;
      // Blocks born too near the end to finish are not measured.
      if (reached < 1 && endMs - t.birth < 60_000) continue;
      const hopArr = this.meter.hopsOf(t.key);
      const hops = eligible.map((i) => (i === t.miner ? 0 : hopArr && i < hopArr.length ? hopArr[i]! : -1)).filter((h) => h >= 0).sort((a, b) => a - b);
      perBlock.push({
        height: t.height,
        miner: t.miner,
        bornSec: round(t.birth / 1000, 3),
        reached: round(reached, 6),
        missing: eligible.length - times.length,
        seconds: quantiles(times, eligible.length),
        hops: quantiles(hops, eligible.length),
      });
      curves.push(grid.map((g) => countLe(times, g) / eligible.length));
    }
    const curve: [number, number][] = grid.map((g, k) => [g, round(curves.length ? curves.reduce((s, c) => s + c[k]!, 0) / curves.length : 0, 4)]);
    const mainBirths = [...this.blocks.values()].filter((t) => mainKeys.has(t.key)).map((t) => t.birth).sort((a, b) => a - b);
    const meanInterval = mainBirths.length > 1 ? (mainBirths[mainBirths.length - 1]! - mainBirths[0]!) / (mainBirths.length - 1) / 1000 : null;

    const pick = (f: (b: BlockReport) => Quantiles, agg: (xs: number[]) => number | null): Quantiles => ({
      p50: agg(perBlock.map((b) => f(b).p50).filter(isNum)),
      p90: agg(perBlock.map((b) => f(b).p90).filter(isNum)),
      p100: agg(perBlock.map((b) => f(b).p100).filter(isNum)),
    });
    const secMedian = pick((b) => b.seconds, median);
    const roundsOf = (q: Quantiles): Quantiles => ({
      p50: q.p50 === null ? null : round((q.p50 * 1000) / o.roundMs, 2),
      p90: q.p90 === null ? null : round((q.p90 * 1000) / o.roundMs, 2),
      p100: q.p100 === null ? null : round((q.p100 * 1000) / o.roundMs, 2),
    });

    // Traffic: bytes received over the run, per mean online node and second.
    const meanOnline = this.onlineSamples ? this.onlineSum / this.onlineSamples : online.length;
    const nodeSec = Math.max(1, meanOnline) * Math.max(1e-3, endMs / 1000);
    const byType: SimReport['bandwidth']['byType'] = {};
    for (const [name, t] of [...this.meter.traffic.entries()].sort((a, b) => b[1].bytes - a[1].bytes)) {
      byType[name] = {
        framesPerNodePerSec: round(t.frames / nodeSec, 3),
        bytesPerNodePerSec: round(t.bytes / nodeSec, 1),
        share: round(t.bytes / Math.max(1, this.meter.totalBytes), 4),
      };
    }
    const links = this.net.links();
    const graph = graphStats(online, links.map(([a, b]) => [indexOf(a), indexOf(b)] as [number, number]), this.rng.fork('graph'));
    const bytesPerNode = this.meter.totalBytes / nodeSec;
    let competing = 0;
    for (const list of byHeight.values()) if (list.length > 1) competing++;
    const { onProgress: _p, ...params } = o;
    void _p;
    return {
      params: {
        ...params,
        profile: { roundMs: o.roundMs, blockTimeSec: o.blockTimeSec, expectedHashes: expectedHashes(this.profile.startBits) },
      },
      network: {
        online: online.length,
        joins: this.joins,
        leaves: this.leaves,
        graph: { ...graph, meanDegree: round(graph.meanDegree, 3), meanPath: round(graph.meanPath, 3) },
        connects: this.net.counters.connects,
        refused: this.net.counters.refused,
        timeouts: this.net.counters.timeouts,
        resets: this.net.counters.resets,
        retransmits: this.net.counters.retransmits,
      },
      blocks: {
        mined,
        mainChain: mainKeys.size,
        measured: perBlock.length,
        minReached: perBlock.length ? Math.min(...perBlock.map((b) => b.reached)) : null,
        meanIntervalSec: meanInterval === null ? null : round(meanInterval, 2),
        seconds: { median: secMedian, max: pick((b) => b.seconds, max) },
        hops: { median: pick((b) => b.hops, median), max: pick((b) => b.hops, max) },
        gossipRounds: { median: roundsOf(secMedian) },
        perBlock,
        curve,
      },
      coherence: {
        firstMinerAboveZc: this.firstMinerAboveZc === null ? null : this.firstMinerAboveZc / 1000,
        networkAboveZc: this.netAboveZc,
        finalMeanView: round(mean([...this.nodes.values()].map((n) => n.networkCoherence())), 4),
      },
      bandwidth: {
        bytesPerNodePerSec: round(bytesPerNode, 1),
        bytesPerPeerPerSec: round(bytesPerNode / Math.max(1e-9, graph.meanDegree), 1),
        byType,
        oddChunks: this.meter.oddChunks,
      },
      duplicates: roundDeep(this.meter.dupStats()),
      forks: { competingHeights: competing, staleBlocks: mined - mainKeys.size, reorgs: this.reorgs, maxReorgDepth: this.maxReorgDepth },
      tips: { distinct: tipCount.size, majorityShare: round(majority.n / Math.max(1, this.nodes.size), 4), majorityHeight: majority.height },
      bounds: { log2N: round(Math.log2(o.nodes), 3), pushGossipRounds: round(pushGossipRounds(o.nodes), 3) },
      cpu: this.cpuReport(online, endMs),
      tx: this.txReport(endMs),
      errors: { timerErrors: this.clock.errors, first: this.clock.firstErrors.slice(0, 3).map((s) => s.split('\n').slice(0, 3).join(' | ')) },
      perf: { wallSec: 0, events: 0, heapBaseMB: 0, heapPeakMB: 0, peakPerNodeKB: 0, retainedPerNodeKB: 0 },
    };
  }
}

function quantiles(sorted: number[], population: number): Quantiles {
  const at = (p: number): number | null => {
    const need = Math.ceil(p * population);
    return need >= 1 && sorted.length >= need ? round(sorted[need - 1]!, 3) : null;
  };
  return { p50: at(0.5), p90: at(0.9), p100: at(1) };
}

function countLe(sorted: number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const isNum = (x: number | null): x is number => x !== null;
const mean = (xs: number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return round(s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2, 3);
}
const max = (xs: number[]): number | null => (xs.length ? Math.max(...xs) : null);

export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function roundDeep<T>(v: T): T {
  return JSON.parse(JSON.stringify(v, (_k, x: unknown) => (typeof x === 'number' && !Number.isInteger(x) ? round(x, 4) : x))) as T;
}

let gcFn: (() => void) | null | undefined;
/** A full GC for memory baselines (exposed at run time if node was not started with --expose-gc). */
function forceGc(): void {
  if (gcFn === undefined) {
    gcFn = (globalThis as { gc?: () => void }).gc ?? null;
    if (!gcFn) {
      try {
        v8.setFlagsFromString('--expose-gc');
        gcFn = runInNewContext('gc') as () => void;
      } catch {
        gcFn = null;
      }
    }
  }
  gcFn?.();
}
