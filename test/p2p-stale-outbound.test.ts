// Outbound slots held by peers that deliver nothing (issue 19: sybils as seeds on a cold boot). Real
// PeerManager + SyncManager + Chain on 127.0.0.1, hostile outbound targets written from the wire format:
// Core's ConsiderEviction and stale-tip extra outbound must free a slot for the honest peer in the book.
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../src/core/types.js';
import { decodeMessage, encodeMessageFrame } from '../src/wire/codec.js';
import { FrameDecoder } from '../src/wire/frame.js';
import { MsgType, type Message } from '../src/wire/types.js';
import { chainDir, copyDir, genesis, getCore, makeBlocks, removeFixtures, startNode, stopAll, waitFor, type Made } from './helpers/sync-fixture.js';
import { versionMsg, type HandshakeOptions } from './helpers/hostile-client.js';

/** An outbound target that completes the handshake, answers PINGs (so liveness keeps it) and nothing else. */
class SilentTarget {
  accepted = 0;
  closed = 0;
  private readonly sockets = new Set<net.Socket>();
  private constructor(private readonly server: net.Server, readonly port: number) {}

  static async listen(host: string, hs: HandshakeOptions = {}): Promise<SilentTarget> {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, host, r));
    const t = new SilentTarget(server, (server.address() as net.AddressInfo).port);
    server.on('connection', (s) => {
      t.accepted++;
      t.sockets.add(s);
      const dec = new FrameDecoder();
      const send = (m: Message): void => void s.write(encodeMessageFrame(m));
      s.on('data', (b: Buffer) => {
        for (const f of dec.push(b)) {
          const m = decodeMessage(f.type, f.payload);
          if (m.type === MsgType.VERSION) {
            send(versionMsg(hs));
            send({ type: MsgType.VERACK });
          } else if (m.type === MsgType.PING) send({ type: MsgType.PONG, nonce: m.nonce });
          // GETBLOCKS, GETDATA, …: never answered
        }
      });
      s.on('error', () => undefined);
      s.on('close', () => {
        t.closed++;
        t.sockets.delete(s);
      });
    });
    return t;
  }

  get open(): number {
    return this.sockets.size;
  }

  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((r) => this.server.close(() => r()));
  }
}

let core: Core;
let blocks: Made[];
let dirHonest: string;
let dirEmpty: string;
const targets: SilentTarget[] = [];

beforeAll(async () => {
  core = await getCore();
  blocks = makeBlocks(core, genesis(core), 40, new Uint8Array(20).fill(0x44));
  dirHonest = await chainDir(blocks);
  dirEmpty = await chainDir([]);
}, 30_000);

afterEach(async () => {
  await stopAll();
  for (const t of targets.splice(0)) await t.close();
});

afterAll(() => removeFixtures());

// shortened through the options: chain-sync 1 s + 0.5 s for the headers, stale tip 1.5 s, trims every 0.2 s
const FAST = {
  sync: { chainSyncTimeoutMs: 1_000, headersResponseMs: 500 },
  net: { tickMs: 50, staleTipMs: 1_500, staleCheckMs: 200, extraPeerCheckMs: 200, minConnectMs: 300 },
};

async function coldBoot(hostile: SilentTarget[], over: { sync?: object; net?: object } = {}) {
  const honest = await startNode(copyDir(dirHonest));
  const node = await startNode(copyDir(dirEmpty), {
    sync: { ...FAST.sync, ...over.sync },
    net: { ...FAST.net, ...over.net, maxPeers: hostile.length, outboundTarget: hostile.length, seeds: hostile.map((t, i) => `127.0.0.${i + 2}:${t.port}`) },
  });
  await waitFor(() => node.net.stats().outbound === hostile.length, 5_000, 'every outbound slot held by a hostile peer');
  // the honest peer becomes known only once every slot is taken (learnt from ADDR, or an old book entry)
  node.net.book.add('127.0.0.1', honest.net.port, Math.floor(Date.now() / 1000));
  return { honest, node };
}

describe('outbound peers that deliver nothing', () => {
  it('silent peers holding every outbound slot are dropped, the honest peer in the book is dialled and its chain synced', async () => {
    for (let i = 0; i < 2; i++) targets.push(await SilentTarget.listen(`127.0.0.${i + 2}`));
    const { honest, node } = await coldBoot(targets);
    const t0 = Date.now();
    await waitFor(() => node.chain.tip().height === 40, 15_000, 'honest chain synced');
    const took = Date.now() - t0;
    expect(node.chain.tip().hash).toEqual(honest.chain.tip().hash);
    // the slot goes back to the target: a useless peer is dropped (as surplus, or at the chain-sync timeout)
    const dropped = (): number => (node.net.stats().disconnects['chain-sync-timeout'] ?? 0) + (node.net.stats().disconnects['extra-outbound'] ?? 0);
    await waitFor(() => dropped() > 0, 5_000, 'a useless outbound peer dropped');
    await waitFor(() => targets.reduce((n, t) => n + t.closed, 0) > 0, 2_000, 'closed at the hostile end');
    // the peer that delivered is protected: still there a while later, while useless ones keep being trimmed
    await new Promise((r) => setTimeout(r, 2_000));
    expect(node.net.peers().some((p) => !p.inbound && p.address === `127.0.0.1:${honest.net.port}`)).toBe(true);
    expect(took).toBeLessThan(10_000);
  }, 30_000);

  it('peers claiming the most work and never backing it lose their slots the same way', async () => {
    const claim = { height: 0xffff_ffff, chainWork: (1n << 255n) - 1n };
    for (let i = 0; i < 2; i++) targets.push(await SilentTarget.listen(`127.0.0.${i + 2}`, claim));
    const { honest, node } = await coldBoot(targets);
    await waitFor(() => node.chain.tip().height === 40, 15_000, 'honest chain synced despite the liars');
    expect(node.chain.tip().hash).toEqual(honest.chain.tip().hash);
    await waitFor(() => targets.reduce((n, t) => n + t.closed, 0) > 0, 5_000, 'a liar dropped');
    expect(node.net.stats().bansTotal).toBe(0); // dropped for delivering nothing, not banned: a claim alone proves no malice
  }, 30_000);

  it('each defence alone frees a slot: ConsiderEviction (stale tip off) and the stale-tip extra peer (chain-sync off)', async () => {
    for (let i = 0; i < 2; i++) targets.push(await SilentTarget.listen(`127.0.0.${i + 2}`));
    const a = await coldBoot(targets, { net: { staleTipMs: 1e9 } });
    await waitFor(() => a.node.chain.tip().height === 40, 15_000, 'synced through chain-sync eviction');
    expect(a.node.net.stats().disconnects['chain-sync-timeout']).toBeGreaterThan(0);
    expect(a.node.net.stats().disconnects['extra-outbound'] ?? 0).toBe(0);
    await stopAll();
    const b = await coldBoot(targets, { sync: { chainSyncTimeoutMs: 1e9 } });
    await waitFor(() => b.node.chain.tip().height === 40, 15_000, 'synced through the stale-tip extra peer');
    await waitFor(() => (b.node.net.stats().disconnects['extra-outbound'] ?? 0) > 0, 5_000, 'surplus outbound trimmed');
    expect(b.node.net.stats().disconnects['chain-sync-timeout'] ?? 0).toBe(0);
  }, 60_000);

  it('an outbound peer at our tip that answers the header request is kept (honest peers are not churned)', async () => {
    const a = await startNode(copyDir(dirHonest));
    const node = await startNode(copyDir(dirHonest), { sync: FAST.sync, net: { ...FAST.net, maxPeers: 1, outboundTarget: 1, seeds: [`127.0.0.1:${a.net.port}`] } });
    await waitFor(() => node.net.stats().outbound === 1, 5_000, 'outbound to the honest peer');
    // well past chain-sync timeout + headers response, several times over
    await new Promise((r) => setTimeout(r, 4_000));
    const d = node.net.stats().disconnects;
    expect(d['chain-sync-timeout'] ?? 0).toBe(0);
    expect(node.net.peers().filter((p) => !p.inbound)).toHaveLength(1);
  }, 30_000);
});
