import { describe, expect, it } from 'vitest';
import { DEVNET, MAINNET, Z_C } from '../src/constants.js';
import { createReferenceCore } from '../src/core/reference.js';
import { loadCore } from '../src/core/index.js';
import { GossipManager, INVALID_PHASE_POINTS } from '../src/gossip/manager.js';
import { PhaseRelayProtocol, RELAY_KEEP, RELAY_MAX_ENTRIES } from '../src/gossip/relay.js';
import { parseStrategy, shouldShare, type GossipStrategy } from '../src/gossip/strategy.js';
import type { BroadcastOptions, Handler, Peer, PeerNetwork } from '../src/p2p/types.js';
import { MsgType, type Message, type MsgTypeCode } from '../src/wire/types.js';

const core = createReferenceCore();

function share(strategy: GossipStrategy, r: number, lastSharedR: number, now = 1000, lastShareTime: number | null = null, min = 618) {
  return shouldShare(strategy, { r, lastSharedR, now, lastShareTime, minIntervalMs: min });
}

describe('gossip strategies (seed 2.2)', () => {
  it('EAGER shares every round', () => {
    expect(share('eager', 0, 0)).toBe(true);
    expect(share('eager', 0.01, 0.9)).toBe(true);
  });

  it('THRESHOLD shares only on a gain above 0.05', () => {
    expect(share('threshold', 0.54, 0.5)).toBe(false);
    expect(share('threshold', 0.549, 0.5)).toBe(false);
    expect(share('threshold', 0.551, 0.5)).toBe(true);
    expect(share('threshold', 0.4, 0.5)).toBe(false);
  });

  it('BLOOM: always within 0.1 of Z_C; within 0.2 only on a gain above 0.02', () => {
    expect(share('bloom', Z_C - 0.099, 0.99)).toBe(true);
    expect(share('bloom', 0.95, 0.99)).toBe(true);
    expect(share('bloom', Z_C - 0.15, Z_C - 0.16)).toBe(false); // gain 0.01
    expect(share('bloom', Z_C - 0.15, Z_C - 0.18)).toBe(true); // gain 0.03
    expect(share('bloom', Z_C - 0.21, 0)).toBe(false); // too far from Z_C whatever the gain
    expect(share('bloom', 0.1, 0)).toBe(false);
  });

  it('rate limit: no strategy shares twice within the interval (618 mainnet, 100 devnet)', () => {
    for (const s of ['eager', 'threshold', 'bloom'] as const) {
      expect(share(s, 0.99, 0, 1000 + 617, 1000, MAINNET.gossipIntervalMs)).toBe(false);
      expect(share(s, 0.99, 0, 1000 + 618, 1000, MAINNET.gossipIntervalMs)).toBe(true);
      expect(share(s, 0.99, 0, 1099, 1000, DEVNET.gossipIntervalMs)).toBe(false);
      expect(share(s, 0.99, 0, 1100, 1000, DEVNET.gossipIntervalMs)).toBe(true);
    }
    expect(MAINNET.gossipIntervalMs).toBe(618);
    expect(DEVNET.gossipIntervalMs).toBe(100);
  });

  it('parses strategy names and rejects others with a typed error', () => {
    expect(parseStrategy('BLOOM')).toBe('bloom');
    expect(() => parseStrategy('flood')).toThrow(expect.objectContaining({ code: 'bad-gossip-strategy' }));
  });
});

describe('PHASE canonical form (onPhase relays the received bytes when at most 256 phases)', () => {
  // random finite f32 bit patterns: subnormals, -0, the extremes; r in [0, 1]
  function randomState(n: number, seed: number): Uint8Array {
    const b = new Uint8Array(12 + 4 * n);
    const dv = new DataView(b.buffer);
    let x = seed >>> 0;
    const next = (): number => ((x = (Math.imul(x, 1664525) + 1013904223) >>> 0), x);
    const finite = (): number => {
      for (;;) {
        const bits = next();
        if (((bits >>> 23) & 0xff) !== 0xff) return bits; // not Inf / NaN
      }
    };
    dv.setFloat32(0, [0, -0, 1, Math.fround(0.866), 1e-45][seed % 5]!, true);
    dv.setUint32(4, finite(), true);
    dv.setUint32(8, n, true);
    for (let i = 0; i < n; i++) dv.setUint32(12 + 4 * i, finite(), true);
    return b;
  }

  it('decode then encode gives back the very bytes for n ≤ 256 (reference and wasm cores); above, it downsamples', async () => {
    for (const c of [core, await loadCore({ backend: 'wasm' })]) {
      for (const n of [0, 1, 64, 255, 256]) {
        for (let seed = 1; seed <= 40; seed++) {
          const b = randomState(n, seed * 7919 + n);
          const d = c.decodePhaseState(b);
          expect(c.encodePhaseState(d.phases, d.r, d.psi)).toEqual(b);
        }
      }
      const big = randomState(257, 3);
      const d = c.decodePhaseState(big);
      expect(c.encodePhaseState(d.phases, d.r, d.psi).length).toBeLessThan(big.length);
    }
  });
});

/** A 16-byte relay key from a label (the table keys by a digest's first 16 bytes). */
function key(label: string): Uint8Array {
  const k = new Uint8Array(16);
  k.set(new TextEncoder().encode(label).subarray(0, 16));
  return k;
}

describe('PhaseRelayProtocol (seed 2.6)', () => {
  it('relays new states and only improvements above 0.02', () => {
    const p = new PhaseRelayProtocol();
    expect(p.shouldRelay(0.5, key('a'))).toBe(true);
    expect(p.shouldRelay(0.5, key('a'))).toBe(false);
    expect(p.shouldRelay(0.52, key('a'))).toBe(false);
    expect(p.shouldRelay(0.521, key('a'))).toBe(true);
    expect(p.get(key('a'))).toBe(0.521);
    expect(p.shouldRelay(0.1, key('b'))).toBe(true);
  });

  it('past 1000 entries prunes to the top 500 by r', () => {
    const p = new PhaseRelayProtocol();
    // r values shuffled so insertion order says nothing about rank
    const rs = Array.from({ length: RELAY_MAX_ENTRIES + 1 }, (_, i) => ((i * 7919) % (RELAY_MAX_ENTRIES + 1)) / 2000);
    rs.forEach((r, i) => p.shouldRelay(r, key(`h${i}`)));
    expect(p.prunes).toBe(1);
    expect(p.size).toBe(RELAY_KEEP);
    const kept = rs.map((r, i) => ({ r, h: `h${i}` })).filter((e) => p.has(key(e.h)));
    const minKept = Math.min(...kept.map((e) => e.r));
    const sorted = [...rs].sort((a, b) => b - a);
    expect(minKept).toBe(sorted[RELAY_KEEP - 1]);
    // a dropped (low r) state counts as new again
    const dropped = rs.findIndex((r, i) => !p.has(key(`h${i}`)));
    expect(p.shouldRelay(rs[dropped]!, key(`h${dropped}`))).toBe(true);
  });
});

// A PeerNetwork double that records what gossip sends; the socket-level test is gossip-net.test.ts.
class FakeNet implements PeerNetwork {
  handlers = new Map<number, Handler<MsgTypeCode>>();
  closed: ((peer: Peer, reason: string) => void)[] = [];
  list: Peer[] = [];
  sent: { to: Peer; msg: Message }[] = [];
  penalties: { peer: Peer; points: number; reason: string }[] = [];
  seen = new Map<number, Set<string>>();
  peers(): Peer[] {
    return this.list;
  }
  on<T extends MsgTypeCode>(type: T, handler: Handler<T>): void {
    this.handlers.set(type, handler as unknown as Handler<MsgTypeCode>);
  }
  onPeerReady(): void {}
  onPeerClosed(cb: (peer: Peer, reason: string) => void): void {
    this.closed.push(cb);
  }
  send(peer: Peer, msg: Message): boolean {
    this.sent.push({ to: peer, msg });
    return true;
  }
  broadcast(msg: Message, opts: BroadcastOptions = {}): number {
    let n = 0;
    for (const p of this.list) {
      if (p === opts.exclude) continue;
      if (opts.key && this.seen.get(p.id)?.has(opts.key)) continue;
      if (opts.key) this.markSeen(p, opts.key);
      this.send(p, msg);
      n++;
    }
    return n;
  }
  markSeen(peer: Peer, key: string): void {
    if (!this.seen.has(peer.id)) this.seen.set(peer.id, new Set());
    this.seen.get(peer.id)!.add(key);
  }
  misbehave(peer: Peer, points: number, reason: string): void {
    peer.score += points;
    this.penalties.push({ peer, points, reason });
  }
  disconnect(): void {}
  deliver(peer: Peer, msg: Message): void | Promise<void> {
    return (this.handlers.get(msg.type) as unknown as (p: Peer, m: Message) => void)(peer, msg);
  }
}

function mkPeer(id: number): Peer {
  return {
    id, address: `127.0.0.1:${1000 + id}`, inbound: false, handshaken: true, version: 1, height: 0, chainWork: 0n,
    userAgent: '', listenPort: 0, lastSeen: 0, connectedAt: 0, coherence: 0,
    bytesIn: 0, bytesOut: 0, msgsIn: 0, msgsOut: 0, score: 0, pingMs: null,
  };
}

function coherentPhases(n: number, center: number, spread: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => (center + spread * Math.sin(i * 12.9898)) % (2 * Math.PI));
}

function setup(strategy: GossipStrategy = 'eager') {
  let now = 10_000;
  const clock = { now: () => now };
  const net = new FakeNet();
  net.list = [mkPeer(1), mkPeer(2), mkPeer(3)];
  // seed 2.6's flood: these tests pin it unchanged (the aggregate relay is test/gossip-aggregate.test.ts)
  const g = new GossipManager({ net, core, profile: DEVNET, strategy, clock, relay: 'flood' });
  g.start();
  return { net, g, advance: (ms: number) => (now += ms), clock };
}

describe('GossipManager', () => {
  it('shares by strategy with the rate limit on the injected clock', () => {
    const { net, g, advance } = setup('bloom');
    const phases = coherentPhases(4096, 1, 0.2);
    const { r, psi } = core.orderParameter(phases);
    expect(r).toBeGreaterThan(Z_C);
    expect(g.maybeShare(phases, r, psi)).toBe(true);
    expect(net.sent.filter((s) => s.msg.type === MsgType.PHASE)).toHaveLength(3);
    const state = (net.sent[0]!.msg as { state: Uint8Array }).state;
    expect(state.length).toBe(12 + 4 * 64); // downsampled
    advance(99);
    expect(g.maybeShare(phases, r, psi)).toBe(false);
    advance(1);
    expect(g.maybeShare(phases, r, psi)).toBe(true);
    advance(100);
    expect(g.maybeShare(phases, 0.2, psi)).toBe(false); // bloom: far below Z_C
    expect(g.stats().shares).toBe(2);
  });

  it('PHASE in: stored on the peer, queued for incorporation, relayed to all but the sender', () => {
    const { net, g } = setup();
    const [a, b, c] = net.list as [Peer, Peer, Peer];
    const phases = coherentPhases(64, 2, 0.3);
    const { r, psi } = core.orderParameter(phases);
    const state = core.encodePhaseState(phases, r, psi);
    net.deliver(a, { type: MsgType.PHASE, state });
    expect(g.peerPhase(a.id)?.phases.length).toBe(64);
    expect(a.coherence).toBeCloseTo(r, 5);
    const relayed = net.sent.filter((s) => s.msg.type === MsgType.PHASE);
    expect(relayed.map((s) => s.to.id).sort()).toEqual([b.id, c.id]);
    // the same state again is not relayed again
    net.deliver(b, { type: MsgType.PHASE, state });
    expect(net.sent.filter((s) => s.msg.type === MsgType.PHASE)).toHaveLength(2);
    const incoming = g.drainIncoming();
    expect(incoming).toHaveLength(2); // latest per peer
    expect(incoming[0]!.weight).toBe(0.1);
    expect(g.drainIncoming()).toHaveLength(0);
    expect(g.stats()).toMatchObject({ received: 2, relays: 1, relaySends: 2, invalid: 0 });
  });

  it('invalid PHASE is penalised with a few points and dropped, never relayed or queued', () => {
    const { net, g } = setup();
    const a = net.list[0]!;
    const bad = core.encodePhaseState(new Float64Array([1, 2, 3]), 0.5, 0);
    new DataView(bad.buffer).setFloat32(0, 1.5, true); // r > 1
    net.deliver(a, { type: MsgType.PHASE, state: bad });
    net.deliver(a, { type: MsgType.PHASE, state: new Uint8Array(7) });
    expect(net.penalties).toHaveLength(2);
    expect(net.penalties[0]!.points).toBe(INVALID_PHASE_POINTS);
    expect(net.penalties[0]!.reason).toMatch(/^invalid-phase/);
    expect(g.peerPhase(a.id)).toBeNull();
    expect(net.sent).toHaveLength(0);
    expect(g.drainIncoming()).toHaveLength(0);
    expect(g.stats().invalid).toBe(2);
  });

  it('our own share echoed back is neither relayed nor incorporated', () => {
    const { net, g } = setup();
    const phases = coherentPhases(4096, 1, 0.2);
    const { r, psi } = core.orderParameter(phases);
    g.maybeShare(phases, r, psi);
    const mine = (net.sent[0]!.msg as { state: Uint8Array }).state;
    net.sent.length = 0;
    net.deliver(net.list[1]!, { type: MsgType.PHASE, state: mine });
    expect(net.sent).toHaveLength(0);
    expect(g.drainIncoming()).toHaveLength(0);
  });

  it('GETPHASE is answered with the current state; COHERENCE feeds networkCoherence', () => {
    const { net, g, advance } = setup('threshold');
    const a = net.list[0]!;
    net.deliver(a, { type: MsgType.GETPHASE });
    expect(net.sent).toHaveLength(0); // nothing known yet
    const phases = coherentPhases(128, 1, 0.1);
    const { r, psi } = core.orderParameter(phases);
    g.maybeShare(phases, 0.01, psi); // threshold: not shared, but current
    expect(g.stats().shares).toBe(0);
    net.deliver(a, { type: MsgType.GETPHASE });
    expect(net.sent).toHaveLength(1);
    expect(net.sent[0]!.to).toBe(a);
    expect(core.decodePhaseState((net.sent[0]!.msg as { state: Uint8Array }).state).phases.length).toBe(128);
    void r;
    net.deliver(net.list[1]!, { type: MsgType.COHERENCE, r: 0.9, psi: 0, rounds: 3 });
    net.deliver(net.list[2]!, { type: MsgType.COHERENCE, r: 0.5, psi: 0, rounds: 0 });
    expect(net.list[1]!.coherence).toBe(0.9);
    expect(g.networkCoherence()).toBeCloseTo((0.01 + 0.9 + 0.5) / 3, 6);
    advance(500); // one half-life (5 devnet rounds): peer 2 refreshes, the others weigh half
    net.deliver(net.list[2]!, { type: MsgType.COHERENCE, r: 0.5, psi: 0, rounds: 0 });
    expect(g.networkCoherence()).toBeCloseTo((0.5 * 0.01 + 0.5 * 0.9 + 0.5) / 2, 6);
    advance(10_000); // everything stale
    expect(g.networkCoherence()).toBe(0);
    net.deliver(a, { type: MsgType.COHERENCE, r: 2, psi: 0, rounds: 0 });
    expect(net.penalties).toHaveLength(1);
  });

  it('BLOOM goes to the callback; relayed on its say-so with the certificate it returns, once, never to the sender', async () => {
    let now = 0;
    const net = new FakeNet();
    net.list = [mkPeer(1), mkPeer(2), mkPeer(3)];
    const got: string[] = [];
    const g = new GossipManager({
      net, core, profile: DEVNET, clock: { now: () => now },
      onBloom: (_p, hash) => { got.push(Buffer.from(hash).toString('hex')); return new Uint8Array(4).fill(1); },
    });
    g.start();
    const msg = { type: MsgType.BLOOM, blockHash: new Uint8Array(32).fill(7), cert: new Uint8Array(10) } as const;
    net.deliver(net.list[0]!, msg);
    net.deliver(net.list[1]!, msg);
    await new Promise((r) => setImmediate(r));
    expect(got).toHaveLength(2);
    // relayed once: not to the sender, not to peer 2 (it sent it to us), so only to peer 3
    expect(net.sent.map((s) => s.to.id)).toEqual([3]);
    expect([...(net.sent[0]!.msg as { cert: Uint8Array }).cert]).toEqual([1, 1, 1, 1]); // the held cert, not the peer's 10 bytes
    expect(g.stats().blooms).toBe(2);
    void now;
    g.announceBloom(new Uint8Array(32).fill(9), new Uint8Array(4));
    expect(net.sent.filter((s) => s.msg.type === MsgType.BLOOM)).toHaveLength(1 + 3);
  });

  it('stop() turns handlers into no-ops', () => {
    const { net, g } = setup();
    g.stop();
    net.deliver(net.list[0]!, { type: MsgType.PHASE, state: new Uint8Array(3) });
    expect(net.penalties).toHaveLength(0);
    expect(g.maybeShare(coherentPhases(64, 0, 0.1), 0.99, 0)).toBe(false);
  });
});

describe('GossipManager, aggregate relay', () => {
  it('one aggregate per interval to at most D = 6 mesh peers, whatever the number of inputs; no penalty', () => {
    let now = 10_000;
    const net = new FakeNet();
    net.list = Array.from({ length: 20 }, (_, i) => mkPeer(i + 1));
    const g = new GossipManager({ net, core, profile: DEVNET, clock: { now: () => now }, relay: 'aggregate', seed: 7 });
    g.start();
    for (let round = 0; round < 5; round++) {
      for (const [k, p] of net.list.entries()) {
        const state = core.encodePhaseState(coherentPhases(64, k * 0.1 + round, 0.3), 0.5 + k / 100, 0);
        net.deliver(p, { type: MsgType.PHASE, state });
      }
      now += DEVNET.gossipIntervalMs;
      g.flushRound();
    }
    const phases = net.sent.filter((s) => s.msg.type === MsgType.PHASE);
    const perPeer = new Map<number, number>();
    for (const s of phases) perPeer.set(s.to.id, (perPeer.get(s.to.id) ?? 0) + 1);
    expect(perPeer.size).toBeLessThanOrEqual(6);
    expect(g.stats().meshPeers).toBe(6);
    // 5 rounds of 20 inputs each: one frame per round per mesh peer (the first goes out at once)
    for (const n of perPeer.values()) expect(n).toBeLessThanOrEqual(6);
    expect(g.stats().aggregates).toBeLessThanOrEqual(6);
    expect(net.penalties).toEqual([]);
  });
  it("GETPHASE is the mesh's GRAFT: a silent mesh peer is asked, and a peer outside the mesh that asks gets the next aggregates", () => {
    let now = 10_000;
    let tick: (() => void) | null = null;
    const clock = { now: () => now, setInterval: (fn: () => void) => ((tick = fn), 1), clearInterval: () => {} };
    const net = new FakeNet();
    net.list = Array.from({ length: 20 }, (_, i) => mkPeer(i + 1));
    const g = new GossipManager({ net, core, profile: DEVNET, clock, relay: 'aggregate', seed: 7 });
    g.start();
    // silent mesh peers are asked once, not again before ASK_ROUNDS
    now += 5 * DEVNET.gossipIntervalMs;
    tick!();
    tick!();
    const asked = net.sent.filter((s) => s.msg.type === MsgType.GETPHASE).map((s) => s.to.id);
    expect(asked).toHaveLength(6);
    const mesh = new Set(asked);
    const outsider = net.list.find((p) => !mesh.has(p.id))!;
    net.deliver(outsider, { type: MsgType.GETPHASE });
    expect(g.stats().meshPeers).toBe(7);
    net.sent.length = 0;
    now += DEVNET.gossipIntervalMs;
    net.deliver(net.list.find((p) => mesh.has(p.id))!, { type: MsgType.PHASE, state: core.encodePhaseState(coherentPhases(64, 1, 0.3), 0.9, 0) });
    const to = net.sent.filter((s) => s.msg.type === MsgType.PHASE).map((s) => s.to.id);
    expect(to).toContain(outsider.id);
    expect(net.penalties).toEqual([]);
  });

  it('meshPeers follows the connected list even when the network edits one array in place (the cached answer)', () => {
    const net = new FakeNet();
    net.list = Array.from({ length: 20 }, (_, i) => mkPeer(i + 1));
    const g = new GossipManager({ net, core, profile: DEVNET, clock: { now: () => 10_000 }, relay: 'aggregate', seed: 7 });
    g.start();
    const first = g.meshPeers().map((p) => p.id);
    expect(first).toHaveLength(6);
    expect(g.meshPeers().map((p) => p.id)).toEqual(first); // asked again: the same, nothing drawn
    // two mesh peers leave, edited in place (same array): 4 = D_lo stay, in list order
    for (const id of first.slice(0, 2)) net.list.splice(net.list.findIndex((p) => p.id === id), 1);
    expect(g.meshPeers().map((p) => p.id)).toEqual(first.slice(2));
    // one more leaves through the close callback: below D_lo, the heartbeat refills to D
    const gone = net.list.find((p) => p.id === first[2])!;
    net.list.splice(net.list.indexOf(gone), 1);
    for (const cb of net.closed) cb(gone, 'test');
    const after = g.meshPeers().map((p) => p.id);
    expect(after).toHaveLength(6);
    expect(after).not.toContain(gone.id);
    expect(after).toEqual(expect.arrayContaining(first.slice(3)));
  });

  it('states out of phase in one interval: the best goes out as is, to every mesh peer but its source', () => {
    let now = 10_000;
    const net = new FakeNet();
    net.list = [mkPeer(1), mkPeer(2), mkPeer(3), mkPeer(4)];
    const g = new GossipManager({ net, core, profile: DEVNET, clock: { now: () => now }, relay: 'aggregate', seed: 7 });
    g.start();
    const state = (center: number) => {
      const phases = coherentPhases(64, center, 0.3);
      const { r, psi } = core.orderParameter(phases);
      return core.encodePhaseState(phases, r, psi);
    };
    net.deliver(net.list[3]!, { type: MsgType.PHASE, state: state(0.2) }); // goes out at once, alone
    net.sent.length = 0;
    const best = state(1);
    net.deliver(net.list[0]!, { type: MsgType.PHASE, state: best });
    net.deliver(net.list[1]!, { type: MsgType.PHASE, state: state(1 + Math.PI) }); // opposite phase, same r: ties keep arrival order
    now += DEVNET.gossipIntervalMs;
    expect(g.flushRound()).toBe(3);
    const out = net.sent.filter((s) => s.msg.type === MsgType.PHASE);
    expect(out.map((s) => s.to.id).sort()).toEqual([2, 3, 4]);
    const canonical = core.decodePhaseState(best);
    for (const s of out) expect(core.decodePhaseState((s.msg as { state: Uint8Array }).state).phases).toEqual(canonical.phases);
    expect(net.penalties).toEqual([]);
  });

  it("network r: a mesh peer downstream of us reads as the aggregate we pushed it, not its stale report", () => {
    // The lone-miner case of docs/gossip.md "Network r": peer 1 told us an early low state, then the
    // miner's states reach us through peer 2 and peer 1 sits downstream, so it never pushes again.
    let now = 10_000;
    const net = new FakeNet();
    net.list = [mkPeer(1), mkPeer(2), mkPeer(3)]; // below D_lo: all three are mesh peers
    const g = new GossipManager({ net, core, profile: DEVNET, clock: { now: () => now }, relay: 'aggregate', seed: 7 });
    g.start();
    const state = (center: number, spread: number) => {
      const phases = coherentPhases(64, center, spread);
      const { r, psi } = core.orderParameter(phases);
      return { state: core.encodePhaseState(phases, r, psi), r };
    };
    const low = state(0.5, 2.6);
    expect(low.r).toBeLessThan(0.5);
    net.deliver(net.list[0]!, { type: MsgType.PHASE, state: low.state });
    now += 6 * DEVNET.gossipIntervalMs;
    const high = state(1, 0.3);
    expect(high.r).toBeGreaterThan(Z_C);
    net.sent.length = 0;
    net.deliver(net.list[1]!, { type: MsgType.PHASE, state: high.state });
    // pushed to peers 1 and 3 (never back to the lone source, peer 2)
    expect(net.sent.filter((s) => s.msg.type === MsgType.PHASE).map((s) => s.to.id).sort()).toEqual([1, 3]);
    // peer 1's own report (6 rounds old, weight 0.5^(6/5)) would give (0.44·r_low + r_high) / 1.44 < Z_C
    expect(g.networkCoherence()).toBeCloseTo(high.r, 5);
    expect(g.networkCoherence()).toBeGreaterThan(Z_C);
    // only reports count as "peers with coherence"; a report newer than our push wins
    expect(g.stats().peersWithCoherence).toBe(2);
    now += DEVNET.gossipIntervalMs / 2; // within the interval: no aggregate goes out yet
    const mid = state(2, 1.2);
    net.deliver(net.list[0]!, { type: MsgType.PHASE, state: mid.state });
    const w = 0.5 ** (0.5 / 5); // peer 2's report and what we pushed peer 3 are half a round old
    expect(g.networkCoherence()).toBeCloseTo((mid.r + 2 * w * high.r) / (1 + 2 * w), 5);
    expect(net.penalties).toEqual([]);
  });
});
