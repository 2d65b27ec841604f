// The coherence miner (seed 7, decisions.md): one Kuramoto round per gossip interval; after
// MIN_COHERENCE_ROUNDS rounds above Z_C, grind nonces on a template until a block is found or the tip moves.
import { MIN_COHERENCE_ROUNDS, Z_C, type NetworkProfile } from '../constants.js';
import { encodeCert } from '../chain/cert.js';
import type { AddBlockResult, Certificate, ChainApi, Tip, TipChange, Tx } from '../chain/types.js';
import type { Core, OrderParameter, WeightedPhases } from '../core/types.js';
import { InputError } from '../errors.js';
import { silentLogger, type Logger } from '../log.js';
import { toHex } from '../bytes.js';
import { systemClock, type Clock, type TimerHandle } from '../clock.js';
import { walkNonces } from './nonce-walk.js';
import { Oscillators, type Integrator } from './oscillators.js';

/** What the miner needs of a template (the chain's BlockTemplate has more). */
export interface MiningTemplate {
  height: number;
  prevHash: Uint8Array;
  /** 118 header bytes; the nonce is bytes 114..117. */
  header: Uint8Array;
  /** 32-byte big-endian target. */
  targetBytes: Uint8Array;
  txCount?: number;
  withNonce(nonce: number): Uint8Array;
}

export interface MiningChain extends Pick<ChainApi, 'tip' | 'headerTip' | 'addBlock' | 'onTip'> {
  buildTemplate(opts: {
    minerAddress: Uint8Array;
    cert: Certificate;
    txs?: readonly (Uint8Array | Tx)[];
    timestamp?: number;
  }): Promise<MiningTemplate> | MiningTemplate;
}

/** Transactions for a template, best fee first. */
export interface TxSource {
  select(max: number): readonly (Uint8Array | Tx)[];
}

/** What the pool's grind may answer: a nonce (−1/null: none), or an object carrying one. */
export type GrindAnswer =
  | number
  | null
  | { nonce?: number | null; found?: boolean; hashes?: number; tried?: number; aborted?: boolean };

/** CorePool's grind (and optionally its off-thread Kuramoto) as the miner uses them. */
export interface GrindPool {
  grind(header: Uint8Array, target: Uint8Array, opts: { signal?: AbortSignal; start?: number; count?: number }): Promise<GrindAnswer>;
  /** grind() answering with the hashes the workers really computed (CorePool has it). */
  search?(header: Uint8Array, target: Uint8Array, opts: { signal?: AbortSignal; start?: number; count?: number }): Promise<GrindAnswer>;
  /** The backend that grinds ('native' | 'wasm'), for /status and /metrics. */
  readonly grindBackend?: string;
  /** Worker threads; the miner uses it to estimate the hashes behind a find. */
  readonly threads?: number;
  /**
   * Ranges handed over together run one after another on the same workers (CorePool: one task queue),
   * so the miner may queue the next range behind the current one. A pool that would run them side by
   * side (the simulator's virtual pool) leaves it unset and gets one range at a time.
   */
  readonly queuesRanges?: boolean;
  kuramotoIntegrate?: Integrator;
}

/** The gossip the miner drives (GossipManager implements it). */
export interface MinerGossip {
  maybeShare(phases: Float64Array, r: number, psi: number, now?: number): boolean;
  drainIncoming(): WeightedPhases[];
  announceCoherence(r: number, psi: number, rounds: number): number;
  announceBloom(blockHash: Uint8Array, cert: Uint8Array): number;
}

export interface MinerOptions {
  chain: MiningChain;
  core: Core;
  profile: NetworkProfile;
  /** 20-byte address credited with subsidy and fees. */
  minerAddress: Uint8Array;
  mempool?: TxSource;
  gossip?: MinerGossip;
  /** Worker pool for nonces; without one, nonces are ground on this thread in yielding slices. */
  pool?: GrindPool;
  clock?: Clock;
  logger?: Logger;
  /** Oscillator count (default profile.oscillators). */
  oscillators?: number;
  /** PRNG seed of the oscillators (default: random per process, so miners differ). */
  seed?: number;
  /** Integrates elsewhere instead of core.kuramotoIntegrate on this thread (default: the pool's, when it has one). */
  integrator?: Integrator;
  coupling?: number;
  steps?: number;
  dt?: number;
  /** Transactions per template at most. Default 1000. */
  maxTxs?: number;
  /** Nonces per slice when grinding on this thread. Default 16384. */
  sliceNonces?: number;
  /** how long a heavier header chain may go without a new tip before the miner builds on tip() again */
  syncStallMs?: number;
}

export interface MinerStatus {
  /** started and not stopped */
  mining: boolean;
  /** a nonce search is under way */
  grinding: boolean;
  r: number;
  psi: number;
  /** consecutive rounds above Z_C */
  rounds: number;
  roundsTotal: number;
  /** nonces per second, recent average */
  hashrate: number;
  blocksMined: number;
  /** templates built (one per grind; more when a range is exhausted) */
  templates: number;
  oscillators: number;
  /** what the miner is doing now and why (issue 19.7: a waiting header chain never stops it for good) */
  activity: MinerActivity;
}

/**
 * stopped: not started or stopped · syncing: blocks toward a heavier header chain are arriving, so building on the
 * old tip would be wasted · gathering: waiting for r above Z_C for enough rounds · grinding: searching nonces.
 */
export type MinerActivity = 'stopped' | 'syncing' | 'gathering' | 'grinding';

/** One coherence round as it ended (the operator console plots r per round). */
export interface RoundSample {
  /** roundsTotal after this round. */
  round: number;
  /** Ms since the epoch (the miner's clock) the round started. */
  t: number;
  r: number;
  /** Consecutive rounds above Z_C after this round. */
  above: number;
  /** The oscillators were re-seeded at the start of this round (a new tip). */
  reseeded: boolean;
}

/** A heavier header chain whose blocks have not connected for this long no longer pauses the miner. */
export const SYNC_STALL_MS = 10_000;

const hex = toHex;
const U32_SPACE = 2 ** 32;
/** Nonce range per grind call: adapted to ~half a round of work, within these bounds. */
const MIN_RANGE = 1 << 14;
const MAX_RANGE = 1 << 28;
/** The hashrate is shown this long after the last nonce search, then reads 0. */
const HASHRATE_HOLD_MS = 30_000;

/** Pool answers normalised to { nonce (−1 when none), hashes (when known) }. */
export function normaliseGrind(a: GrindAnswer): { nonce: number; hashes: number | undefined } {
  if (a === null) return { nonce: -1, hashes: undefined };
  if (typeof a === 'number') return { nonce: a >= 0 ? a : -1, hashes: a >= 0 ? a + 1 : undefined };
  const n = a.nonce;
  const nonce = a.found === false || n === null || n === undefined || n < 0 ? -1 : n;
  return { nonce, hashes: a.hashes ?? a.tried };
}

export class Miner {
  readonly osc: Oscillators;
  private readonly chain: MiningChain;
  private readonly core: Core;
  private readonly profile: NetworkProfile;
  private readonly minerAddress: Uint8Array;
  private readonly mempool?: TxSource;
  private readonly gossip?: MinerGossip;
  private readonly pool?: GrindPool;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly maxTxs: number;
  private readonly sliceNonces: number;

  private running = false;
  private subscribed = false;
  private timer: TimerHandle | null = null;
  private nextRoundAt = 0;
  private roundRunning: Promise<void> | null = null;
  private grinding: Promise<void> | null = null;
  private abort: AbortController | null = null;
  private reseedPending = false;
  private rounds = 0;
  private roundsTotal = 0;
  private blocksMined = 0;
  private templates = 0;
  private state: OrderParameter;
  private hashrate = 0;
  private lastHashAt = 0;
  private range = 1 << 18;
  private readonly blockWaiters: ((r: AddBlockResult) => void)[] = [];
  private lastTipAt = 0;
  private submitting = false;
  private readonly syncStallMs: number;
  private readonly roundListeners: ((s: RoundSample) => void)[] = [];

  constructor(opts: MinerOptions) {
    if (opts.minerAddress.length !== 20) throw new InputError('bad-address', 'miner address must be 20 bytes');
    this.chain = opts.chain;
    this.core = opts.core;
    this.profile = opts.profile;
    this.minerAddress = opts.minerAddress;
    this.mempool = opts.mempool;
    this.gossip = opts.gossip;
    this.pool = opts.pool;
    this.clock = opts.clock ?? systemClock;
    this.log = opts.logger ?? silentLogger;
    this.maxTxs = opts.maxTxs ?? 1000;
    this.sliceNonces = opts.sliceNonces ?? 16_384;
    this.syncStallMs = opts.syncStallMs ?? SYNC_STALL_MS;
    this.osc = new Oscillators({
      core: opts.core,
      n: opts.oscillators ?? opts.profile.oscillators,
      seed: opts.seed ?? (Math.random() * U32_SPACE) >>> 0,
      integrator: opts.integrator ?? poolIntegrator(opts.pool),
      coupling: opts.coupling,
      steps: opts.steps,
      dt: opts.dt,
    });
    this.state = this.osc.order();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    if (!this.subscribed) {
      this.subscribed = true;
      this.chain.onTip((change) => this.onTip(change));
    }
    this.nextRoundAt = this.clock.now();
    this.lastTipAt = this.clock.now();
    this.schedule();
  }

  /** Stops rounds and any nonce search; resolves once both have finished. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.abort?.abort();
    await this.roundRunning;
    await this.grinding;
  }

  status(): MinerStatus {
    return {
      mining: this.running,
      grinding: this.grinding !== null,
      r: this.state.r,
      psi: this.state.psi,
      rounds: this.rounds,
      roundsTotal: this.roundsTotal,
      // a recent average: it fades out once grinding has stopped for a while
      hashrate: this.grinding !== null || this.clock.now() - this.lastHashAt < HASHRATE_HOLD_MS ? this.hashrate : 0,
      blocksMined: this.blocksMined,
      templates: this.templates,
      oscillators: this.osc.n,
      activity: !this.running ? 'stopped' : this.grinding !== null ? 'grinding' : this.syncing() ? 'syncing' : 'gathering',
    };
  }

  /** Calls `cb` after every coherence round. */
  onRound(cb: (s: RoundSample) => void): void {
    this.roundListeners.push(cb);
  }

  /** Resolves with the result of the next block this miner finds (tests and tooling). */
  nextBlock(): Promise<AddBlockResult> {
    return new Promise((resolve) => this.blockWaiters.push(resolve));
  }

  private schedule(): void {
    if (!this.running) return;
    const delay = Math.max(0, this.nextRoundAt - this.clock.now());
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      if (!this.running) return;
      // Timers may fire a millisecond early; a round never starts before its slot (the rate limit is exact).
      if (this.clock.now() < this.nextRoundAt) return this.schedule();
      this.roundRunning = this.round()
        .catch((err: unknown) => this.log.error({ err }, 'coherence round failed'))
        .finally(() => {
          this.roundRunning = null;
          this.schedule();
        });
    }, delay);
  }

  /** One coherence round: integrate, share, incorporate, count; maybe start grinding. */
  private async round(): Promise<void> {
    const start = this.clock.now();
    const interval = this.profile.gossipIntervalMs;
    // Slots at least one interval apart, so a share every round always clears the rate limit.
    this.nextRoundAt = start + interval;
    const reseeded = this.reseedPending;
    if (this.reseedPending) {
      this.reseedPending = false;
      this.osc.reseed();
      this.rounds = 0;
    }
    let s = await this.osc.step();
    this.gossip?.maybeShare(this.osc.phases, s.r, s.psi, start);
    const peers = this.gossip?.drainIncoming() ?? [];
    if (peers.length > 0) s = this.osc.incorporate(peers);
    this.state = s;
    this.roundsTotal++;
    const wasAbove = this.rounds > 0;
    this.rounds = s.r > Z_C ? this.rounds + 1 : 0;
    for (const cb of this.roundListeners) cb({ round: this.roundsTotal, t: start, r: s.r, above: this.rounds, reseeded });
    // COHERENCE on crossing Z_C either way, and every L4 rounds while above
    if (this.rounds === 1 || (wasAbove && this.rounds === 0) || (this.rounds > 0 && this.rounds % MIN_COHERENCE_ROUNDS === 0)) {
      this.gossip?.announceCoherence(s.r, s.psi, this.rounds);
    }
    if (this.rounds >= MIN_COHERENCE_ROUNDS && this.grinding === null && this.running && !this.syncing()) {
      const cert = this.certificate();
      // The certificate's 64-phase subsample must itself clear Z_C; otherwise wait a round.
      if (cert) {
        this.grinding = this.mine(cert)
          .catch((err: unknown) => this.log.error({ err }, 'mining failed'))
          .finally(() => {
            this.grinding = null;
            this.abort = null;
          });
      }
    }
  }

  /**
   * Pause only while a heavier header chain's blocks keep connecting: a peer that announces heavier headers and
   * withholds their blocks must not stop the miner, so after syncStallMs without a new tip it mines tip() again.
   */
  private syncing(): boolean {
    if (this.chain.headerTip().chainWork <= this.chain.tip().chainWork) return false;
    return this.clock.now() - this.lastTipAt < this.syncStallMs;
  }

  private certificate(): Certificate | null {
    const c = this.osc.certificate();
    if (!(c.r >= Z_C)) return null;
    return { r: Math.fround(c.r), psi: Math.fround(c.psi), rounds: this.rounds, phases: c.phases };
  }

  private onTip(change: TipChange): void {
    // Every new tip, ours or the network's, needs fresh coherence: stop grinding and re-seed next round.
    this.abort?.abort();
    // only blocks from elsewhere count as sync progress: our own block must not pause us for syncStallMs
    if (!this.submitting) this.lastTipAt = this.clock.now();
    this.reseedPending = true;
    this.log.debug({ height: change.tip.height }, 'new tip: nonce search stopped, oscillators re-seed');
  }

  private async mine(cert: Certificate): Promise<void> {
    const ac = new AbortController();
    this.abort = ac;
    const tip: Tip = this.chain.tip();
    const txs = this.mempool?.select(this.maxTxs) ?? [];
    let timestamp = Math.max(this.clock.now(), tip.header.timestamp + 1);
    // Bounded: each pass covers the whole nonce space, so a few passes are minutes of mainnet work.
    for (let pass = 0; pass < 64 && this.running && !ac.signal.aborted; pass++) {
      const tpl = await this.chain.buildTemplate({ minerAddress: this.minerAddress, cert, txs, timestamp });
      this.templates++;
      if (ac.signal.aborted || this.reseedPending || !equal(tpl.prevHash, tip.hash)) return;
      const nonce = await this.grind(tpl.header, tpl.targetBytes, ac.signal);
      if (nonce >= 0) {
        if (ac.signal.aborted && this.reseedPending) return; // the tip moved while the last slice ran
        await this.submit(tpl.withNonce(nonce), cert);
        return;
      }
      if (ac.signal.aborted) return;
      // Nonce space exhausted without a find: a new timestamp gives a new header.
      timestamp = Math.max(this.clock.now(), timestamp + 1);
    }
  }

  private async submit(bytes: Uint8Array, cert: Certificate): Promise<void> {
    this.submitting = true;
    const res = await this.chain.addBlock(bytes).finally(() => (this.submitting = false));
    if (res.status === 'connected' || res.status === 'reorg') {
      this.blocksMined++;
      this.log.info({ height: res.height, hash: hex(res.hash), r: cert.r, rounds: cert.rounds }, 'block mined');
      this.gossip?.announceBloom(res.hash, encodeCert(cert));
      this.reseedPending = true;
    } else {
      this.log.warn({ status: res.status, code: res.code, reason: res.reason }, 'mined block not connected');
    }
    for (const w of this.blockWaiters.splice(0)) w(res);
  }

  /**
   * Walks the nonce space in ranges sized to about half a round of work, so the hashrate is measured
   * exactly and a Kuramoto task queued behind the grind in the pool waits at most that long. With a
   * pool the next range is queued behind the current one (nonce-walk.ts), so no worker waits for
   * this thread between ranges.
   */
  private grind(header: Uint8Array, target: Uint8Array, signal: AbortSignal): Promise<number> {
    const goalMs = Math.min(250, this.profile.gossipIntervalMs / 2);
    return walkNonces({
      start: 0,
      end: U32_SPACE,
      signal,
      depth: this.pool?.queuesRanges ? 2 : 1,
      rangeSize: () => this.range,
      grind: (start, count, s) => this.grindRange(header, target, start, count, s),
      // the injected clock, so a simulated miner's hashrate is in virtual time
      now: () => this.clock.now(),
      running: () => this.running,
      onRange: (start, count, { nonce, hashes }, ms) => {
        if (nonce >= 0) {
          // Workers split the range in equal contiguous slices: the finder's offset × threads ≈ tried.
          const threads = this.pool?.threads ?? 1;
          const per = Math.ceil(count / threads);
          this.noteHashes(hashes ?? (((nonce - start) % per) + 1) * threads, ms);
          return;
        }
        if (signal.aborted) return;
        this.noteHashes(hashes ?? count, ms);
        this.range = Math.min(MAX_RANGE, Math.max(MIN_RANGE, Math.round((count * goalMs) / Math.max(ms, 1))));
      },
    });
  }

  private async grindRange(
    header: Uint8Array,
    target: Uint8Array,
    start: number,
    count: number,
    signal: AbortSignal,
  ): Promise<{ nonce: number; hashes: number | undefined }> {
    if (this.pool) {
      const a = await (this.pool.search ?? this.pool.grind).call(this.pool, header, target, { signal, start, count });
      // A bare number from the pool carries no count of hashes tried (its workers split the range).
      return typeof a === 'object' && a !== null ? normaliseGrind(a) : { nonce: normaliseGrind(a).nonce, hashes: undefined };
    }
    // No pool: slices on this thread, yielding between them so rounds and the network keep running.
    for (let s = start; s < start + count && !signal.aborted && this.running; s += this.sliceNonces) {
      const n = Math.min(this.sliceNonces, start + count - s);
      const nonce = this.core.grindNonces(header, target, s, n);
      if (nonce >= 0) return { nonce, hashes: nonce - start + 1 };
      await new Promise<void>((r) => setImmediate(r));
    }
    return { nonce: -1, hashes: undefined };
  }

  private noteHashes(hashes: number, ms: number): void {
    if (ms <= 0 || hashes <= 0) return;
    const rate = (hashes * 1000) / ms;
    this.hashrate = this.hashrate === 0 ? rate : 0.7 * this.hashrate + 0.3 * rate;
    this.lastHashAt = this.clock.now();
  }
}

function poolIntegrator(pool: GrindPool | undefined): Integrator | undefined {
  const k = pool?.kuramotoIntegrate;
  // CorePool keeps small N × steps inline itself and sends large ones to a worker.
  return k ? (phases, omegas, coupling, dt, steps) => k.call(pool, phases, omegas, coupling, dt, steps) : undefined;
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
