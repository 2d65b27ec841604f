// Hostile peers against a real devnet BloomNode (real TCP, store, WASM): each attack gets the outcome
// docs/security.md documents, and an honest client on 127.0.0.1 keeps being served throughout.
// Hostile clients connect from 127.0.0.2+ so that banning them (bans are per host) spares the honest one.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BAN_THRESHOLD, CERT_PHASES, DEVNET, HEADER_SIZE } from '../src/constants.js';
import { resolveConfig } from '../src/config.js';
import { genesisBlock } from '../src/chain/genesis.js';
import { PHASE_RATE_LIMIT } from '../src/gossip/manager.js';
import { BloomNode } from '../src/node.js';
import { PENALTY } from '../src/sync/manager.js';
import { MsgType } from '../src/wire/types.js';
import { core, goodCert, makeBlock, makeChain, type Made } from './helpers/chain.js';
import { HostileClient, loopbackOnlyTransport, sleep, waitFor } from './helpers/hostile-client.js';

const G = genesisBlock(core, DEVNET);
const GENESIS = { hash: G.hash, header: G.header };
let chain: Made[];

const dirs: string[] = [];
const nodes: BloomNode[] = [];
const rejections: unknown[] = [];
const onRejection = (e: unknown): void => void rejections.push(e);

beforeAll(() => {
  chain = makeChain(GENESIS, 4);
});

afterEach(async () => {
  process.off('unhandledRejection', onRejection);
  HostileClient.destroyAll();
  await Promise.all(nodes.splice(0).map((n) => n.stop()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  expect(rejections.splice(0)).toEqual([]);
});

async function startTarget(maxPeers = 8): Promise<BloomNode> {
  process.on('unhandledRejection', onRejection);
  const dataDir = mkdtempSync(join(tmpdir(), 'bloom-hostile-'));
  dirs.push(dataDir);
  const n = await BloomNode.create(resolveConfig({ dataDir, network: 'devnet', host: '127.0.0.1', port: 0, apiPort: 0, mine: false, maxPeers, gossip: 'eager' }), { transport: loopbackOnlyTransport() });
  nodes.push(n);
  await n.start();
  return n;
}

/** The node's view of the connection from `from` (a loopback source address). */
const peerFrom = (n: BloomNode, from: string) => n.net.connections().find((p) => p.address.startsWith(`${from}:`));

/** A valid PHASE state of 64 phases, distinct per i (so the relay table would forward each). */
function phaseState(i: number): Uint8Array {
  const phases = Float64Array.from({ length: 64 }, (_, k) => (1 + 0.1 * Math.sin(k + i * 0.37)) % (2 * Math.PI));
  const { r, psi } = core.orderParameter(phases);
  return core.encodePhaseState(phases, r, psi);
}

/** The honest client is still served: its PING is answered and its GETBLOCKS gets headers back. */
async function stillServed(c: HostileClient, headersFrom = 0): Promise<void> {
  await c.roundTrip();
  const before = c.count(MsgType.BLOCKS);
  c.send({ type: MsgType.GETBLOCKS, start: headersFrom, count: 10 });
  await waitFor(() => c.count(MsgType.BLOCKS) > before, 5000, 'BLOCKS answer');
  expect(c.last(MsgType.BLOCKS)!.headers.length).toBeGreaterThan(0);
}

describe('hostile peers against a devnet node', () => {
  it('PHASE flood past the rate limit: dropped undecoded, never relayed past the limit, then banned', async () => {
    const node = await startTarget();
    const honest = await HostileClient.handshaken(node.net.port);
    const flooder = await HostileClient.handshaken(node.net.port, {}, '127.0.0.2');
    await waitFor(() => node.net.peers().length === 2, 3000, 'two peers');
    const frames: Uint8Array[] = [];
    for (let i = 0; i < 400; i++) frames.push(phaseState(i));
    for (const s of frames) flooder.send({ type: MsgType.PHASE, state: s });
    await flooder.waitClosed();
    const g = node.gossip.stats();
    expect(g.received).toBeLessThanOrEqual(2 * PHASE_RATE_LIMIT); // at most two 100 ms windows' worth
    expect(g.received).toBeGreaterThanOrEqual(1);
    expect(g.rateLimited).toBeGreaterThanOrEqual(4 * PHASE_RATE_LIMIT);
    expect(node.net.stats().invalid['phase-flood']).toBeGreaterThanOrEqual(BAN_THRESHOLD);
    expect(node.net.listBans().map((b) => b.host)).toEqual(['127.0.0.2']);
    // the honest peer saw at most the admitted states relayed, and is still served
    await sleep(50);
    expect(honest.count(MsgType.PHASE)).toBeLessThanOrEqual(2 * PHASE_RATE_LIMIT);
    await stillServed(honest);
    // a banned host cannot come back
    const again = await HostileClient.connect(node.net.port, '127.0.0.2');
    await again.waitClosed();
  });

  it('headers that do not connect: 20 points and the peer loses sync standing; honest blocks still connect', async () => {
    const node = await startTarget();
    const liar = await HostileClient.connect(node.net.port, '127.0.0.2');
    liar.on(MsgType.GETBLOCKS, (m) => {
      const hs = chain.map((b, i) => {
        const h = b.bytes.slice(0, HEADER_SIZE);
        new DataView(h.buffer).setUint32(2, m.start + i, true);
        h.fill(0x5a, 6, 38); // a parent nobody has
        return h;
      });
      liar.send({ type: MsgType.BLOCKS, headers: hs });
    });
    await liar.handshake({ height: 1000, chainWork: 1n << 100n });
    await waitFor(() => (node.net.stats().invalid['sync-headers-do-not-connect'] ?? 0) === 1, 5000, 'penalty');
    expect(peerFrom(node, '127.0.0.2')!.score).toBe(PENALTY.headersUnconnected);
    expect(node.sync.stats().peers.find((p) => !p.standing)).toBeDefined();
    expect(node.sync.progress().targetHeight).toBe(0); // the liar's claim no longer counts
    const honest = await HostileClient.handshaken(node.net.port);
    for (const b of chain) honest.send({ type: MsgType.BLOCK, block: b.bytes });
    await waitFor(() => node.status().height === chain.length, 5000, 'honest blocks connected');
    await stillServed(honest);
  });

  it('blocks with a bad certificate or a bad proof: 50 points each, banned at 100, never relayed', async () => {
    const node = await startTarget();
    const observer = await HostileClient.handshaken(node.net.port);
    const feeder = await HostileClient.handshaken(node.net.port, {}, '127.0.0.3');
    const evil = await HostileClient.handshaken(node.net.port, {}, '127.0.0.2');
    await waitFor(() => node.net.peers().length === 3, 3000, 'three peers');
    // valid proof of work on a certificate with too few coherent rounds
    const badCert = makeBlock(GENESIS, { cert: goodCert({ rounds: 3 }), miner: new Uint8Array(20).fill(1) });
    // spread phases: the recomputed r is far below Z_C although the claimed r says 0.99
    const spread = goodCert({ phases: Float64Array.from({ length: CERT_PHASES }, (_, i) => Math.fround((i * 2 * Math.PI) / CERT_PHASES)) });
    const lowR = makeBlock(GENESIS, { cert: spread, miner: new Uint8Array(20).fill(2) });
    const highHash = makeBlock(GENESIS, { highHash: true, miner: new Uint8Array(20).fill(3) });
    evil.send({ type: MsgType.BLOCK, block: badCert.bytes });
    await waitFor(() => (node.net.stats().invalid['sync-block-invalid:cert-rounds'] ?? 0) === 1, 5000, 'cert penalty');
    expect(peerFrom(node, '127.0.0.2')!.score).toBe(PENALTY.invalidBlock);
    evil.send({ type: MsgType.BLOCK, block: highHash.bytes });
    await evil.waitClosed();
    expect(node.net.stats().invalid['sync-block-invalid:high-hash']).toBe(1);
    expect(node.net.listBans().map((b) => b.host)).toEqual(['127.0.0.2']);
    // another peer's bad-r block is just as invalid
    const evil2 = await HostileClient.handshaken(node.net.port, {}, '127.0.0.4');
    evil2.send({ type: MsgType.BLOCK, block: lowR.bytes });
    await waitFor(() => (node.net.stats().invalid['sync-block-invalid:cert-below-zc'] ?? 0) === 1, 5000, 'r penalty');
    // an honest block goes through and is the only block the observer is sent
    feeder.send({ type: MsgType.BLOCK, block: chain[0]!.bytes });
    await waitFor(() => observer.count(MsgType.BLOCK) === 1, 5000, 'relay of the good block');
    await sleep(100);
    const relayed = observer.received.filter((m) => m.type === MsgType.BLOCK).map((m) => Buffer.from(m.block).toString('hex'));
    expect(relayed).toEqual([Buffer.from(chain[0]!.bytes).toString('hex')]);
    expect(node.status().height).toBe(1);
    await stillServed(observer);
  });

  it('unrequested blocks: orphans without proof of work are penalised; orphans and duplicates stay bounded', async () => {
    const node = await startTarget();
    const honest = await HostileClient.handshaken(node.net.port);
    const junk = await HostileClient.handshaken(node.net.port, {}, '127.0.0.2');
    // 1) orphans that claim the easiest target but do not meet it: 50 points each, banned on the second
    const noProof = makeBlock({ hash: new Uint8Array(32).fill(9), header: { ...GENESIS.header, height: 40 } }, { highHash: true });
    junk.send({ type: MsgType.BLOCK, block: noProof.bytes });
    junk.send({ type: MsgType.BLOCK, block: makeBlock({ hash: new Uint8Array(32).fill(8), header: { ...GENESIS.header, height: 41 } }, { highHash: true }).bytes });
    await junk.waitClosed();
    expect(node.net.stats().invalid['sync-block-invalid:high-hash']).toBe(2);
    // 2) 200 orphans with real proof of work on unknown parents: the orphan pool keeps at most 128
    const orphaner = await HostileClient.handshaken(node.net.port, {}, '127.0.0.3');
    for (let i = 0; i < 200; i++) {
      const parent = { hash: core.sha256d(Uint8Array.of(i, 1)), header: { ...GENESIS.header, height: 10 + i } };
      orphaner.send({ type: MsgType.BLOCK, block: makeBlock(parent).bytes });
    }
    await waitFor(() => node.sync.stats().blocksReceived >= 202, 10_000, 'orphans processed');
    await waitFor(() => node.sync.stats().queuedBlocks === 0, 10_000, 'queue drained');
    expect((node.chain as unknown as { orphans: Map<string, unknown> }).orphans.size).toBeLessThanOrEqual(128);
    // 3) the same known block over and over: past the unsolicited limit it costs points
    for (const b of chain) honest.send({ type: MsgType.BLOCK, block: b.bytes });
    await waitFor(() => node.status().height === chain.length, 5000, 'honest chain');
    for (let i = 0; i < 30; i++) orphaner.send({ type: MsgType.BLOCK, block: chain[1]!.bytes });
    await waitFor(() => (node.net.stats().invalid['sync-unsolicited-flood'] ?? 0) === 1, 5000, 'flood penalty');
    expect(peerFrom(node, '127.0.0.3')!.score).toBe(PENALTY.unsolicitedFlood);
    await stillServed(honest);
  });

  it('ADDR flood: unsolicited ADDR adds at most 10 each and one source reaches only its own buckets', async () => {
    const node = await startTarget();
    const honest = await HostileClient.handshaken(node.net.port);
    const spammer = await HostileClient.handshaken(node.net.port, {}, '127.0.0.2');
    let k = 0;
    for (let m = 0; m < 300; m++) {
      const addrs = [];
      // every message spans 256 /16 groups: the ADDR token bucket admits only the first 1000 entries, and those must still try every bucket
      for (let i = 0; i < 1000; i++, k++) addrs.push({ host: `11.${k & 255}.${(k >> 8) & 255}.${1 + ((k >> 16) & 255)}`, port: 7618, lastSeen: 0 });
      spammer.send({ type: MsgType.ADDR, addrs });
      if (m === 49) {
        await waitFor(() => node.net.stats().msgsInByType.ADDR === 50, 5000, 'first 50 ADDR');
        expect(node.net.book.size).toBeLessThanOrEqual(50 * 10);
      }
    }
    await waitFor(() => node.net.stats().msgsInByType.ADDR === 300, 10_000, 'all ADDR');
    expect(node.net.book.size).toBeLessThanOrEqual(2000);
    expect(node.net.book.size).toBeLessThanOrEqual(4 * 32); // 4 new buckets of 32 for one source group
    expect(node.net.book.size).toBeGreaterThanOrEqual(64);
    // GETADDR is answered once per connection (no amplification)
    spammer.send({ type: MsgType.GETADDR });
    spammer.send({ type: MsgType.GETADDR });
    await waitFor(() => spammer.count(MsgType.ADDR) >= 1, 3000, 'ADDR answer');
    await sleep(100);
    expect(spammer.count(MsgType.ADDR)).toBe(1);
    expect(spammer.last(MsgType.ADDR)!.addrs.length).toBeLessThanOrEqual(1000);
    await stillServed(honest);
  });

  it('thousands of connection attempts from one group: at most 4 half-open connections, the honest peer stays served', async () => {
    const node = await startTarget(8);
    const honest = await HostileClient.handshaken(node.net.port);
    let maxSeen = 0;
    let refusedOrFailed = 0;
    const sampler = setInterval(() => {
      maxSeen = Math.max(maxSeen, node.net.connections().length);
    }, 2);
    try {
      for (let wave = 0; wave < 20; wave++) {
        const attempts = Array.from({ length: 100 }, (_, i) =>
          HostileClient.connect(node.net.port, `127.0.${1 + (wave % 4)}.${10 + i}`).then(
            (c) => {
              if (i % 2) c.destroy(); // half hang up at once, half hold a handshake slot
              return c;
            },
            () => void refusedOrFailed++,
          ));
        await Promise.all(attempts);
        expect(node.net.connections().length).toBeLessThanOrEqual(8);
      }
      await sleep(50);
      maxSeen = Math.max(maxSeen, node.net.connections().length);
    } finally {
      clearInterval(sampler);
    }
    expect(maxSeen).toBeLessThanOrEqual(8);
    const st = node.net.stats();
    expect((st.refused['group-handshaking'] ?? 0) + refusedOrFailed).toBeGreaterThan(1000);
    // the honest peer was connected throughout and is served
    expect(honest.closed).toBe(false);
    await stillServed(honest);
    // once the flood lets go, a new honest peer gets a slot again
    HostileClient.destroyAll();
    await waitFor(() => node.net.connections().length === 0, 5000, 'flood sockets gone');
    const late = await HostileClient.handshaken(node.net.port);
    await stillServed(late);
  });
});
