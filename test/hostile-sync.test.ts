// Hostile peers that attack with time rather than bytes: slowloris, a peer that never reads, a fake high
// height that serves nothing. Real PeerManager + SyncManager + Chain on 127.0.0.1, with the timeouts
// shortened through their options so the documented outcomes show in seconds.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HEADER_SIZE } from '../src/constants.js';
import type { Core } from '../src/core/types.js';
import { PENALTY } from '../src/sync/manager.js';
import { MsgType } from '../src/wire/types.js';
import { chainDir, connect, copyDir, genesis, getCore, makeBlocks, removeFixtures, startNode, stopAll, tempDir, type Made } from './helpers/sync-fixture.js';
import { HostileClient, sleep, waitFor } from './helpers/hostile-client.js';

let core: Core;
let blocks: Made[];
let dir600: string;
const rejections: unknown[] = [];
const onRejection = (e: unknown): void => void rejections.push(e);

beforeAll(async () => {
  core = await getCore();
  blocks = makeBlocks(core, genesis(core), 600, new Uint8Array(20).fill(0x33));
  dir600 = await chainDir(blocks);
  process.on('unhandledRejection', onRejection);
}, 30_000);

afterEach(async () => {
  HostileClient.destroyAll();
  await stopAll();
  expect(rejections.splice(0)).toEqual([]);
});

afterAll(async () => {
  process.off('unhandledRejection', onRejection);
  await stopAll();
  removeFixtures();
});

describe('slowloris', () => {
  it('connections that never finish the handshake are dropped at the handshake timeout; honest peers are not', async () => {
    const n = await startNode(copyDir(dir600), { net: { handshakeTimeoutMs: 400 } });
    const silent = await HostileClient.connect(n.net.port, '127.0.0.2');
    // one that trickles a VERSION frame a byte at a time and never completes it
    const trickle = await HostileClient.connect(n.net.port, '127.0.0.3');
    const frame = new Uint8Array([MsgType.VERSION, 20, 0, 0, 0, 1, 0, 0, 0]);
    let i = 0;
    const timer = setInterval(() => {
      if (i < frame.length) trickle.write(frame.subarray(i, ++i));
    }, 40);
    // one that sends VERSION but withholds VERACK
    const noVerack = await HostileClient.connect(n.net.port, '127.0.0.4');
    noVerack.write(new Uint8Array([MsgType.VERSION, 20, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
    const honest = await HostileClient.handshaken(n.net.port);
    try {
      await Promise.all([silent.waitClosed(2000), trickle.waitClosed(2000), noVerack.waitClosed(2000)]);
    } finally {
      clearInterval(timer);
    }
    expect(n.net.stats().disconnects['handshake-timeout']).toBe(3);
    expect(honest.closed).toBe(false);
    await honest.roundTrip();
    expect(n.net.peers()).toHaveLength(1);
  });
});

describe('a peer that never reads', () => {
  it('is dropped once its send queue passes the cap, while another peer keeps being served', async () => {
    const cap = 256 * 1024;
    const n = await startNode(copyDir(dir600), { net: { sendQueueCap: cap } });
    const reader = await HostileClient.handshaken(n.net.port);
    const sink = await HostileClient.handshaken(n.net.port, {}, '127.0.0.2');
    sink.stopReading();
    const closed: string[] = [];
    n.net.onPeerClosed((_p, reason) => closed.push(reason));
    // each GETBLOCKS is answered with 500 headers (59 kB); paced under the serve-queue cap so only the queue can trip
    for (let round = 0; round < 60 && closed.length === 0; round++) {
      for (let k = 0; k < 8; k++) sink.send({ type: MsgType.GETBLOCKS, start: 1, count: 500 });
      await sleep(20);
    }
    await waitFor(() => closed.length > 0, 5000, 'sink dropped');
    expect(closed).toEqual(['send-queue-full']);
    expect(n.net.connections().every((p) => p.address.startsWith('127.0.0.1:'))).toBe(true);
    reader.send({ type: MsgType.GETBLOCKS, start: 100, count: 500 });
    await waitFor(() => reader.count(MsgType.BLOCKS) === 1, 5000, 'reader served');
    expect(reader.last(MsgType.BLOCKS)!.headers).toHaveLength(500);
  });
});

describe('a fake high height that serves nothing', () => {
  it('loses its sync standing after its stalls; the node syncs from the honest peer', async () => {
    const honest = await startNode(copyDir(dir600));
    const b = await startNode(tempDir(), {
      sync: { headerTimeoutMs: 300, stallBackoffMs: 300, maxStalls: 2, checkMs: 50, tickMs: 200, blockTimeoutMs: 1000, requestTimeoutMs: 2000 },
    });
    // claims far more work and height than anyone, and answers nothing
    const liar = await HostileClient.handshaken(b.net.port, { height: 100_000, chainWork: 1n << 200n }, '127.0.0.2');
    await waitFor(() => liar.count(MsgType.GETBLOCKS) >= 1, 3000, 'liar asked for headers');
    await connect(b, honest);
    await waitFor(() => b.chain.tip().height === 600, 20_000, 'synced from the honest peer');
    await waitFor(() => (b.net.stats().invalid['sync-header-stalled'] ?? 0) === 1, 10_000, 'liar loses standing');
    const views = b.sync.stats().peers;
    expect(views.filter((v) => !v.standing)).toHaveLength(1);
    expect(b.sync.progress()).toMatchObject({ blocks: 600, syncing: false, targetHeight: 600 });
    // without standing it is not asked again
    const asked = liar.count(MsgType.GETBLOCKS);
    b.sync.syncNow();
    await sleep(300);
    expect(liar.count(MsgType.GETBLOCKS)).toBe(asked);
  });
});

describe('low-work header spam', () => {
  it('50 forks × 40 valid headers from genesis, lighter than our chain, sent unasked: none stored', async () => {
    const n = await startNode(copyDir(dir600), { sync: { unsolicitedLimit: 1_000 } });
    const c = await HostileClient.handshaken(n.net.port, { height: 40 }, '127.0.0.2');
    const forks: Made[][] = [];
    for (let f = 0; f < 50; f++) forks.push(makeBlocks(core, genesis(core), 40, new Uint8Array(20).fill(0x80 + f)));
    for (const fork of forks) c.send({ type: MsgType.BLOCKS, headers: fork.map((b) => b.bytes.slice(0, HEADER_SIZE)) });
    await waitFor(() => n.sync.stats().headersLowWork === 2000, 10_000, 'all refused');
    let stored = 0;
    for (const fork of forks) for (const b of fork) if (await n.chain.getHeader(b.hash)) stored++;
    expect(stored).toBe(0);
    expect(n.chain.headerTip().height).toBe(600);
    // a fork that does carry more work is still taken (the check is on work, not on forks)
    const heavy = makeBlocks(core, blocks[299]!, 301, new Uint8Array(20).fill(0x7f));
    c.send({ type: MsgType.BLOCKS, headers: heavy.map((b) => b.bytes.slice(0, HEADER_SIZE)) });
    await waitFor(() => n.chain.headerTip().height === 601, 10_000, 'heavier fork kept');
  });
});

describe('height and work liars', () => {
  it('two silent liars and one answering empty lists cannot hold sync: the honest chain syncs within 10 s, liars penalised', async () => {
    const b = await startNode(tempDir());
    const claim = { height: 2 ** 32 - 1, chainWork: 1n << 250n };
    const silent1 = await HostileClient.handshaken(b.net.port, claim, '127.0.0.2');
    const silent2 = await HostileClient.handshaken(b.net.port, claim, '127.0.0.3');
    const empty = await HostileClient.handshaken(b.net.port, claim, '127.0.0.4');
    empty.on(MsgType.GETBLOCKS, () => void empty.send({ type: MsgType.BLOCKS, headers: [] }));
    // requests that came before the handler was set get their empty answer too
    for (let i = 0; i < empty.count(MsgType.GETBLOCKS); i++) empty.send({ type: MsgType.BLOCKS, headers: [] });
    await waitFor(() => silent1.count(MsgType.GETBLOCKS) + silent2.count(MsgType.GETBLOCKS) >= 1, 3000, 'liars asked');
    const honest = await startNode(copyDir(dir600));
    const t0 = Date.now();
    await connect(b, honest);
    await waitFor(() => b.chain.tip().height === 600, 10_000, 'honest chain synced');
    expect(Date.now() - t0).toBeLessThan(10_000);
    // the silent ones lose standing within seconds, with points
    await waitFor(() => (b.net.stats().invalid['sync-claim-unbacked'] ?? 0) === 2, 10_000, 'silent liars penalised');
    expect(b.net.stats().invalid['sync-cannot-serve-claimed-height']).toBe(1);
    const scores = b.net.peers().filter((p) => p.address.startsWith('127.0.0.2') || p.address.startsWith('127.0.0.3')).map((p) => p.score);
    expect(scores).toEqual([PENALTY.claimUnbacked, PENALTY.claimUnbacked]);
    expect(b.sync.stats().peers.filter((v) => !v.standing)).toHaveLength(3);
    expect(b.sync.progress()).toMatchObject({ blocks: 600, targetHeight: 600, syncing: false });
  });
});

describe('a fast reader repeating GETBLOCKS(0, 500)', () => {
  it('gets no more than its upload budget, pays points once its queue overflows, and an honest peer is still served', async () => {
    const rate = 100_000;
    const burst = 200_000;
    const n = await startNode(copyDir(dir600), { sync: { uploadBytesPerSec: rate, uploadBurstBytes: burst } });
    const reader = await HostileClient.handshaken(n.net.port, {}, '127.0.0.2');
    const t0 = Date.now();
    for (let round = 0; round < 100 && !reader.closed; round++) {
      for (let k = 0; k < 8; k++) reader.send({ type: MsgType.GETBLOCKS, start: 0, count: 500 });
      await sleep(10);
    }
    const secs = (Date.now() - t0) / 1000;
    const answer = 500 * HEADER_SIZE;
    // at most the burst plus the refill, plus the one answer that took the bucket below zero
    expect(reader.count(MsgType.BLOCKS) * answer).toBeLessThanOrEqual(burst + rate * secs + answer);
    expect(n.net.stats().invalid['sync-serve-flood:getblocks'] ?? 0).toBeGreaterThan(0);
    await waitFor(() => reader.closed, 5_000, 'reader banned');
    expect(n.sync.stats().servedThrottled).toBeGreaterThan(0);
    // another peer has its own budget
    const honest = await HostileClient.handshaken(n.net.port, {}, '127.0.0.3');
    honest.send({ type: MsgType.GETBLOCKS, start: 1, count: 500 });
    await waitFor(() => honest.count(MsgType.BLOCKS) === 1, 5_000, 'honest served');
    expect(honest.last(MsgType.BLOCKS)!.headers).toHaveLength(500);
  });
});

describe('withheld heavier headers', () => {
  it('sync tells the node its header tip is waiting for blocks, while the validated tip stays what the miner should build on', async () => {
    const n = await startNode(copyDir(await chainDir(blocks.slice(0, 6))));
    expect(n.sync.blockWait()).toMatchObject({ waiting: false, since: null, tipHeight: 6 });
    const c = await HostileClient.handshaken(n.net.port, { height: 31, chainWork: 1n << 40n }, '127.0.0.2');
    const heavier = makeBlocks(core, genesis(core), 31, new Uint8Array(20).fill(0x31));
    c.on(MsgType.GETBLOCKS, (m) => void c.send({ type: MsgType.BLOCKS, headers: m.start === 7 ? [] : heavier.slice(m.start - 1, m.start - 1 + m.count).map((b) => b.bytes.slice(0, HEADER_SIZE)) }));
    c.send({ type: MsgType.BLOCKS, headers: heavier.map((b) => b.bytes.slice(0, HEADER_SIZE)) });
    await waitFor(() => n.chain.headerTip().height === 31, 5_000, 'heavier headers stored');
    await waitFor(() => c.count(MsgType.GETDATA) > 0, 5_000, 'blocks asked for (never served)');
    const w = n.sync.blockWait();
    expect(w).toMatchObject({ waiting: true, headerHeight: 31, tipHeight: 6 });
    expect(w.since).not.toBeNull();
    expect(w.inFlight).toBeGreaterThan(0);
    expect(n.chain.tip().height).toBe(6);
  });
});
