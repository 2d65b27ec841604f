// GossipManager over real PeerManagers on 127.0.0.1 (TCP, real codec).
import { afterEach, describe, expect, it } from 'vitest';
import { DEVNET, Z_C } from '../src/constants.js';
import { loadCore } from '../src/core/index.js';
import { GETPHASE_FLOOD, GossipManager, INVALID_PHASE_POINTS } from '../src/gossip/manager.js';
import type { PeerManager } from '../src/p2p/manager.js';
import { MsgType } from '../src/wire/types.js';
import { cleanup, RawClient, sleep, startManager, waitFor } from './helpers/p2p.js';

afterEach(cleanup);

const core = await loadCore();

function gossipOn(net: PeerManager): GossipManager {
  const g = new GossipManager({ net, core, profile: DEVNET, strategy: 'eager', relay: 'flood' });
  g.start();
  return g;
}

function coherent(n: number, center: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => (center + 0.2 * Math.sin(i * 3.7)) % (2 * Math.PI));
}

describe('gossip over loopback TCP', () => {
  it('PHASE is delivered, stored on the peer, relayed onward but never back to the sender', async () => {
    const [a, b, c] = await Promise.all([startManager(), startManager(), startManager()]);
    const [ga, gb, gc] = [gossipOn(a), gossipOn(b), gossipOn(c)];
    await a.connect('127.0.0.1', b.port);
    await c.connect('127.0.0.1', b.port);
    await waitFor(() => b.peers().length === 2, 3000, 'hub has two peers');
    const phases = coherent(4096, 1.5);
    const { r, psi } = core.orderParameter(phases);
    expect(r).toBeGreaterThan(Z_C);
    expect(ga.maybeShare(phases, r, psi)).toBe(true);
    await waitFor(() => gc.stats().received === 1, 3000, 'relayed PHASE at C');
    expect(gb.stats()).toMatchObject({ received: 1, relays: 1, relaySends: 1, invalid: 0 });
    const fromA = b.peers().find((p) => gb.peerPhase(p.id) !== null)!;
    expect(fromA.coherence).toBeCloseTo(r, 5);
    expect(gb.peerPhase(fromA.id)!.phases.length).toBe(64);
    const atB = gb.drainIncoming();
    expect(atB).toHaveLength(1);
    expect(atB[0]!.weight).toBe(0.1);
    await sleep(100);
    expect(ga.stats().received).toBe(0); // the hub did not echo A's state back
    expect(gc.stats().relays).toBe(0); // C has no one else to relay to
    // C asks B for its phase: B mines nothing, so it answers with the best state it heard
    const before = gc.stats().received;
    c.send(c.peers()[0]!, { type: MsgType.GETPHASE });
    await waitFor(() => gc.stats().received > before, 3000, 'GETPHASE answer');
  });

  it('an invalid PHASE is penalised and dropped without a disconnect', async () => {
    const b = await startManager();
    const gb = gossipOn(b);
    const client = await RawClient.connect(b.port);
    await client.handshakeBare();
    const bad = core.encodePhaseState(coherent(64, 0), 0.9, 0);
    new DataView(bad.buffer).setFloat32(0, 1.5, true); // r > 1: structurally fine, semantically invalid
    client.send({ type: MsgType.PHASE, state: bad });
    await waitFor(() => gb.stats().invalid === 1, 3000, 'invalid PHASE counted');
    const peer = b.peers()[0]!;
    expect(peer.score).toBe(INVALID_PHASE_POINTS);
    expect(gb.peerPhase(peer.id)).toBeNull();
    // still connected and still heard: a valid one afterwards is taken
    const good = core.encodePhaseState(coherent(64, 0), core.orderParameter(coherent(64, 0)).r, 0);
    client.send({ type: MsgType.PHASE, state: good });
    await waitFor(() => gb.stats().received === 1, 3000, 'valid PHASE after the bad one');
    expect(client.closed).toBe(false);
    expect(b.peers()).toHaveLength(1);
    // GETPHASE from the client is answered
    client.send({ type: MsgType.GETPHASE });
    await waitFor(() => client.count(MsgType.PHASE) === 1, 3000, 'PHASE reply');
  });

  it('GETPHASE is answered once per peer per round; a flood of them costs points (no amplification)', async () => {
    const b = await startManager();
    const gb = new GossipManager({ net: b, core, profile: { ...DEVNET, gossipIntervalMs: 10_000 }, strategy: 'eager', relay: 'flood' });
    gb.start();
    const client = await RawClient.connect(b.port);
    await client.handshakeBare();
    const good = core.encodePhaseState(coherent(64, 0), core.orderParameter(coherent(64, 0)).r, 0);
    client.send({ type: MsgType.PHASE, state: good }); // b now has a state to answer with
    await waitFor(() => gb.stats().received === 1, 3000, 'PHASE taken');
    for (let i = 0; i < 20; i++) client.send({ type: MsgType.GETPHASE });
    await waitFor(() => b.stats().msgsInByType.GETPHASE === 20, 3000, 'all GETPHASE read');
    await sleep(100);
    expect(client.count(MsgType.PHASE)).toBe(1);
    expect(gb.stats()).toMatchObject({ getPhaseAnswered: 1, getPhaseIgnored: 19 });
    expect(b.peers()[0]!.score).toBe(20 - GETPHASE_FLOOD); // 1 point each past GETPHASE_FLOOD
    expect(b.stats().invalid['getphase-flood']).toBe(20 - GETPHASE_FLOOD);
  });

  it('COHERENCE and BLOOM reach the other side', async () => {
    const [a, b] = await Promise.all([startManager(), startManager()]);
    const ga = gossipOn(a);
    const blooms: string[] = [];
    const gb = new GossipManager({
      net: b, core, profile: DEVNET,
      onBloom: (_p, hash, cert) => void blooms.push(`${Buffer.from(hash).toString('hex')}:${cert.length}`),
    });
    gb.start();
    await a.connect('127.0.0.1', b.port);
    await waitFor(() => b.peers().length === 1);
    ga.announceCoherence(0.91, 1.2, 7);
    ga.announceBloom(new Uint8Array(32).fill(5), new Uint8Array(272));
    await waitFor(() => blooms.length === 1 && gb.stats().coherenceMsgs === 1, 3000, 'COHERENCE and BLOOM');
    expect(blooms[0]).toBe(`${'05'.repeat(32)}:272`);
    expect(b.peers()[0]!.coherence).toBeCloseTo(0.91, 5);
    expect(gb.networkCoherence()).toBeCloseTo(0.91, 5);
  });
});
