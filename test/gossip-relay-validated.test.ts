// Relays carry only what was validated (issue 19.6), over loopback TCP: a BLOOM goes on with the held
// block's certificate, a PHASE in its canonical re-encoded form, so relayed bytes never exceed validated bytes.
import { afterEach, describe, expect, it } from 'vitest';
import { DEVNET } from '../src/constants.js';
import { loadCore } from '../src/core/index.js';
import { GossipManager } from '../src/gossip/manager.js';
import { MsgType, type BloomMsg, type PhaseMsg } from '../src/wire/types.js';
import { cleanup, RawClient, startManager, waitFor } from './helpers/p2p.js';

afterEach(cleanup);

const core = await loadCore();

describe('relayed bytes never exceed validated bytes', () => {
  it('a BLOOM with a junk certificate is relayed with the held block’s own certificate', async () => {
    const hub = await startManager();
    const held = new Uint8Array(272).fill(0x42); // what the node holds for this block
    const g = new GossipManager({ net: hub, core, profile: DEVNET, onBloom: () => held });
    g.start();
    const liar = await RawClient.connect(hub.port);
    await liar.handshakeBare();
    const listener = await RawClient.connect(hub.port);
    await listener.handshakeBare();
    await waitFor(() => hub.peers().filter((p) => p.handshaken).length === 2, 3000, 'two peers');
    const junk = new Uint8Array(200_000).fill(0xee);
    liar.send({ type: MsgType.BLOOM, blockHash: new Uint8Array(32).fill(3), cert: junk });
    await waitFor(() => listener.count(MsgType.BLOOM) === 1, 3000, 'relayed BLOOM');
    const relayed = listener.received.find((m) => m.type === MsgType.BLOOM) as BloomMsg;
    expect(relayed.cert.length).toBe(held.length);
    expect(Buffer.from(relayed.cert)).toEqual(Buffer.from(held));
    expect(relayed.blockHash[0]).toBe(3);
    expect(liar.count(MsgType.BLOOM)).toBe(0); // never back to the sender
  });

  it('a PHASE of 10,000 phases is relayed in its canonical downsampled form, not raw', async () => {
    const hub = await startManager();
    const g = new GossipManager({ net: hub, core, profile: DEVNET, strategy: 'eager' });
    g.start();
    const sender = await RawClient.connect(hub.port);
    await sender.handshakeBare();
    const listener = await RawClient.connect(hub.port);
    await listener.handshakeBare();
    await waitFor(() => hub.peers().filter((p) => p.handshaken).length === 2, 3000, 'two peers');
    const n = 10_000;
    const raw = new Uint8Array(12 + 4 * n);
    const dv = new DataView(raw.buffer);
    const phases = Float64Array.from({ length: n }, (_, i) => (1 + 0.1 * Math.sin(i)) % (2 * Math.PI));
    const { r, psi } = core.orderParameter(phases);
    dv.setFloat32(0, r, true);
    dv.setFloat32(4, psi, true);
    dv.setUint32(8, n, true);
    for (let i = 0; i < n; i++) dv.setFloat32(12 + 4 * i, phases[i]!, true);
    sender.send({ type: MsgType.PHASE, state: raw });
    await waitFor(() => listener.count(MsgType.PHASE) === 1, 3000, 'relayed PHASE');
    const relayed = listener.received.find((m) => m.type === MsgType.PHASE) as PhaseMsg;
    const canonical = core.encodePhaseState(core.decodePhaseState(raw).phases, r, psi);
    expect(relayed.state.length).toBe(canonical.length);
    expect(relayed.state.length).toBeLessThan(raw.length / 100);
    expect(Buffer.from(relayed.state)).toEqual(Buffer.from(canonical));
    expect(core.decodePhaseState(relayed.state).phases.length).toBeLessThanOrEqual(65);
    expect(g.stats()).toMatchObject({ received: 1, relays: 1, relaySends: 1, invalid: 0 });
  });
});
