import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AddrBook } from '../src/p2p/addrbook.js';
import { BanList, type BanEntry } from '../src/p2p/bans.js';
import { parseHostPort } from '../src/hostport.js';
import type { Peer } from '../src/p2p/types.js';
import { MsgType, type NetAddr } from '../src/wire/types.js';
import { ManualClock, RawClient, cleanup, sleep, startManager, waitFor } from './helpers/p2p.js';

afterEach(cleanup);

describe('liveness (manual clock over real sockets)', () => {
  it('disconnects a connection that does not finish the handshake in 10 s', async () => {
    const clock = new ManualClock();
    const m = await startManager({ clock });
    const silent = await RawClient.connect(m.port);
    const polite = await RawClient.connect(m.port);
    await polite.handshakeBare();
    await waitFor(() => m.connections().length === 2);
    clock.advance(9_900);
    await sleep(30);
    expect(silent.closed).toBe(false);
    clock.advance(200);
    await silent.waitClosed();
    await sleep(30);
    expect(polite.closed).toBe(false);
    expect(m.stats().disconnects['handshake-timeout']).toBe(1);
  });

  it('pings a peer silent for 90 s and drops it after 30 s more; talkative peers stay', async () => {
    const clock = new ManualClock();
    const m = await startManager({ clock, tickMs: 1_000 });
    const mute = await RawClient.connect(m.port);
    const chatty = await RawClient.connect(m.port);
    await mute.handshakeBare();
    await chatty.handshakeBare();
    await waitFor(() => m.peers().length === 2 && mute.count(MsgType.PING) === 1); // the first RTT probe
    let nonce = 100n;
    const chat = async (): Promise<void> => {
      const before = chatty.count(MsgType.PONG);
      chatty.send({ type: MsgType.PING, nonce: nonce++ });
      await waitFor(() => chatty.count(MsgType.PONG) > before);
    };
    for (let t = 0; t < 88; t += 22) {
      clock.advance(22_000);
      await chat();
    }
    await sleep(20);
    expect(mute.count(MsgType.PING)).toBe(1);
    clock.advance(3_000); // 91 s of silence
    await waitFor(() => mute.count(MsgType.PING) === 2, 2000, 'liveness PING');
    await chat();
    clock.advance(20_000);
    await chat();
    await sleep(20);
    expect(mute.closed).toBe(false);
    clock.advance(10_000); // 121 s of silence
    await mute.waitClosed();
    await chat();
    expect(chatty.closed).toBe(false);
    expect(m.stats().disconnects['ping-timeout']).toBe(1);
  });
});

describe('discovery', () => {
  it('answers GETADDR with known addresses and learns them from ADDR', async () => {
    const a = await startManager();
    a.book.add('127.0.0.2', 1111, 1000);
    a.book.add('127.0.0.3', 2222, 2000);
    const b = await startManager();
    await b.connect('127.0.0.1', a.port);
    await waitFor(() => b.book.get('127.0.0.3', 2222) !== undefined);
    expect(b.book.get('127.0.0.2', 1111)?.lastSeen).toBe(1000);
    expect(a.stats().msgsOutByType.ADDR).toBe(1);
  });

  it('takes only a few addresses from unsolicited ADDR', async () => {
    const m = await startManager();
    const c = await RawClient.connect(m.port);
    await c.handshakeBare();
    const addrs: NetAddr[] = Array.from({ length: 50 }, (_, i) => ({ host: `127.0.1.${i + 1}`, port: 3000 + i, lastSeen: 5 }));
    c.send({ type: MsgType.ADDR, addrs });
    await waitFor(() => m.book.size > 0);
    await sleep(20);
    expect(m.book.size).toBe(10);
  });

  it('dials seeds at start and backs off from dead addresses', async () => {
    const target = await startManager();
    const dead = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const port = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(port));
      });
    });
    const ready: Peer[] = [];
    const m = await startManager({ seeds: [`127.0.0.1:${target.port}`, `127.0.0.1:${dead}`], outboundTarget: 2, tickMs: 20 });
    m.onPeerReady((p) => ready.push(p));
    await waitFor(() => ready.length === 1);
    await waitFor(() => (m.book.get('127.0.0.1', dead)?.failures ?? 0) >= 1);
    await sleep(200); // ten ticks: the backoff (5 s) keeps it from being redialled
    expect(m.book.get('127.0.0.1', dead)!.failures).toBe(1);
    expect(m.book.get('127.0.0.1', dead)!.nextTryAt).toBeGreaterThan(Date.now() + 3000);
    expect(m.stats().outbound).toBe(1);
  });

  it('stop closes peers cleanly and saves addresses and bans', async () => {
    let savedAddrs: NetAddr[] = [];
    let savedBans: BanEntry[] = [];
    const a = await startManager({
      addrStore: { load: () => [{ host: '127.0.0.9', port: 9, lastSeen: 1 }], save: (x) => void (savedAddrs = x) },
      banStore: { load: () => [{ host: '127.0.0.8', until: Date.now() + 60_000, reason: 'old' }], save: (x) => void (savedBans = x) },
    });
    expect(a.book.get('127.0.0.9', 9)).toBeDefined();
    expect(a.bans.isBanned('127.0.0.8', Date.now())).toBe(true);
    const b = await startManager();
    const closed: string[] = [];
    b.onPeerClosed((_p, r) => closed.push(r));
    await a.connect('127.0.0.1', b.port);
    await waitFor(() => b.peers().length === 1);
    await a.stop();
    await waitFor(() => closed.length === 1);
    expect(savedAddrs.some((x) => x.host === '127.0.0.9')).toBe(true);
    expect(savedBans.map((x) => x.host)).toEqual(['127.0.0.8']);
  });
});

describe('address book and bans', () => {
  it('bounds the book, backs off exponentially and forgets dead addresses', () => {
    const book = new AddrBook({ newBuckets: 1, triedBuckets: 1, bucketSize: 4, baseBackoffMs: 1000, maxBackoffMs: 8000, maxFailures: 4 });
    book.add('seed.example', 7618, 0, { seed: true });
    for (let i = 0; i < 20; i++) book.add(`127.0.0.${i + 1}`, 1000, i);
    expect(book.size).toBe(5);
    expect(book.get('seed.example', 7618)).toBeDefined();
    expect(book.add('not-an-ip', 1, 0)).toBe(false);
    expect(book.add('127.0.0.1', 0, 0)).toBe(false);
    expect(book.add('0.0.0.0', 5, 0)).toBe(false);
    const h = '127.0.0.20';
    book.markAttempt(h, 1000, 0);
    expect(book.get(h, 1000)!.nextTryAt).toBe(1000);
    book.markFailure(h, 1000, 0);
    book.markAttempt(h, 1000, 10_000);
    expect(book.get(h, 1000)!.nextTryAt).toBe(12_000);
    book.markFailure(h, 1000, 10_000);
    book.markFailure(h, 1000, 10_000);
    book.markAttempt(h, 1000, 20_000);
    expect(book.get(h, 1000)!.nextTryAt).toBe(28_000); // capped
    book.markFailure(h, 1000, 20_000);
    expect(book.get(h, 1000)).toBeUndefined();
    // seeds come first among candidates, and are never forgotten
    expect(book.candidates(1e9, () => false, 1)[0]!.seed).toBe(true);
    for (let i = 0; i < 10; i++) book.markFailure('seed.example', 7618, 0);
    expect(book.get('seed.example', 7618)).toBeDefined();
    expect(book.snapshot().some((a) => a.host === 'seed.example')).toBe(false);
  });

  it('expires bans and keeps the list bounded', () => {
    const bans = new BanList(3);
    bans.ban('::ffff:10.0.0.1', 100, 'x');
    expect(bans.isBanned('10.0.0.1', 50)).toBe(true);
    expect(bans.isBanned('10.0.0.1', 100)).toBe(false);
    for (let i = 0; i < 10; i++) bans.ban(`10.0.0.${i}`, 1000, 'y');
    expect(bans.size).toBe(3);
    expect(bans.list(0).map((b) => b.host)).toEqual(['10.0.0.7', '10.0.0.8', '10.0.0.9']);
  });

  it('parses host:port forms', () => {
    expect(parseHostPort('127.0.0.1:7618')).toEqual({ host: '127.0.0.1', port: 7618 });
    expect(parseHostPort('[::1]:17618')).toEqual({ host: '::1', port: 17618 });
    expect(parseHostPort('seed.example:1')).toEqual({ host: 'seed.example', port: 1 });
    expect(() => parseHostPort('nope')).toThrow(/host:port/);
    expect(() => parseHostPort('a:70000')).toThrow();
  });
});
