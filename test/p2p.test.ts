import { afterEach, describe, expect, it } from 'vitest';
import { MAX_MESSAGE_SIZE } from '../src/constants.js';
import type { Peer } from '../src/p2p/types.js';
import { MsgType } from '../src/wire/types.js';
import { DEVNET, MAINNET, RawClient, cleanup, sleep, startManager, waitFor } from './helpers/p2p.js';

afterEach(cleanup);

describe('handshake', () => {
  it('completes both ways over TCP and fills peer state', async () => {
    const a = await startManager({ localInfo: () => ({ height: 7, chainWork: 123456789n }), userAgent: 'test-a' });
    const b = await startManager({ localInfo: () => ({ height: 3, chainWork: 5n }), userAgent: 'test-b' });
    const readyAtB: Peer[] = [];
    b.onPeerReady((p) => readyAtB.push(p));
    const atA = await a.connect('127.0.0.1', b.port);
    await waitFor(() => readyAtB.length === 1);
    expect(atA.inbound).toBe(false);
    expect(atA.handshaken).toBe(true);
    expect(atA.height).toBe(3);
    expect(atA.chainWork).toBe(5n);
    expect(atA.userAgent).toBe('test-b');
    expect(atA.listenPort).toBe(b.port);
    const atB = readyAtB[0]!;
    expect(atB.inbound).toBe(true);
    expect(atB.height).toBe(7);
    expect(atB.chainWork).toBe(123456789n);
    expect(atB.listenPort).toBe(a.port);
    expect(a.peers()).toHaveLength(1);
    expect(b.peers()).toHaveLength(1);
    // the first PING measures a round trip
    await waitFor(() => atA.pingMs !== null && atB.pingMs !== null);
    const s = a.stats();
    expect(s.outbound).toBe(1);
    expect(s.msgsOutByType.VERSION).toBe(1);
    expect(s.msgsInByType.VERACK).toBe(1);
    // B learnt A's listening address from VERSION; A learnt B's by dialling it
    expect(b.book.get('127.0.0.1', a.port)).toBeDefined();
    expect(a.book.get('127.0.0.1', b.port)?.lastSuccess).toBeGreaterThan(0);
  });

  it('accepts a seed-only client that sends a bare 20-byte VERSION', async () => {
    const m = await startManager();
    const ready: Peer[] = [];
    m.onPeerReady((p) => ready.push(p));
    const c = await RawClient.connect(m.port);
    await waitFor(() => c.count(MsgType.VERSION) === 1);
    const v = c.received.find((x) => x.type === MsgType.VERSION);
    expect(v?.type === MsgType.VERSION && v.ext?.magic).toBe(DEVNET.magic);
    await c.handshakeBare();
    await waitFor(() => ready.length === 1);
    expect(ready[0]!.version).toBe(1);
    expect(ready[0]!.userAgent).toBe('');
    c.send({ type: MsgType.PING, nonce: 77n });
    await waitFor(() => c.received.some((x) => x.type === MsgType.PONG && x.nonce === 77n));
  });

  it('refuses another network\'s magic', async () => {
    const a = await startManager({ profile: MAINNET });
    const b = await startManager({ profile: DEVNET });
    await expect(a.connect('127.0.0.1', b.port)).rejects.toThrow(/wrong-magic/);
    await waitFor(() => b.connections().length === 0);
    expect(a.stats().refused['wrong-magic']).toBe(1);
    expect(a.peers()).toHaveLength(0);
  });

  it('drops a connection to itself (same nonce)', async () => {
    const m = await startManager();
    await expect(m.connect('127.0.0.1', m.port)).rejects.toThrow(/self-connection/);
    await waitFor(() => m.connections().length === 0);
    expect(m.stats().refused['self-connection']).toBeGreaterThanOrEqual(1);
  });

  it('keeps one connection when two nodes dial each other at once', async () => {
    const a = await startManager();
    const b = await startManager();
    await Promise.allSettled([a.connect('127.0.0.1', b.port), b.connect('127.0.0.1', a.port)]);
    await waitFor(() => a.peers().length === 1 && b.peers().length === 1 && a.connections().length === 1 && b.connections().length === 1);
    expect(a.peers()[0]!.inbound).toBe(!b.peers()[0]!.inbound);
  });

  it('penalises messages before the handshake and ignores them', async () => {
    const m = await startManager();
    const c = await RawClient.connect(m.port);
    c.send({ type: MsgType.PING, nonce: 1n });
    await waitFor(() => (m.stats().invalid['before-handshake'] ?? 0) === 1);
    expect(c.count(MsgType.PONG)).toBe(0);
    expect(m.connections()[0]!.score).toBe(10);
  });
});

describe('framing over sockets', () => {
  it('handles frames split byte by byte and packed together', async () => {
    const m = await startManager();
    const ready: Peer[] = [];
    m.onPeerReady((p) => ready.push(p));
    const c = await RawClient.connect(m.port);
    const { bareVersion } = await import('./helpers/p2p.js');
    const { encodeMessageFrame } = await import('../src/wire/codec.js');
    const hello = Buffer.concat([bareVersion(), encodeMessageFrame({ type: MsgType.VERACK })]);
    for (const byte of hello) {
      c.write(Uint8Array.of(byte));
      await sleep(1);
    }
    await waitFor(() => ready.length === 1);
    const pings = Buffer.concat([1n, 2n, 3n, 4n, 5n].map((nonce) => encodeMessageFrame({ type: MsgType.PING, nonce })));
    c.write(pings);
    await waitFor(() => c.count(MsgType.PONG) >= 5);
    expect(c.received.filter((x) => x.type === MsgType.PONG).map((x) => (x as { nonce: bigint }).nonce)).toEqual(
      expect.arrayContaining([1n, 2n, 3n, 4n, 5n]),
    );
  });

  it('closes and bans on a frame claiming 1 MiB + 1', async () => {
    const m = await startManager();
    const c = await RawClient.connect(m.port);
    await c.handshakeBare();
    const hdr = new Uint8Array(5);
    hdr[0] = MsgType.BLOCK;
    new DataView(hdr.buffer).setUint32(1, MAX_MESSAGE_SIZE + 1, true);
    c.write(hdr);
    await c.waitClosed();
    const s = m.stats();
    expect(s.invalid['frame-too-large']).toBe(1);
    expect(s.bansActive).toBe(1);
    expect(m.listBans()[0]!.host).toBe('127.0.0.1');
    // a banned host is closed right after accept
    const again = await RawClient.connect(m.port);
    await again.waitClosed();
    expect(m.stats().refused.banned).toBe(1);
  });
});

describe('limits and misbehaviour', () => {
  it('closes connections over max-peers right after accept and keeps outbound slots', async () => {
    const m = await startManager({ maxPeers: 4, maxInbound: 2, handshakingPerGroup: 100 });
    const clients: RawClient[] = [];
    for (let i = 0; i < 22; i++) clients.push(await RawClient.connect(m.port));
    await waitFor(() => clients.filter((c) => c.closed).length === 20, 5000, '20 closed');
    await sleep(50);
    const open = clients.filter((c) => !c.closed);
    expect(open).toHaveLength(2);
    // full of half-open connections: each newcomer evicts the youngest unprotected one; the oldest stays
    expect(m.stats().disconnects.evicted).toBe(20);
    expect(open[0]).toBe(clients[0]);
    await Promise.all(open.map((c) => c.handshakeBare()));
    expect(m.peers()).toHaveLength(2);
    // inbound flood cannot eclipse: outbound dials still have room
    const other = await startManager();
    const p = await m.connect('127.0.0.1', other.port);
    expect(p.inbound).toBe(false);
    expect(m.peers()).toHaveLength(3);
  });

  it('bans after repeated invalid messages, but one bad PHASE or unknown type does not disconnect', async () => {
    const m = await startManager();
    const c = await RawClient.connect(m.port);
    await c.handshakeBare();
    const peer = () => m.connections()[0]!;
    c.sendRaw(MsgType.PHASE, new Uint8Array(13)); // bad structure: 10 points
    c.sendRaw(0x7f, new Uint8Array(3)); // unknown type: 0 points
    c.send({ type: MsgType.PING, nonce: 9n });
    await waitFor(() => c.count(MsgType.PONG) >= 1);
    expect(c.closed).toBe(false);
    expect(peer().score).toBe(10);
    expect(m.stats().invalid['unknown-type']).toBe(1);
    expect(m.stats().invalid['PHASE:bad-phase-length']).toBe(1);
    for (let i = 0; i < 4; i++) c.sendRaw(MsgType.GETBLOCKS, new Uint8Array(3)); // 20 points each → 90
    c.send({ type: MsgType.PING, nonce: 10n });
    await waitFor(() => c.count(MsgType.PONG) >= 2);
    expect(c.closed).toBe(false);
    expect(peer().score).toBe(90);
    c.sendRaw(MsgType.GETBLOCKS, new Uint8Array(3)); // 110 ≥ 100
    await c.waitClosed();
    expect(m.stats().bansActive).toBe(1);
    expect(m.stats().invalid['GETBLOCKS:truncated']).toBe(5);
  });

  it('handlers can add points through misbehave() until the peer is banned', async () => {
    const m = await startManager();
    m.on(MsgType.BLOCK, (peer) => m.misbehave(peer, 50, 'invalid-block'));
    const closed: string[] = [];
    m.onPeerClosed((_p, r) => closed.push(r));
    const c = await RawClient.connect(m.port);
    await c.handshakeBare();
    c.send({ type: MsgType.BLOCK, block: new Uint8Array(10) });
    c.send({ type: MsgType.PING, nonce: 1n });
    await waitFor(() => c.count(MsgType.PONG) === 1);
    expect(m.peers()[0]!.score).toBe(50);
    c.send({ type: MsgType.BLOCK, block: new Uint8Array(10) });
    await c.waitClosed();
    expect(closed).toEqual(['banned: invalid-block']);
    expect(m.stats().invalid['invalid-block']).toBe(2);
    expect(m.listBans()[0]!.reason).toBe('invalid-block');
    expect(m.unban('127.0.0.1')).toBe(true);
    const again = await RawClient.connect(m.port);
    await again.handshakeBare();
    m.disconnect(m.peers()[0]!, 'operator');
    await again.waitClosed();
  });

  it('handlers that throw or reject never take the node down', async () => {
    const m = await startManager();
    let calls = 0;
    m.on(MsgType.TX, () => {
      calls++;
      throw new Error('sync boom');
    });
    m.on(MsgType.TX, async () => {
      calls++;
      throw new Error('async boom');
    });
    const c = await RawClient.connect(m.port);
    await c.handshakeBare();
    c.send({ type: MsgType.TX, tx: new Uint8Array(140) });
    c.send({ type: MsgType.PING, nonce: 5n });
    await waitFor(() => c.count(MsgType.PONG) >= 1 && m.stats().handlerErrors === 2);
    expect(calls).toBe(2);
    expect(c.closed).toBe(false);
  });
});

describe('broadcast', () => {
  it('excludes the sender and skips peers that saw the key', async () => {
    const hub = await startManager();
    const s1 = await startManager();
    const s2 = await startManager();
    const s3 = await startManager();
    const got = new Map<string, number>();
    for (const [name, s] of [['s1', s1], ['s2', s2], ['s3', s3]] as const) {
      s.on(MsgType.TX, () => void got.set(name, (got.get(name) ?? 0) + 1));
    }
    hub.on(MsgType.TX, (peer, msg) => {
      hub.broadcast(msg, { exclude: peer, key: Buffer.from(msg.tx).toString('hex') });
    });
    await s1.connect('127.0.0.1', hub.port);
    await s2.connect('127.0.0.1', hub.port);
    await s3.connect('127.0.0.1', hub.port);
    await waitFor(() => hub.peers().length === 3);
    const tx = { type: MsgType.TX, tx: new Uint8Array(140).fill(1) } as const;
    // s3 already has it
    const atHubS3 = hub.peers().find((p) => p.listenPort === s3.port)!;
    hub.markSeen(atHubS3, Buffer.from(tx.tx).toString('hex'));
    s1.broadcast(tx);
    await waitFor(() => got.get('s2') === 1);
    // let everything settle, then check nobody else got it
    await sleep(100);
    expect(got.get('s1')).toBeUndefined();
    expect(got.get('s3')).toBeUndefined();
    // the same key again: every peer has seen it now
    expect(hub.broadcast(tx, { key: Buffer.from(tx.tx).toString('hex') })).toBe(0);
    expect(hub.broadcast(tx)).toBe(3);
  });

  it('drops a peer that stops reading while others keep being served', async () => {
    const hub = await startManager({ sendQueueCap: 1 << 20 });
    const good = await startManager();
    let goodBlocks = 0;
    good.on(MsgType.BLOCK, () => void goodBlocks++);
    await good.connect('127.0.0.1', hub.port);
    const slow = await RawClient.connect(hub.port);
    await slow.handshakeBare();
    slow.socket.pause(); // stops reading: kernel buffers fill, then our queue
    await waitFor(() => hub.peers().length === 2);
    const closed: string[] = [];
    hub.onPeerClosed((_p, reason) => closed.push(reason));
    const block = { type: MsgType.BLOCK, block: new Uint8Array(256 * 1024).fill(7) } as const;
    const N = 100; // 25 MiB: far past socket buffers + the 1 MiB cap
    for (let i = 0; i < N; i++) {
      hub.broadcast(block);
      await new Promise((r) => setImmediate(r)); // the broadcast itself never waits on a socket
    }
    await waitFor(() => goodBlocks === N, 10_000, 'all blocks at the good peer');
    expect(closed).toEqual(['send-queue-full']);
    expect(hub.peers()).toHaveLength(1);
  });
});
