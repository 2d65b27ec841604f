// Torture: a mining devnet node and an honest follower syncing from it, while hostile peers cycle
// through every attack of test/hostile-*.test.ts for a minute. The follower keeps up, the miner keeps
// mining, nothing is rejected unhandled, and the heap stays bounded.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BAN_THRESHOLD, DEVNET } from '../../src/constants.js';
import { resolveConfig } from '../../src/config.js';
import { genesisBlock } from '../../src/chain/genesis.js';
import { BloomNode } from '../../src/node.js';
import { MsgType } from '../../src/wire/types.js';
import { core, makeBlock } from '../helpers/chain.js';
import { HostileClient, loopbackOnlyTransport, sleep, waitFor } from '../helpers/hostile-client.js';
import { heapAfterGc } from '../helpers/tcp-fuzz.js';

const SOAK_MS = 60_000;
let dir: string;
let miner: BloomNode;
let follower: BloomNode;
const rejections: unknown[] = [];
const onRejection = (e: unknown): void => void rejections.push(e);

beforeAll(async () => {
  process.on('unhandledRejection', onRejection);
  dir = mkdtempSync(join(tmpdir(), 'bloom-soak-'));
  const base = { network: 'devnet', host: '127.0.0.1', port: 0, apiPort: 0, oscillators: 256, logLevel: 'silent', maxPeers: 16 } as const;
  miner = await BloomNode.create(resolveConfig({ ...base, dataDir: join(dir, 'm'), mine: true }), { transport: loopbackOnlyTransport() });
  await miner.start();
  await waitFor(() => miner.status().height >= 2, 60_000, 'first blocks');
  follower = await BloomNode.create(resolveConfig({ ...base, dataDir: join(dir, 'f'), mine: false, seeds: [miner.status().listen!] }), { transport: loopbackOnlyTransport() });
  await follower.start();
  await waitFor(() => follower.status().height >= miner.status().height - 1, 30_000, 'follower caught up');
}, 120_000);

afterAll(async () => {
  HostileClient.destroyAll();
  await follower?.stop();
  await miner?.stop();
  process.off('unhandledRejection', onRejection);
  rmSync(dir, { recursive: true, force: true });
});

let hostN = 0;
const nextHost = (): string => `127.0.${1 + ((hostN >> 8) % 200)}.${2 + (hostN++ % 250)}`;

/** One round of every attack against `target`; each client from a fresh source address. */
async function attackRound(target: BloomNode, round: number): Promise<void> {
  const port = target.net.port;
  const g = genesisBlock(core, DEVNET);
  const jobs: Promise<unknown>[] = [];
  const guard = (p: Promise<unknown>) => jobs.push(p.catch(() => undefined));
  // PHASE flood
  guard(HostileClient.handshaken(port, {}, nextHost()).then(async (c) => {
    const phases = Float64Array.from({ length: 64 }, (_, i) => 1 + 0.05 * Math.sin(i + round));
    const { r, psi } = core.orderParameter(phases);
    const state = core.encodePhaseState(phases, r, psi);
    for (let i = 0; i < 300; i++) c.send({ type: MsgType.PHASE, state });
    await c.waitClosed(3000);
  }));
  // invalid blocks (bad proof) and junk orphans
  guard(HostileClient.handshaken(port, {}, nextHost()).then(async (c) => {
    c.send({ type: MsgType.BLOCK, block: makeBlock({ hash: g.hash, header: g.header }, { highHash: true }).bytes });
    c.send({ type: MsgType.BLOCK, block: makeBlock({ hash: core.sha256d(Uint8Array.of(round)), header: { ...g.header, height: 500 } }, { highHash: true }).bytes });
    await c.waitClosed(3000);
  }));
  // ADDR flood
  guard(HostileClient.handshaken(port, {}, nextHost()).then(async (c) => {
    for (let m = 0; m < 20; m++) {
      c.send({ type: MsgType.ADDR, addrs: Array.from({ length: 1000 }, (_, i) => ({ host: `12.${round & 255}.${m}.${i & 255}`, port: 1000 + i, lastSeen: 0 })) });
    }
    await sleep(200);
    c.destroy();
  }));
  // a liar with a huge claimed height that answers nothing
  guard(HostileClient.handshaken(port, { height: 1_000_000, chainWork: 1n << 220n }, nextHost()).then(async (c) => {
    await sleep(1500);
    c.destroy();
  }));
  // a peer that never reads and keeps asking for headers
  guard(HostileClient.handshaken(port, {}, nextHost()).then(async (c) => {
    c.stopReading();
    for (let i = 0; i < 20 && !c.closed; i++) {
      c.send({ type: MsgType.GETBLOCKS, start: 0, count: 500 });
      await sleep(20);
    }
    c.destroy();
  }));
  // slowloris and a connection burst
  for (let i = 0; i < 40; i++) {
    guard(HostileClient.connect(port, nextHost()).then(async (c) => {
      if (i % 4 === 0) await sleep(2000);
      c.destroy();
    }));
  }
  await Promise.all(jobs);
}

describe('torture: hostile soak', () => {
  it('a minute of every attack at both nodes: the follower keeps up and mining goes on', async () => {
    const heapStart = heapAfterGc();
    const start = miner.status().height;
    const end = Date.now() + SOAK_MS;
    let rounds = 0;
    while (Date.now() < end) {
      await Promise.all([attackRound(miner, rounds), attackRound(follower, rounds)]);
      rounds++;
    }
    HostileClient.destroyAll();
    console.log(`rounds ${rounds}, miner height ${start} -> ${miner.status().height}, bans ${miner.net.stats().bansTotal}/${follower.net.stats().bansTotal}`);
    expect(rounds).toBeGreaterThan(5);
    expect(miner.status().height).toBeGreaterThan(start);
    await waitFor(() => follower.status().height >= miner.status().height - 2, 30_000, 'follower keeps up');
    // the follower never lost its honest link, and neither node banned it
    expect(follower.net.peers().some((p) => p.address.endsWith(`:${miner.net.port}`))).toBe(true);
    expect(miner.net.stats().invalid['phase-flood']).toBeGreaterThanOrEqual(BAN_THRESHOLD);
    expect(miner.net.book.size).toBeLessThanOrEqual(2000);
    expect(heapAfterGc() - heapStart).toBeLessThan(64 << 20);
    expect(rejections).toEqual([]);
  });
});
