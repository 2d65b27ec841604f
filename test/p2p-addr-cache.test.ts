import { afterEach, describe, expect, it } from 'vitest';
import { AddrBook } from '../src/p2p/addrbook.js';
import { AddrResponseCache } from '../src/p2p/addr-cache.js';
import { ADDR_CACHE_ROUNDS } from '../src/p2p/manager.js';
import { decodeMessage } from '../src/wire/codec.js';
import { FrameDecoder } from '../src/wire/frame.js';
import { MsgType, type AddrMsg } from '../src/wire/types.js';
import { DEVNET, ManualClock, RawClient, cleanup, startManager, waitFor } from './helpers/p2p.js';

afterEach(cleanup);

/** A fresh client's handshake, GETADDR and the ADDR answer. */
async function ask(port: number): Promise<string[]> {
  const c = await RawClient.connect(port);
  await c.handshakeBare();
  c.send({ type: MsgType.GETADDR });
  await waitFor(() => c.count(MsgType.ADDR) > 0, 3000, 'ADDR');
  const m = c.received.find((x) => x.type === MsgType.ADDR) as AddrMsg;
  return m.addrs.map((a) => `${a.host}:${a.port}`).sort();
}

describe('GETADDR answers are cached per interval (Core m_addr_response_caches)', () => {
  it('two askers inside one interval get the same answer; after the interval a fresh one', async () => {
    const clock = new ManualClock();
    const m = await startManager({ clock });
    m.book.add('127.0.0.2', 1111, 1000);
    expect(await ask(m.port)).toEqual(['127.0.0.2:1111']);
    m.book.add('127.0.0.3', 2222, 2000); // learnt after the first answer
    expect(await ask(m.port)).toEqual(['127.0.0.2:1111']); // a second peer, same interval: same answer
    clock.advance(ADDR_CACHE_ROUNDS * DEVNET.gossipIntervalMs);
    expect(await ask(m.port)).toEqual(['127.0.0.2:1111', '127.0.0.3:2222']);
    expect(m.stats().msgsOutByType.ADDR).toBe(3);
  });

  it('addrCacheMs 0 selects afresh for every asker', async () => {
    const m = await startManager({ clock: new ManualClock(), addrCacheMs: 0 });
    m.book.add('127.0.0.2', 1111, 1000);
    expect(await ask(m.port)).toEqual(['127.0.0.2:1111']);
    m.book.add('127.0.0.3', 2222, 2000);
    expect(await ask(m.port)).toEqual(['127.0.0.2:1111', '127.0.0.3:2222']);
  });

  it("leaves the asker's own address out and still fills the answer; the shared frame is the answer", () => {
    const book = new AddrBook({ key: new Uint8Array(32) });
    for (let i = 0; i < 1005; i++) book.add(`10.${i & 255}.${i >> 8}.1`, 7618, 5000 + i);
    const cache = new AddrResponseCache(book, 1000);
    const all = book.good(1001);
    const own = `${all[3]!.host}:${all[3]!.port}`;
    expect(cache.addrs(0, 30, own)).toEqual(book.good(30, (k) => k === own));
    expect(cache.addrs(0, 30, 'x:1')).toEqual(all.slice(0, 30));
    const decode = (f: Uint8Array): AddrMsg => {
      const [fr] = new FrameDecoder().push(f);
      return decodeMessage(fr!.type, fr!.payload) as AddrMsg;
    };
    const mine = decode(cache.frame(0, own)).addrs;
    expect(mine).toHaveLength(1000);
    expect(mine).toEqual([...all.slice(0, 3), ...all.slice(4, 1001)]);
    expect(mine).toEqual(book.good(1000, (k) => k === own));
    const shared = cache.frame(0, 'x:1');
    expect(cache.frame(10, 'y:1')).toBe(shared); // one encoding per interval
    expect(decode(shared).addrs).toEqual(all.slice(0, 1000));
    cache.expire(999);
    expect(cache.frame(999, 'y:1')).toBe(shared); // not expired yet: kept
    cache.expire(1000); // expired and freed; the next asker gets a fresh selection
    expect(cache.frame(1000, 'y:1')).not.toBe(shared);
  });
});
