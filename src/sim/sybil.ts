// Hostile nodes for the simulator: sybils that speak the real wire format through the sim transport
// (silent, height/work liars, slot squatters, ADDR poisoners, nonce replayers), and the report of
// what honest nodes saw (gossipsub v1.1's evaluation: delivery to honest nodes, attack against none).
import { encodeHeader } from '../chain/header.js';
import type { Tip, TipChange } from '../chain/types.js';
import { PROTOCOL_VERSION, type NetworkProfile } from '../constants.js';
import type { Connection, Transport } from '../p2p/transport.js';
import { encodeMessageFrame, decodeMessage, FrameDecoder, MsgType, type Message, type NetAddr, type VersionMsg } from '../wire/index.js';
import type { VirtualClock } from './clock.js';
import type { MemoryNetwork } from './transport.js';
import type { Rng } from './rng.js';

export const ATTACKS = ['silent', 'liar', 'squat', 'addr-poison', 'nonce-replay'] as const;
export type Attack = (typeof ATTACKS)[number];

export interface SybilOptions {
  count: number;
  /** One kind, or 'all' (the sybils split evenly over every kind). */
  attack: Attack | 'all';
  /** Virtual second the sybils come up (0: with the honest nodes, a cold boot). */
  atSec: number;
  /** Honest nodes each sybil keeps a connection to. */
  dialsPerSybil?: number;
  /** Addresses per ADDR a poisoner sends (≤ 1000) and how often, ms. */
  addrsPerMsg?: number;
  addrEveryMs?: number;
}

export function parseAttack(v: string): Attack | 'all' {
  if (v === 'all' || (ATTACKS as readonly string[]).includes(v)) return v as Attack | 'all';
  throw new Error(`--attack: expected ${[...ATTACKS, 'all'].join(' | ')}, got "${v}"`);
}

/** Host of sybil i: 11.x.y.z, spread over /16 groups as the honest hosts are (so group limits do not catch them for free). */
export function sybilHost(i: number): string {
  const v = i + 1;
  return `11.${v & 255}.${(v >>> 8) & 255}.${(v >>> 16) & 255}`;
}

export const isSybilHost = (host: string): boolean => host.startsWith('11.');

const MAX_WORK = (1n << 256n) - 1n;
/** Squatters come back as soon as they are dropped (the issue: ~200 connects/s from a few hosts). */
const SQUAT_REDIAL_MS = 500;
const REDIAL_MS = 5_000;

/** What the herd did: compared with what honest nodes report to show the attack was exercised. */
export interface HerdCounters {
  dials: number;
  connected: number;
  refused: number;
  /** Handshakes the sybils completed with honest nodes (VERSION from both sides). */
  handshakes: number;
  addrMsgs: number;
  addrEntries: number;
  emptyHeaderAnswers: number;
  noncesLearnt: number;
  noncesReplayed: number;
  /** Inbound connections honest nodes opened to sybils (addresses spread through ADDR). */
  inboundFromHonest: number;
}

interface Sybil {
  index: number;
  host: string;
  kind: Attack;
  transport: Transport;
  rng: Rng;
  live: number;
}

export class SybilHerd {
  readonly counters: HerdCounters = {
    dials: 0, connected: 0, refused: 0, handshakes: 0, addrMsgs: 0, addrEntries: 0,
    emptyHeaderAnswers: 0, noncesLearnt: 0, noncesReplayed: 0, inboundFromHonest: 0,
  };
  readonly sybils: Sybil[] = [];
  /** VERSION nonces learnt from honest nodes, by their host: what a replayer presents to others. */
  private readonly nonces: { host: string; nonce: bigint }[] = [];
  private bestHeight = 0;
  private bestWork = 0n;
  private stopped = false;
  private readonly dials: number;
  private readonly addrsPerMsg: number;
  private readonly addrEveryMs: number;

  constructor(
    private readonly net: MemoryNetwork,
    private readonly clock: VirtualClock,
    private readonly profile: NetworkProfile,
    private readonly rng: Rng,
    private readonly opts: SybilOptions,
    /** Hosts of honest nodes online now (dial targets). */
    private readonly honestHosts: () => string[],
  ) {
    this.dials = opts.dialsPerSybil ?? 2;
    this.addrsPerMsg = Math.min(1000, opts.addrsPerMsg ?? 1000);
    this.addrEveryMs = opts.addrEveryMs ?? 5_000;
    for (let i = 0; i < opts.count; i++) {
      const kind = opts.attack === 'all' ? ATTACKS[i % ATTACKS.length]! : opts.attack;
      const host = sybilHost(i);
      this.sybils.push({ index: i, host, kind, transport: net.transport(host), rng: rng.fork(`sybil/${i}`), live: 0 });
    }
  }

  /** Brings every sybil up over `spreadMs` from now: each listens and dials its honest targets. */
  async start(spreadMs: number): Promise<void> {
    for (const s of this.sybils) {
      await s.transport.listen(s.host, this.profile.p2pPort, (conn) => {
        this.counters.inboundFromHonest++;
        this.attach(s, conn);
      });
      const at = this.clock.elapsed() + Math.round(s.rng.range(0, spreadMs));
      for (let k = 0; k < this.dials; k++) this.clock.at(at + k * 50, () => this.dial(s));
    }
  }

  stop(): void {
    this.stopped = true;
    for (const s of this.sybils) this.net.hostDown(s.host);
  }

  kindOf(host: string): Attack | null {
    if (!isSybilHost(host)) return null;
    const m = /^11\.(\d+)\.(\d+)\.(\d+)$/.exec(host);
    if (!m) return null;
    const i = ((Number(m[3]) << 16) | (Number(m[2]) << 8) | Number(m[1])) - 1;
    return this.sybils[i]?.kind ?? null;
  }

  private dial(s: Sybil): void {
    if (this.stopped) return;
    const targets = this.honestHosts();
    if (targets.length === 0) return void this.clock.at(this.clock.elapsed() + REDIAL_MS, () => this.dial(s));
    const host = targets[s.rng.int(targets.length)]!;
    this.counters.dials++;
    const again = (): void => {
      if (this.stopped) return;
      const wait = s.kind === 'squat' ? SQUAT_REDIAL_MS : REDIAL_MS;
      this.clock.at(this.clock.elapsed() + Math.round(wait * (0.5 + s.rng.next())), () => this.dial(s));
    };
    s.transport.connect(host, this.profile.p2pPort).then(
      (conn) => {
        this.counters.connected++;
        this.attach(s, conn, again);
      },
      () => {
        this.counters.refused++;
        again();
      },
    );
  }

  /** Runs the sybil's behaviour on one connection; `closed` redials (outbound links only). */
  private attach(s: Sybil, conn: Connection, closed?: () => void): void {
    s.live++;
    const dec = new FrameDecoder();
    let gotVersion = false;
    let addrTimer: ReturnType<VirtualClock['setInterval']> | null = null;
    let addrSent = 0;
    const send = (m: Message): void => {
      try {
        conn.write(encodeMessageFrame(m));
      } catch {
        // the link died under us: the close callback redials
      }
    };
    conn.onClose(() => {
      s.live--;
      if (addrTimer) this.clock.clearInterval(addrTimer);
      addrTimer = null;
      closed?.();
    });
    // A squatter never says a word: it only holds the slot until the handshake timeout drops it.
    if (s.kind === 'squat') {
      conn.onData(() => undefined);
      return;
    }
    send(this.versionFor(s, conn.remoteAddress));
    conn.onData((chunk) => {
      let frames;
      try {
        frames = dec.push(chunk);
      } catch {
        conn.destroy();
        return;
      }
      for (const f of frames) {
        let m: Message;
        try {
          m = decodeMessage(f.type, f.payload);
        } catch {
          continue;
        }
        if (m.type === MsgType.VERSION) {
          if (gotVersion) continue;
          gotVersion = true;
          this.learn(conn.remoteAddress, m);
          send({ type: MsgType.VERACK });
          this.counters.handshakes++;
          if (s.kind === 'addr-poison') {
            const flood = (): void => {
              if (addrSent++ >= 250) return; // the flood: 250 messages a connection
              send({ type: MsgType.ADDR, addrs: this.sybilAddrs(s.rng, this.addrsPerMsg) });
              this.counters.addrMsgs++;
              this.counters.addrEntries += this.addrsPerMsg;
            };
            flood();
            addrTimer = this.clock.setInterval(flood, this.addrEveryMs);
          }
          continue;
        }
        if (s.kind === 'silent') continue; // handshake, then never answer anything
        if (m.type === MsgType.PING) send({ type: MsgType.PONG, nonce: m.nonce });
        else if (m.type === MsgType.GETADDR) send({ type: MsgType.ADDR, addrs: this.sybilAddrs(s.rng, this.addrsPerMsg) });
        else if (m.type === MsgType.GETBLOCKS && s.kind === 'liar') {
          send({ type: MsgType.BLOCKS, headers: [] }); // claims everything, backs nothing
          this.counters.emptyHeaderAnswers++;
        }
      }
    });
  }

  private versionFor(s: Sybil, to: string): VersionMsg {
    let nonce = (BigInt(s.rng.u32()) << 32n) | BigInt(s.rng.u32());
    let height = this.bestHeight + 1;
    let work = this.bestWork + 1n;
    if (s.kind === 'liar') {
      height = 0xffffffff;
      work = MAX_WORK;
    } else if (s.kind === 'addr-poison') {
      height = this.bestHeight;
      work = this.bestWork;
    } else if (s.kind === 'nonce-replay') {
      // a nonce another honest node sent us, presented to a node it may well be linked to
      const pool = this.nonces.filter((e) => e.host !== to);
      if (pool.length > 0) {
        nonce = pool[Math.max(0, pool.length - 64) + s.rng.int(Math.min(pool.length, 64))]!.nonce; // a recent one: its link is likely still up
        this.counters.noncesReplayed++;
      }
    }
    return {
      type: MsgType.VERSION,
      version: PROTOCOL_VERSION,
      height,
      timestamp: Math.floor(this.clock.now() / 1000),
      port: this.profile.p2pPort,
      ext: { magic: this.profile.magic, nonce, chainWork: work < 0n ? 0n : work > MAX_WORK ? MAX_WORK : work, userAgent: 'bloomcoin/0.1.0' },
    };
  }

  private learn(host: string, m: VersionMsg): void {
    if (isSybilHost(host)) return;
    this.bestHeight = Math.max(this.bestHeight, Math.min(m.height, 0xfffffffe));
    if (m.ext) {
      if (m.ext.chainWork > this.bestWork && m.ext.chainWork < MAX_WORK) this.bestWork = m.ext.chainWork;
      this.nonces.push({ host, nonce: m.ext.nonce });
      this.counters.noncesLearnt++;
      if (this.nonces.length > 4096) this.nonces.splice(0, 2048);
    }
  }

  private sybilAddrs(rng: Rng, n: number): NetAddr[] {
    const lastSeen = Math.floor(this.clock.now() / 1000);
    const out: NetAddr[] = [];
    const count = Math.min(n, this.sybils.length);
    for (let k = 0; k < count; k++) out.push({ host: this.sybils[rng.int(this.sybils.length)]!.host, port: this.profile.p2pPort, lastSeen });
    return out;
  }
}

// ---------------- what honest nodes saw ----------------

/** What the hostile report reads of an honest node (a SimNode's p2p view). */
export interface HonestView {
  index: number;
  host: string;
  chain: { tip(): Tip; isMain(hash: Uint8Array, height: number): boolean };
  p2p(): { peers: string[]; bans: string[]; bansTotal: number; invalid: Record<string, number>; refused: Record<string, number>; disconnects: Record<string, number>; phaseIn: number };
}

export interface DeliveryStats {
  blocks: number;
  /** Over every (block, honest node) delivery, seconds after the block's birth. */
  p50: number | null;
  p99: number | null;
  max: number | null;
  /** Lowest and mean share of honest nodes a block reached. */
  minReached: number | null;
  meanReached: number | null;
}

export interface HostileReport {
  sybils: number;
  attack: string;
  atSec: number;
  honest: number;
  delivery: DeliveryStats;
  phase: {
    /** Share of honest nodes that received PHASE frames after the attack began. */
    reached: number;
    /** PHASE frames per honest node per second after the attack began: median and lowest. */
    medianPerSec: number;
    minPerSec: number;
  };
  chain: {
    /** Every honest node on one tip (the honest chain: sybils mine nothing). */
    sameTip: boolean;
    /** Share of honest nodes whose tip is on the tallest honest node's chain (a node a block behind is on it; a stale fork tip is not). */
    onBestChain: number;
    /** Most blocks an honest node's tip is below the tallest (blocks still in flight when the run stopped). */
    maxBehind: number;
    distinctTips: number;
    majorityShare: number;
    height: number;
  };
  /** Honest nodes with no honest peer at the end (eclipsed or alone). */
  isolated: number;
  /** Mean share of an honest node's peers that are sybils at the end. */
  sybilPeerShare: number;
  defence: {
    /** Sybil hosts banned by at least one honest node, and bans in all. */
    sybilsBanned: number;
    bansOnSybils: number;
    honestBanned: number;
    /** Misbehaviour points given, by reason (summed over honest nodes). */
    invalid: Record<string, number>;
    refused: Record<string, number>;
    disconnects: Record<string, number>;
  };
  herd: HerdCounters;
}

/** Tracks when each honest node got each block, for delivery latency at the end. */
export class DeliveryTracker {
  private readonly blocks = new Map<string, { birth: number; height: number; online: number[]; arrivals: Map<number, number> }>();
  private readonly phaseAt = new Map<number, number>();

  constructor(private readonly clock: VirtualClock) {}

  watch(node: { index: number; chain: { onTip(cb: (c: TipChange) => void): void } }, online: () => number[]): void {
    node.chain.onTip((change) => {
      const now = this.clock.elapsed();
      for (const b of change.connected) {
        const key = Buffer.from(encodeHeader(b.header)).toString('hex'); // the header's bytes: unique per block
        let t = this.blocks.get(key);
        if (!t) this.blocks.set(key, (t = { birth: now, height: b.header.height, online: online(), arrivals: new Map() }));
        if (!t.arrivals.has(node.index)) t.arrivals.set(node.index, now);
      }
    });
  }

  /** PHASE frames each honest node had received when the attack began. */
  markPhase(nodes: HonestView[]): void {
    for (const n of nodes) this.phaseAt.set(n.index, n.p2p().phaseIn);
  }

  report(nodes: HonestView[], opts: SybilOptions, herd: HerdCounters | null): HostileReport {
    const endMs = this.clock.elapsed();
    const onlineSet = new Set(nodes.map((n) => n.index));
    // The honest chain: what a node on the majority tip connected, the latest block per height (reorgs).
    const tipOf = (n: HonestView): string => Buffer.from(n.chain.tip().hash).toString('hex');
    const count = new Map<string, number>();
    for (const n of nodes) count.set(tipOf(n), (count.get(tipOf(n)) ?? 0) + 1);
    const best = [...count.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
    const ref = nodes.find((n) => tipOf(n) === best);
    const latest = new Map<number, { key: string; at: number }>();
    if (ref) {
      for (const [key, t] of this.blocks) {
        const at = t.arrivals.get(ref.index);
        if (at === undefined) continue;
        const cur = latest.get(t.height);
        if (!cur || at >= cur.at) latest.set(t.height, { key, at });
      }
    }
    const main = new Set([...latest.values()].map((v) => v.key));
    const mainChain = (key: string): boolean => main.has(key);
    const all: number[] = [];
    const reached: number[] = [];
    const fromMs = opts.atSec * 1000;
    for (const [key, t] of this.blocks) {
      if (t.birth < fromMs || !mainChain(key)) continue;
      const eligible = t.online.filter((i) => onlineSet.has(i));
      if (eligible.length === 0) continue;
      const times = eligible.map((i) => t.arrivals.get(i)).filter((x): x is number => x !== undefined);
      const share = times.length / eligible.length;
      if (share < 1 && endMs - t.birth < 60_000) continue; // born too near the end to finish
      reached.push(share);
      for (const x of times) all.push((x - t.birth) / 1000);
      // a node that never got the block counts as never delivered: the worst latency there is
      for (let k = times.length; k < eligible.length; k++) all.push(Infinity);
    }
    all.sort((a, b) => a - b);
    const q = (p: number): number | null => (all.length ? r3(all[Math.min(all.length - 1, Math.ceil(p * all.length) - 1)]!) : null);
    const tips = new Map<string, number>();
    let height = 0;
    for (const n of nodes) {
      const t = n.chain.tip();
      const k = Buffer.from(t.hash).toString('hex');
      tips.set(k, (tips.get(k) ?? 0) + 1);
      height = Math.max(height, t.height);
    }
    const majority = Math.max(0, ...tips.values());
    const tallest = nodes.reduce<(typeof nodes)[number] | undefined>((a, n) => (!a || n.chain.tip().height > a.chain.tip().height ? n : a), undefined);
    let onBest = 0;
    let maxBehind = 0;
    for (const n of nodes) {
      const t = n.chain.tip();
      if (tallest?.chain.isMain(t.hash, t.height)) onBest++;
      maxBehind = Math.max(maxBehind, height - t.height);
    }
    let isolated = 0;
    let shareSum = 0;
    const banned = new Set<string>();
    let bansOnSybils = 0;
    let honestBanned = 0;
    const invalid: Record<string, number> = {};
    const refused: Record<string, number> = {};
    const disconnects: Record<string, number> = {};
    const rates: number[] = [];
    const secs = Math.max(1e-3, (endMs - fromMs) / 1000);
    for (const n of nodes) {
      const p = n.p2p();
      const honestPeers = p.peers.filter((h) => !isSybilHost(h)).length;
      if (honestPeers === 0) isolated++;
      shareSum += p.peers.length ? (p.peers.length - honestPeers) / p.peers.length : 0;
      for (const b of p.bans) {
        if (isSybilHost(b)) {
          banned.add(b);
          bansOnSybils++;
        } else honestBanned++;
      }
      for (const [k, v] of Object.entries(p.invalid)) invalid[k] = (invalid[k] ?? 0) + v;
      for (const [k, v] of Object.entries(p.refused)) refused[k] = (refused[k] ?? 0) + v;
      for (const [k, v] of Object.entries(p.disconnects)) disconnects[k] = (disconnects[k] ?? 0) + v;
      rates.push((p.phaseIn - (this.phaseAt.get(n.index) ?? 0)) / secs);
    }
    rates.sort((a, b) => a - b);
    return {
      sybils: opts.count,
      attack: opts.attack,
      atSec: opts.atSec,
      honest: nodes.length,
      delivery: {
        blocks: reached.length,
        p50: q(0.5),
        p99: q(0.99),
        max: q(1),
        minReached: reached.length ? r3(Math.min(...reached)) : null,
        meanReached: reached.length ? r3(reached.reduce((a, b) => a + b, 0) / reached.length) : null,
      },
      phase: {
        reached: nodes.length ? r3(rates.filter((x) => x > 0).length / nodes.length) : 0,
        medianPerSec: rates.length ? r3(rates[rates.length >> 1]!) : 0,
        minPerSec: rates.length ? r3(rates[0]!) : 0,
      },
      chain: { sameTip: tips.size === 1, onBestChain: r3(onBest / Math.max(1, nodes.length)), maxBehind, distinctTips: tips.size, majorityShare: r3(majority / Math.max(1, nodes.length)), height },
      isolated,
      sybilPeerShare: r3(shareSum / Math.max(1, nodes.length)),
      defence: { sybilsBanned: banned.size, bansOnSybils, honestBanned, invalid, refused, disconnects },
      herd: herd ?? {
        dials: 0, connected: 0, refused: 0, handshakes: 0, addrMsgs: 0, addrEntries: 0,
        emptyHeaderAnswers: 0, noncesLearnt: 0, noncesReplayed: 0, inboundFromHonest: 0,
      },
    };
  }
}

const r3 = (x: number): number => (Number.isFinite(x) ? Math.round(x * 1000) / 1000 : x);

/** The hostile report beside the no-attack run, as text lines. */
export function formatHostile(attack: HostileReport, base?: HostileReport): string {
  const row = (name: string, f: (r: HostileReport) => unknown): string =>
    `  ${name.padEnd(28)} ${String(f(attack)).padStart(14)}${base ? String(f(base)).padStart(14) : ''}`;
  return [
    `hostile: ${attack.sybils} sybils (${attack.attack}) at ${attack.atSec} s among ${attack.honest} honest nodes`,
    `  ${''.padEnd(28)} ${'attack'.padStart(14)}${base ? 'no attack'.padStart(14) : ''}`,
    row('blocks measured', (r) => r.delivery.blocks),
    row('block delivery p50 s', (r) => r.delivery.p50),
    row('block delivery p99 s', (r) => r.delivery.p99),
    row('block delivery max s', (r) => r.delivery.max),
    row('honest reached (min)', (r) => r.delivery.minReached),
    row('PHASE reached', (r) => r.phase.reached),
    row('PHASE/s per node (median)', (r) => r.phase.medianPerSec),
    row('same tip', (r) => r.chain.sameTip),
    row('on the best chain / most behind', (r) => `${r.chain.onBestChain} / ${r.chain.maxBehind}`),
    row('tips / height', (r) => `${r.chain.distinctTips} / ${r.chain.height}`),
    row('isolated honest nodes', (r) => r.isolated),
    row('sybil share of peers', (r) => r.sybilPeerShare),
    row('sybils banned', (r) => r.defence.sybilsBanned),
    row('honest nodes banned', (r) => r.defence.honestBanned),
    row('misbehaviour scored', (r) => Object.values(r.defence.invalid).reduce((a, b) => a + b, 0)),
    row('handshake timeouts', (r) => r.defence.disconnects['handshake-timeout'] ?? 0),
    row('evictions', (r) => r.defence.disconnects['evicted'] ?? 0),
  ].join('\n');
}
