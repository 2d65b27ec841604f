// Issue 19's peer-layer defences over real sockets, each against a hostile client written from the wire format.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AddrBook } from '../src/p2p/addrbook.js';
import type { BanEntry } from '../src/p2p/bans.js';
import { MsgType, type VersionMsg } from '../src/wire/types.js';
import { HostileClient, sleep, versionMsg, waitFor } from './helpers/hostile-client.js';
import { cleanup, startManager } from './helpers/p2p.js';

afterEach(async () => {
  HostileClient.destroyAll();
  await cleanup();
});

describe('inbound slot squatting', () => {
  it('an honest newcomer gets in within 2 s during a flood of silent connections from a few addresses', async () => {
    const m = await startManager({ maxInbound: 8 });
    const squatters = ['127.1.0.1', '127.1.0.2', '127.2.0.1'];
    const sockets = new Set<net.Socket>();
    let stop = false;
    let opened = 0;
    const t0 = Date.now();
    const flood = (async () => {
      // 200 connects/s by the wall clock (caught up in bursts when the machine is slow); never a byte sent
      for (let tick = 0; !stop && tick < 10_000; tick++) {
        const due = Math.floor(((Date.now() - t0) * 200) / 1000);
        for (; opened < due; opened++) {
          const s = net.connect({ host: '127.0.0.1', port: m.port, localAddress: squatters[opened % squatters.length] });
          s.on('error', () => undefined);
          s.on('close', () => sockets.delete(s));
          sockets.add(s);
        }
        await sleep(10);
      }
    })();
    await sleep(500); // the flood has taken every slot it can
    const tries = 20;
    let ok = 0;
    for (let i = 0; i < tries; i++) {
      const t0 = Date.now();
      try {
        const c = await HostileClient.connect(m.port, `127.9.0.${i + 1}`);
        await c.handshake({}, 2000);
        if (Date.now() - t0 <= 2000) ok++;
        c.destroy();
      } catch {
        // locked out this time
      }
      await sleep(100);
    }
    stop = true;
    await flood;
    for (const s of sockets) s.destroy();
    expect(opened).toBeGreaterThanOrEqual(Math.floor(((Date.now() - t0) * 200) / 1000) - 50);
    expect(ok / tries).toBeGreaterThanOrEqual(0.95);
    const st = m.stats();
    expect(st.refused['group-handshaking'] ?? 0).toBeGreaterThan(0);
  }, 60_000);

  it('evicts from the largest group, youngest first, and keeps the honest peers of other groups', async () => {
    const m = await startManager({ maxInbound: 6 });
    const honest = await HostileClient.handshaken(m.port, {}, '127.20.0.1');
    await honest.roundTrip();
    const flood: HostileClient[] = [];
    for (let i = 0; i < 8; i++) flood.push(await HostileClient.handshaken(m.port, {}, `127.30.0.${i + 1}`));
    await sleep(100);
    expect(honest.closed).toBe(false);
    expect(m.stats().disconnects.evicted ?? 0).toBeGreaterThanOrEqual(3);
    // the youngest of the crowded group went first, the oldest ones stay (uptime protection)
    expect(flood[0]!.closed).toBe(false);
    expect(flood.slice(-3).some((c) => c.closed)).toBe(true);
  });

  it('a node full of protected peers answers a newcomer with ADDR before closing', async () => {
    const a = await startManager({ maxInbound: 1 });
    a.book.add('127.0.0.50', 1234, Math.floor(Date.now() / 1000));
    await HostileClient.handshaken(a.port, {}, '127.21.0.1');
    await sleep(50);
    const b = await startManager();
    await expect(b.connect('127.0.0.1', a.port)).rejects.toThrow();
    expect(b.book.get('127.0.0.50', 1234)).toBeDefined();
    expect(a.stats().refused['max-peers']).toBe(1);
  });
});

describe('address book against one flooding source', () => {
  it('keeps at least 80 % of honest addresses after 250 unsolicited ADDR messages', async () => {
    const m = await startManager();
    const honest: string[] = [];
    for (let i = 0; i < 5; i++) {
      const host = `127.${40 + i}.0.1`;
      const c = await HostileClient.handshaken(m.port, { port: 7000 + i }, host);
      await c.roundTrip();
      honest.push(`${host}:${7000 + i}`);
    }
    const attacker = await HostileClient.handshaken(m.port, {}, '127.66.0.1');
    let n = 0;
    for (let k = 0; k < 250; k++) {
      const addrs = [];
      for (let j = 0; j < 10; j++, n++) addrs.push({ host: `11.${(n >> 8) & 255}.${n & 255}.${(k * 7 + j) & 255}`, port: 7618, lastSeen: Math.floor(Date.now() / 1000) });
      attacker.send({ type: MsgType.ADDR, addrs });
    }
    await attacker.roundTrip();
    const kept = honest.filter((a) => m.book.get(a.split(':')[0]!, Number(a.split(':')[1])) !== undefined);
    expect(kept.length / honest.length).toBeGreaterThanOrEqual(0.8);
    // the attacker's share is bounded by the buckets its group can reach
    const mine = m.book.snapshot().filter((a) => a.host.startsWith('11.')).length;
    expect(mine).toBeLessThanOrEqual(4 * 32);
    // and the tables survive a restart with their sources
    const again = await startManager();
    again.book.load(m.book.snapshot());
    expect(honest.every((a) => again.book.get(a.split(':')[0]!, Number(a.split(':')[1])))).toBe(true);
  });
});

describe('address rate limit', () => {
  it('processes at most the 1000-entry burst of ADDR from one peer, then 0.1 entries/s', async () => {
    const m = await startManager();
    const attacker = await HostileClient.handshaken(m.port, {}, '127.67.0.1');
    const now = Math.floor(Date.now() / 1000);
    // unsolicited ADDR is taken 10 entries a message: 300 messages offer 3000 entries
    for (let k = 0; k < 300; k++) {
      const addrs = [];
      for (let j = 0; j < 10; j++) addrs.push({ host: `12.${k >> 8}.${k & 255}.${j + 1}`, port: 7618, lastSeen: now });
      attacker.send({ type: MsgType.ADDR, addrs });
    }
    await attacker.roundTrip();
    // 3000 sent within well under 10 s: the burst (1000) plus at most a token per 10 s is processed
    expect(m.stats().addrRateLimited).toBeGreaterThanOrEqual(1995);
    expect(m.stats().addrRateLimited).toBeLessThanOrEqual(2000);
    // another peer has its own bucket: an honest address it relays is still learnt
    const honest = await HostileClient.handshaken(m.port, {}, '127.68.0.1');
    honest.send({ type: MsgType.ADDR, addrs: [{ host: '13.1.1.1', port: 7618, lastSeen: now }] });
    await honest.roundTrip();
    expect(m.book.get('13.1.1.1', 7618)).toBeDefined();
  });
});

describe('duplicate connections', () => {
  it('a stranger replaying an honest peer nonce cannot close its real link nor block its redial', async () => {
    const h = await startManager({ nonce: 1n });
    const v = await startManager({ nonce: 2n });
    // learn h's nonce the way anyone can: connect and read its VERSION
    const spy = await HostileClient.connect(h.port, '127.50.0.1');
    await waitFor(() => spy.count(MsgType.VERSION) > 0);
    const hNonce = (spy.last(MsgType.VERSION) as VersionMsg).ext!.nonce;
    expect(hNonce).toBe(1n);
    // replay before v dials h: v's dial must still succeed
    const early = await HostileClient.connect(v.port, '127.51.0.1');
    early.send({ ...versionMsg(), ext: { ...(versionMsg() as VersionMsg).ext!, nonce: hNonce } } as VersionMsg);
    early.send({ type: MsgType.VERACK });
    await waitFor(() => early.count(MsgType.VERACK) > 0 || early.closed);
    const link = await v.connect('127.0.0.1', h.port);
    // replay after: the real link stays
    const late = await HostileClient.connect(v.port, '127.52.0.1');
    late.send({ ...versionMsg(), ext: { ...(versionMsg() as VersionMsg).ext!, nonce: hNonce } } as VersionMsg);
    late.send({ type: MsgType.VERACK });
    await waitFor(() => late.count(MsgType.VERACK) > 0 || late.closed);
    await sleep(100);
    expect(v.peers()).toContain(link);
    expect(v.stats().refused['duplicate-connection'] ?? 0).toBe(0);
  });
});

describe('misbehaviour memory and bans', () => {
  it('points follow a host across reconnects: 10 connections of 80 points end in a ban', async () => {
    const m = await startManager();
    let banned = false;
    for (let i = 0; i < 10 && !banned; i++) {
      const c = await HostileClient.handshaken(m.port, {}, '127.60.0.1').catch(() => null);
      if (!c) {
        banned = true;
        break;
      }
      for (let k = 0; k < 4; k++) c.sendRaw(MsgType.PING, new Uint8Array(3)); // 4 × 20 points
      await sleep(50);
      c.destroy();
      await sleep(20);
      banned = m.listBans().some((b) => b.host === '127.60.0.1');
    }
    expect(banned).toBe(true);
    expect(m.scores.get('127.60.0.1', Date.now())).toBeGreaterThanOrEqual(100);
  });

  it('a ban is on disk before the banned peer sees its connection close', async () => {
    const saved: BanEntry[][] = [];
    const m = await startManager({
      banStore: {
        load: () => [],
        save: async (b) => {
          await sleep(30); // a slow disk
          saved.push(b);
        },
      },
      saveIntervalMs: 3_600_000,
    });
    const c = await HostileClient.handshaken(m.port, {}, '127.61.0.1');
    c.sendHeaderOnly(MsgType.BLOCK, 64 * 1024 * 1024); // oversized frame: 100 points, ban
    await c.waitClosed();
    expect(saved.some((l) => l.some((b) => b.host === '127.61.0.1'))).toBe(true);
  });
});

describe('topology', () => {
  it('dials max-peers outbound connections, 2 of them without address relay, on slots inbound cannot take', async () => {
    const targets = [];
    for (let i = 0; i < 10; i++) targets.push(await startManager());
    const m = await startManager({ maxPeers: 8, maxInbound: 2, outboundTarget: undefined, seeds: targets.map((t) => `127.0.0.1:${t.port}`), tickMs: 20 });
    // an inbound flood first: it must not take outbound room
    for (let i = 0; i < 4; i++) await HostileClient.handshaken(m.port, {}, `127.70.${i}.1`).catch(() => null);
    await waitFor(() => m.stats().outbound === 8, 5000, '8 outbound');
    await sleep(100);
    expect(m.stats().outbound).toBe(8);
    expect(m.stats().inbound).toBeLessThanOrEqual(2);
    const outbound = m.peers().filter((p) => !p.inbound);
    expect(targets.reduce((n, t) => n + (t.stats().msgsInByType.GETADDR ?? 0), 0)).toBe(6);
    expect(outbound).toHaveLength(8);
  });

  it('seeds are never forgotten and are retried at least every 30 s', () => {
    const book = new AddrBook();
    book.add('seed.example', 7618, 0, { seed: true });
    for (let i = 0; i < 50; i++) book.markFailure('seed.example', 7618, 0);
    book.markAttempt('seed.example', 7618, 1000);
    expect(book.get('seed.example', 7618)!.nextTryAt).toBeLessThanOrEqual(31_000);
  });
});
