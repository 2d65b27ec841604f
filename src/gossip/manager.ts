// Phase gossip (seed section 2): shares local phases by strategy, takes peers' PHASE / COHERENCE /
// BLOOM, relays per PhaseRelayProtocol and keeps a weighted view of the network's coherence.
import { PEER_PHASE_WEIGHT, PHASE_DOWNSAMPLE_ABOVE, type NetworkProfile } from '../constants.js';
import type { Core, PhaseState, WeightedPhases } from '../core/types.js';
import { BoundedSet } from '../bounded-set.js';
import { toHex } from '../bytes.js';
import { systemClock, type Clock, type TimerHandle, type TimeSource } from '../clock.js';
import { pointsFor, reasonText, verdictOf } from '../errors.js';
import { silentLogger, type Logger } from '../log.js';
import type { Peer, PeerNetwork } from '../p2p/types.js';
import { Rng } from '../prng.js';
import { MsgType, type BloomMsg } from '../wire/types.js';
import { AGGREGATE_MAX_INPUTS, AggregateRound, buildAggregate, DEFAULT_RELAY, type RelayMode } from './aggregate.js';
import { DEFAULT_MESH, maintainMesh, type MeshParams } from './mesh.js';
import { DigestRing } from './digest-table.js';
import { PhaseRelayProtocol } from './relay.js';
import { DEFAULT_STRATEGY, shouldShare, type GossipStrategy } from './strategy.js';

/** Misbehaviour points for a PHASE or COHERENCE that fails to decode (small: peers stay unless it repeats). */
export const INVALID_PHASE_POINTS = verdictOf('invalid-phase').points;
/** PHASE messages taken from one peer per gossip interval; more are dropped undecoded (docs/security.md). */
export const PHASE_RATE_LIMIT = 16;
/** Points per PHASE beyond 4× the rate limit in one interval: a flood reaches the ban threshold quickly. */
export const PHASE_FLOOD_POINTS = verdictOf('phase-flood').points;

/** Gossip reads the time; with timers (a full Clock) the aggregate relay also flushes on its own. */
export type GossipClock = TimeSource & Partial<Pick<Clock, 'setInterval' | 'clearInterval'>>;

export interface GossipOptions {
  net: PeerNetwork;
  core: Core;
  profile: NetworkProfile;
  strategy?: GossipStrategy;
  /** Gossip reads the time; with timers the aggregate relay flushes on its own. */
  clock?: GossipClock;
  logger?: Logger;
  /** Peer states handed out per drainIncoming() at most (highest r first). Default 8. */
  maxIncoming?: number;
  /** Weight each peer state carries into incorporation. Default PEER_PHASE_WEIGHT (0.1). */
  peerWeight?: number;
  /** PHASE messages accepted per peer per gossip interval (a relaying peer forwards one per miner). Default 16. */
  phaseRateLimit?: number;
  /** 'aggregate' (default): one merged PHASE per round to the mesh; 'flood': seed 2.6, every improved state to every peer. */
  relay?: RelayMode;
  /** Mesh sizes for aggregates (gossipsub D / D_lo / D_hi). */
  mesh?: MeshParams;
  /** States merged into one aggregate at most (highest r kept). Default AGGREGATE_MAX_INPUTS. */
  aggregateMaxInputs?: number;
  /** Seed of the mesh's random picks (the simulator passes one for reproducible runs). */
  seed?: number;
  /**
   * A peer's BLOOM (block hash + certificate bytes). Return the certificate of the block we hold to relay
   * the BLOOM onward with it (never the bytes the peer sent: relays carry only what was validated, issue
   * 19.6); anything else keeps it local.
   */
  onBloom?: (peer: Peer, blockHash: Uint8Array, cert: Uint8Array) => BloomVerdict | Promise<BloomVerdict>;
}

/** What onBloom answers: the held block's own certificate to relay with, or nothing to keep it local. */
export type BloomVerdict = Uint8Array | null | undefined | void;

export interface GossipStats {
  strategy: GossipStrategy;
  relayMode: RelayMode;
  /** Aggregate PHASEs built and sent (each counted once, however many mesh peers it went to). */
  aggregates: number;
  /** Peers in the aggregate mesh now (0 in flood mode). */
  meshPeers: number;
  /** PHASE shares of our own state. */
  shares: number;
  /** Peer phase states relayed onward to at least one peer (each counted once, however many it went to). */
  relays: number;
  /** PHASE messages sent in relays (summed over peers). */
  relaySends: number;
  /** PHASE / COHERENCE rejected as malformed. */
  invalid: number;
  /** Valid PHASE messages received. */
  received: number;
  /** PHASE messages dropped undecoded because the peer sent more than the rate limit allows. */
  rateLimited: number;
  coherenceMsgs: number;
  blooms: number;
  getPhaseAnswered: number;
  /** GETPHASE requests left unanswered because the peer was already answered this gossip round. */
  getPhaseIgnored: number;
  /** Peers whose r is part of networkCoherence() now. */
  peersWithCoherence: number;
  lastSharedR: number;
}

/** What gossip keeps per peer (its own map keyed by peer id: p2p's Peer holds no core types). */
interface PeerGossip {
  /** Last valid PHASE from this peer. */
  phase: PhaseState | null;
  /** r of the last valid PHASE / COHERENCE and when it came. */
  r: { r: number; at: number } | null;
  /**
   * Aggregate mode: r of the last aggregate we pushed to this mesh peer and when. The peer holds it (one
   * ordered connection) and, downstream of us, has nothing newer to push back, so its silence is no news:
   * networkCoherence() reads this where it is newer than the peer's own last report.
   */
  pushed: { r: number; at: number } | null;
  /** Latest state not yet handed to the miner. */
  queued: { phases: Float64Array; r: number } | null;
  /** Start of the current gossip interval and PHASE messages in it. */
  window: { start: number; n: number } | null;
  /** In the aggregate mesh (eager push of our per-round aggregate). */
  mesh: boolean;
  /** When this peer last sent a valid PHASE, and when we last asked it with GETPHASE (aggregate mode). */
  heardAt: number | null;
  askedAt: number | null;
  /** Start of the current gossip round, GETPHASE requests in it and whether one was answered. */
  getPhase: { start: number; n: number; answered: boolean } | null;
}

const hex = toHex;

/** Updates a per-peer { r, at } in place (no one else holds it): one PHASE per peer per round at every node. */
function stamp(slot: { r: number; at: number } | null, r: number, at: number): { r: number; at: number } {
  if (!slot) return { r, at };
  slot.r = r;
  slot.at = at;
  return slot;
}

/** The same peers in the same order (the connected list is a fresh array per call). */
function samePeers(a: readonly Peer[], b: readonly Peer[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Rounds without a PHASE from a mesh peer before we ask it (GETPHASE), and rounds between asks. */
const SILENT_ROUNDS = 4;
const ASK_ROUNDS = 8;
/** GETPHASE requests per peer per round past which each one costs points (one is answered). */
export const GETPHASE_FLOOD = 8;

/** Own shares remembered so an echo through the mesh is neither relayed nor incorporated. */
const OWN_HASHES = 16;
/** BLOOM block hashes remembered for dedup. */
const BLOOM_KEYS = 256;

export class GossipManager {
  readonly relay = new PhaseRelayProtocol();
  readonly strategy: GossipStrategy;
  readonly relayMode: RelayMode;
  private readonly net: PeerNetwork;
  private readonly core: Core;
  private readonly profile: NetworkProfile;
  private readonly clock: GossipClock;
  private readonly log: Logger;
  private readonly maxIncoming: number;
  private readonly peerWeight: number;
  private readonly onBloom: GossipOptions['onBloom'];
  private readonly phaseRateLimit: number;
  private peerState = new Map<number, PeerGossip>();
  private readonly meshParams: MeshParams;
  private readonly aggregateMaxInputs: number;
  private readonly rng: Rng;
  private readonly round = new AggregateRound<number | 'own'>();
  /** Bumped whenever a peer's mesh flag changes (or a mesh peer's state goes): meshPeers' cache key. */
  private meshVersion = 0;
  private meshCache: { peers: readonly Peer[]; version: number; out: readonly Peer[] } | null = null;
  private lastFlush: number | null = null;
  private flushTimer: TimerHandle | null = null;

  private running = false;
  private registered = false;
  private lastSharedR = 0;
  private lastShareTime: number | null = null;
  /** Our current state, encoded: the answer to GETPHASE. */
  private current: Uint8Array | null = null;
  private own: { r: number; at: number } | null = null;
  private ownHashes = new DigestRing(OWN_HASHES);
  private bloomKeys = new BoundedSet<string>(BLOOM_KEYS);
  private counters = {
    shares: 0,
    relays: 0,
    relaySends: 0,
    invalid: 0,
    received: 0,
    rateLimited: 0,
    coherenceMsgs: 0,
    blooms: 0,
    getPhaseAnswered: 0,
    getPhaseIgnored: 0,
    aggregates: 0,
  };

  constructor(opts: GossipOptions) {
    this.net = opts.net;
    this.core = opts.core;
    this.profile = opts.profile;
    this.strategy = opts.strategy ?? DEFAULT_STRATEGY;
    this.clock = opts.clock ?? systemClock;
    this.log = opts.logger ?? silentLogger;
    this.maxIncoming = opts.maxIncoming ?? 8;
    this.peerWeight = opts.peerWeight ?? PEER_PHASE_WEIGHT;
    this.onBloom = opts.onBloom;
    this.phaseRateLimit = Math.max(1, opts.phaseRateLimit ?? PHASE_RATE_LIMIT);
    this.relayMode = opts.relay ?? DEFAULT_RELAY;
    this.meshParams = opts.mesh ?? DEFAULT_MESH;
    this.aggregateMaxInputs = Math.max(1, opts.aggregateMaxInputs ?? AGGREGATE_MAX_INPUTS);
    this.rng = new Rng(opts.seed ?? (Math.random() * 2 ** 32) >>> 0);
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Registers the PHASE / GETPHASE / COHERENCE / BLOOM handlers (once) and starts taking messages. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.startFlushTimer();
    if (this.registered) return;
    this.registered = true;
    this.net.on(MsgType.PHASE, (peer, msg) => this.onPhase(peer, msg.state));
    this.net.on(MsgType.GETPHASE, (peer) => this.onGetPhase(peer));
    this.net.on(MsgType.COHERENCE, (peer, msg) => this.onCoherence(peer, msg.r, msg.psi, msg.rounds));
    this.net.on(MsgType.BLOOM, (peer, msg) => this.onBloomMsg(peer, msg));
    this.net.onPeerClosed((peer) => {
      if (this.peerState.get(peer.id)?.mesh) this.meshVersion++;
      this.peerState.delete(peer.id);
    });
  }

  /** Stops handling messages (the peer layer has no `off`; handlers become no-ops) and drops queued states. */
  stop(): void {
    this.running = false;
    if (this.flushTimer !== null) this.clock.clearInterval?.(this.flushTimer);
    this.flushTimer = null;
    this.round.clear();
    for (const s of this.peerState.values()) s.queued = null;
  }

  /** Half-round ticks, so inputs left by the once-per-round limit go out within 1.5 rounds. */
  private startFlushTimer(): void {
    if (this.relayMode !== 'aggregate' || !this.clock.setInterval) return;
    this.flushTimer = this.clock.setInterval(() => {
      this.flushRound();
      this.askSilentMesh();
    }, Math.max(1, this.profile.gossipIntervalMs / 2));
  }

  /**
   * gossipsub's GRAFT, with the seed's own GETPHASE: a mesh peer that has sent us nothing for
   * SILENT_ROUNDS rounds is asked (at most once per ASK_ROUNDS), and the asker joins the asked peer's
   * mesh, so a node whose neighbours all chose other mesh peers is not starved.
   */
  private askSilentMesh(now = this.clock.now()): void {
    if (this.relayMode !== 'aggregate' || !this.running) return;
    const round = this.profile.gossipIntervalMs;
    for (const peer of this.meshPeers()) {
      const s = this.stateOf(peer);
      if (s.heardAt !== null && now - s.heardAt < SILENT_ROUNDS * round) continue;
      if (s.askedAt !== null && now - s.askedAt < ASK_ROUNDS * round) continue;
      s.askedAt = now;
      this.net.send(peer, { type: MsgType.GETPHASE });
    }
  }

  /** A peer that asked us (GETPHASE) joins our mesh, up to D_hi: its GRAFT. */
  private graft(peer: Peer): void {
    const s = this.stateOf(peer);
    if (s.mesh || this.relayMode !== 'aggregate') return;
    let n = 0;
    for (const p of this.peerState.values()) if (p.mesh) n++;
    if (n < this.meshParams.dHi) this.setMesh(s, true);
  }

  /** The last valid PHASE a connected peer sent (null when none). */
  peerPhase(peerId: number): PhaseState | null {
    return this.peerState.get(peerId)?.phase ?? null;
  }

  /** Last valid PHASE of every connected peer that sent one. */
  peerPhases(): PhaseState[] {
    const out: PhaseState[] = [];
    for (const s of this.peerState.values()) if (s.phase) out.push(s.phase);
    return out;
  }

  private stateOf(peer: Peer): PeerGossip {
    let s = this.peerState.get(peer.id);
    if (!s) {
      s = { phase: null, r: null, pushed: null, queued: null, window: null, mesh: false, heardAt: null, askedAt: null, getPhase: null };
      this.peerState.set(peer.id, s);
    }
    return s;
  }

  /**
   * Records the local state and shares it when the strategy and the rate limit allow.
   * `now` defaults to the clock; the miner passes its round's start so jitter in a round's work
   * does not trip the rate limit. Returns whether a PHASE went out.
   */
  maybeShare(phases: Float64Array, r: number, psi: number, now = this.clock.now()): boolean {
    let encoded: Uint8Array;
    try {
      encoded = this.core.encodePhaseState(phases, r, psi);
    } catch (err) {
      this.log.warn({ err }, 'local phase state not encodable');
      return false;
    }
    this.current = encoded;
    this.own = { r, at: now };
    if (!this.running) return false;
    const share = shouldShare(this.strategy, {
      r,
      lastSharedR: this.lastSharedR,
      now,
      lastShareTime: this.lastShareTime,
      minIntervalMs: this.profile.gossipIntervalMs,
    });
    if (!share) return false;
    const h = this.phasesHash(encoded);
    this.relay.remember(r, h);
    this.ownHashes.add(h);
    this.lastSharedR = r;
    this.lastShareTime = now;
    this.counters.shares++;
    if (this.relayMode === 'flood') {
      this.net.broadcast({ type: MsgType.PHASE, state: encoded });
      return true;
    }
    // aggregate: our share is one more input of the round, in the wire form a peer would have decoded
    const wire = this.core.decodePhaseState(encoded);
    if (wire.phases.length > 0) this.round.add('own', { phases: wire.phases, r });
    this.flushRound(now);
    return true;
  }

  /**
   * Aggregate mode: sends one merge of the round's improving inputs to every mesh peer, at most once per
   * gossip interval (so an honest sender stays far below a receiver's PHASE rate limit). Returns the
   * frames sent; inputs stay queued when the interval has not passed.
   */
  flushRound(now = this.clock.now()): number {
    if (this.relayMode !== 'aggregate' || !this.running || this.round.size === 0) return 0;
    if (this.lastFlush !== null && now >= this.lastFlush && now - this.lastFlush < this.profile.gossipIntervalMs) return 0;
    const entries = this.round.takeEntries();
    let agg;
    try {
      agg = buildAggregate(
        this.core,
        entries.map(([, input]) => input),
        this.aggregateMaxInputs,
      );
    } catch (err) {
      this.log.warn({ err }, 'aggregate not buildable');
      return 0;
    }
    if (!agg) return 0;
    // a peer's state sent as is (alone, or instead of a lossy merge) is never pushed back to that peer
    const from = agg.forwarded ? entries.find(([, input]) => input === agg.forwarded)?.[0] : undefined;
    const origin = from === 'own' ? undefined : from;
    this.lastFlush = now;
    const h = this.phasesHash(agg.state);
    this.relay.remember(agg.r, h);
    this.ownHashes.add(h); // our aggregate come back round the mesh is an echo, not new input
    const targets = this.meshPeers().filter((peer) => peer.id !== origin);
    const msg = { type: MsgType.PHASE, state: agg.state } as const;
    const delivered = this.net.sendEach ? this.net.sendEach(targets, msg) : targets.filter((peer) => this.net.send(peer, msg));
    for (const peer of delivered) {
      const ps = this.stateOf(peer);
      ps.pushed = stamp(ps.pushed, agg.r, now);
    }
    const sent = delivered.length;
    this.counters.aggregates++;
    if (sent > 0) this.counters.relays++;
    this.counters.relaySends += sent;
    return sent;
  }

  /**
   * Connected peers in the aggregate mesh, after the gossipsub heartbeat's maintenance. Asked two or three
   * times a round: while the connected list (same peers, same order) and the mesh flags are as at the last
   * call, the answer is the last one (the heartbeat is idempotent: a second pass over its own output
   * draws and changes nothing).
   */
  meshPeers(): readonly Peer[] {
    const peers = this.net.peers();
    const c = this.meshCache;
    if (c && c.version === this.meshVersion && samePeers(c.peers, peers)) return c.out;
    const out = this.maintainedMesh(peers);
    this.meshCache = { peers: peers.slice(), version: this.meshVersion, out }; // a copy: a network may hand out one array it edits
    return out;
  }

  private setMesh(s: PeerGossip, inMesh: boolean): void {
    if (s.mesh === inMesh) return;
    s.mesh = inMesh;
    this.meshVersion++;
  }

  private maintainedMesh(peers: readonly Peer[]): Peer[] {
    let inMesh = 0;
    for (const p of peers) if (this.peerState.get(p.id)?.mesh) inMesh++;
    if (inMesh >= this.meshParams.dLo && inMesh <= this.meshParams.dHi) {
      // the heartbeat would keep exactly these (no pick, no change): skip its sets
      const out: Peer[] = [];
      for (const p of peers) if (this.peerState.get(p.id)?.mesh) out.push(p);
      return out;
    }
    const current = new Set<number>();
    for (const p of peers) if (this.peerState.get(p.id)?.mesh) current.add(p.id);
    const next = maintainMesh(
      current,
      peers.map((p) => p.id),
      (n) => this.rng.int(n),
      this.meshParams,
    );
    const out: Peer[] = [];
    for (const p of peers) {
      const inMesh = next.has(p.id);
      if (inMesh !== current.has(p.id)) this.setMesh(this.stateOf(p), inMesh);
      if (inMesh) out.push(p);
    }
    return out;
  }

  /** Peer states queued since the last call (latest per peer, highest r first, bounded), each with the peer weight. */
  drainIncoming(): WeightedPhases[] {
    const queued: { phases: Float64Array; r: number }[] = [];
    for (const s of this.peerState.values()) {
      if (s.queued) queued.push(s.queued);
      s.queued = null;
    }
    return queued
      .sort((a, b) => b.r - a.r)
      .slice(0, this.maxIncoming)
      .map((q) => ({ phases: q.phases, r: q.r, weight: this.peerWeight }));
  }

  announceCoherence(r: number, psi: number, rounds: number): number {
    if (!this.running) return 0;
    return this.net.broadcast({ type: MsgType.COHERENCE, r, psi, rounds });
  }

  announceBloom(blockHash: Uint8Array, cert: Uint8Array): number {
    if (!this.running) return 0;
    const key = this.rememberBloom(blockHash);
    return this.net.broadcast({ type: MsgType.BLOOM, blockHash, cert }, { key });
  }

  /**
   * Recency-weighted mean of the peers' last r (half-life 5 rounds, ignored after 30 rounds)
   * together with our own, weight 1 when fresh. 0 when nothing is known. A peer's r is the newer of what
   * it last told us and (aggregate mode) what we last pushed to it: a mesh peer downstream of us never
   * pushes back, and its report from before it was downstream would otherwise hold the view back
   * (docs/gossip.md "Network r").
   */
  networkCoherence(now = this.clock.now()): number {
    const interval = this.profile.gossipIntervalMs;
    const halfLife = 5 * interval;
    const stale = 30 * interval;
    let sum = 0;
    let wsum = 0;
    const add = (r: number, at: number): void => {
      const age = Math.max(0, now - at);
      if (age > stale) return;
      const w = 0.5 ** (age / halfLife);
      sum += w * r;
      wsum += w;
    };
    for (const p of this.peerState.values()) {
      const last = p.pushed && (!p.r || p.pushed.at > p.r.at) ? p.pushed : p.r;
      if (last) add(last.r, last.at);
    }
    if (this.own) add(this.own.r, this.own.at);
    return wsum > 0 ? sum / wsum : 0;
  }

  stats(): GossipStats {
    const now = this.clock.now();
    const stale = 30 * this.profile.gossipIntervalMs;
    let fresh = 0;
    for (const p of this.peerState.values()) if (p.r && now - p.r.at <= stale) fresh++;
    let meshPeers = 0;
    for (const p of this.peerState.values()) if (p.mesh) meshPeers++;
    return {
      strategy: this.strategy,
      relayMode: this.relayMode,
      ...this.counters,
      meshPeers,
      peersWithCoherence: fresh,
      lastSharedR: this.lastSharedR,
    };
  }

  private phasesHash(state: Uint8Array): Uint8Array {
    // Hash of the phases only (seed 2.6): the same phases with a higher claimed r are "improved".
    // The relay table and the own-hash ring key by its first 16 bytes (DIGEST_KEY_BYTES).
    return this.core.sha256d(state.subarray(12));
  }

  /** Fixed-window rate limit per peer: false = drop the PHASE; past 4× the limit each one costs points. */
  private admitPhase(peer: Peer, s: PeerGossip): boolean {
    const now = this.clock.now();
    let w = s.window;
    if (!w) w = s.window = { start: now, n: 0 };
    else if (now - w.start >= this.profile.gossipIntervalMs || now < w.start) (w.start = now), (w.n = 0); // only we hold it
    w.n++;
    if (w.n <= this.phaseRateLimit) return true;
    this.counters.rateLimited++;
    if (w.n > 4 * this.phaseRateLimit) this.net.misbehave(peer, pointsFor('phase-flood'), 'phase-flood');
    return false;
  }

  private onPhase(peer: Peer, state: Uint8Array): void {
    if (!this.running) return;
    const ps = this.stateOf(peer);
    if (!this.admitPhase(peer, ps)) return;
    let decoded;
    try {
      decoded = this.core.decodePhaseState(state);
    } catch (err) {
      this.counters.invalid++;
      const code = (err as { code?: string }).code ?? 'phase-malformed';
      this.log.debug({ peer: peer.address, code }, 'invalid PHASE dropped');
      this.net.misbehave(peer, pointsFor('invalid-phase'), reasonText({ code: 'invalid-phase', detail: code }));
      return;
    }
    this.counters.received++;
    const now = this.clock.now();
    ps.phase = decoded;
    peer.coherence = decoded.r;
    ps.r = stamp(ps.r, decoded.r, now);
    // relay only the canonical form (seed downsampling, float32 as decoded), never the peer's raw bytes
    let canonical: Uint8Array;
    if (decoded.phases.length <= PHASE_DOWNSAMPLE_ABOVE) {
      // no downsampling, and f32 → f64 → f32 is exact: the re-encoding would be these very bytes (our copy)
      canonical = state;
    } else {
      try {
        canonical = this.core.encodePhaseState(decoded.phases, decoded.r, decoded.psi);
      } catch {
        return; // decodable but not re-encodable (cannot happen for a finite state): keep it local
      }
    }
    const h = this.phasesHash(canonical);
    ps.heardAt = now;
    if (this.ownHashes.has(h)) return; // our own share come back round the mesh
    if (decoded.phases.length > 0) {
      if (ps.queued) (ps.queued.phases = decoded.phases), (ps.queued.r = decoded.r); // not drained yet: only we hold it
      else ps.queued = { phases: decoded.phases, r: decoded.r };
    }
    if (this.relayMode === 'aggregate') {
      // relay only improvements (seed 2.6), merged into this round's one aggregate instead of forwarded
      if (decoded.phases.length > 0 && this.relay.shouldRelay(decoded.r, h)) {
        this.round.add(peer.id, { phases: decoded.phases, r: decoded.r });
        this.flushRound(now);
      }
      return;
    }
    if (this.relay.shouldRelay(decoded.r, h)) {
      const sent = this.net.broadcast({ type: MsgType.PHASE, state: canonical }, { exclude: peer });
      if (sent > 0) this.counters.relays++;
      this.counters.relaySends += sent;
    }
  }

  /** One answer per peer per round: a small GETPHASE buys a full PHASE, so more would be amplification. */
  private onGetPhase(peer: Peer): void {
    if (!this.running) return;
    this.graft(peer);
    const now = this.clock.now();
    const s = this.stateOf(peer);
    let w = s.getPhase;
    if (!w || now - w.start >= this.profile.gossipIntervalMs || now < w.start) {
      w = { start: now, n: 0, answered: false };
      s.getPhase = w;
    }
    w.n++;
    if (w.n > GETPHASE_FLOOD) this.net.misbehave(peer, pointsFor('getphase-flood'), 'getphase-flood');
    if (w.answered) {
      this.counters.getPhaseIgnored++;
      return;
    }
    const state = this.current ?? this.bestPeerState();
    if (!state) return;
    w.answered = true;
    if (this.net.send(peer, { type: MsgType.PHASE, state })) this.counters.getPhaseAnswered++;
  }

  /** A node that does not mine answers GETPHASE with the best state it has heard. */
  private bestPeerState(): Uint8Array | null {
    let best: { phases: Float64Array; r: number; psi: number } | null = null;
    for (const p of this.net.peers()) {
      const s = this.peerState.get(p.id)?.phase;
      if (s && s.phases.length > 0 && (!best || s.r > best.r)) best = s;
    }
    if (!best) return null;
    try {
      return this.core.encodePhaseState(best.phases, best.r, best.psi);
    } catch {
      return null;
    }
  }

  private onCoherence(peer: Peer, r: number, psi: number, rounds: number): void {
    if (!this.running) return;
    if (!(r >= 0 && r <= 1) || !Number.isFinite(psi) || !(rounds >= 0)) {
      this.counters.invalid++;
      this.net.misbehave(peer, pointsFor('invalid-coherence'), 'invalid-coherence');
      return;
    }
    this.counters.coherenceMsgs++;
    peer.coherence = r;
    const ps = this.stateOf(peer);
    ps.r = stamp(ps.r, r, this.clock.now());
  }

  private onBloomMsg(peer: Peer, msg: BloomMsg): void {
    if (!this.running) return;
    this.counters.blooms++;
    const key = `bloom:${hex(msg.blockHash)}`;
    this.net.markSeen(peer, key);
    const seen = this.bloomKeys.has(key);
    if (!seen) this.rememberBloom(msg.blockHash);
    if (!this.onBloom) return;
    let verdict: BloomVerdict | Promise<BloomVerdict>;
    try {
      verdict = this.onBloom(peer, msg.blockHash, msg.cert);
    } catch (err) {
      this.log.warn({ err }, 'onBloom callback failed');
      return;
    }
    if (seen) return;
    void Promise.resolve(verdict).then(
      (cert) => {
        if (cert instanceof Uint8Array && this.running) {
          const out: BloomMsg = { type: MsgType.BLOOM, blockHash: msg.blockHash, cert };
          this.counters.relaySends += this.net.broadcast(out, { exclude: peer, key });
        }
      },
      (err: unknown) => this.log.warn({ err }, 'onBloom callback failed'),
    );
  }

  private rememberBloom(blockHash: Uint8Array): string {
    const key = `bloom:${hex(blockHash)}`;
    this.bloomKeys.add(key);
    return key;
  }
}
