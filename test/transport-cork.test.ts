// TcpTransport corks the writes of one tick into one writev: what was written before a close or a
// destroy in the same tick still reaches the remote (a refusal's parting message, a ban's last frame).
import { describe, expect, it } from 'vitest';
import { TcpTransport, type Connection } from '../src/p2p/transport.js';

async function pair(): Promise<{ a: Connection; received: () => Uint8Array; closed: Promise<void>; stop: () => Promise<void> }> {
  const t = new TcpTransport();
  let got: Uint8Array[] = [];
  let done!: () => void;
  const closed = new Promise<void>((r) => (done = r));
  const server = await t.listen('127.0.0.1', 0, (conn) => {
    conn.onData((c) => got.push(c.slice()));
    conn.onClose(() => done());
  });
  const a = await t.connect('127.0.0.1', server.port);
  return {
    a,
    received: () => {
      const out = Buffer.concat(got);
      got = [out];
      return new Uint8Array(out);
    },
    closed,
    stop: () => server.close(),
  };
}

describe('TcpTransport write corking', () => {
  it('writes of one tick arrive whole and in order, also when the connection is destroyed in that tick', async () => {
    const p = await pair();
    const frames = [new Uint8Array(1000).fill(1), new Uint8Array(3000).fill(2), new Uint8Array(10).fill(3)];
    for (const f of frames) p.a.write(f);
    expect(p.a.bufferedBytes).toBe(4010); // held by the cork until the tick ends
    p.a.destroy();
    await p.closed;
    const r = p.received();
    expect(r.length).toBe(4010);
    expect([r[0], r[999], r[1000], r[3999], r[4000], r[4009]]).toEqual([1, 1, 2, 2, 3, 3]);
    await p.stop();
  });

  it('a close in the same tick flushes first', async () => {
    const p = await pair();
    p.a.write(new Uint8Array(500).fill(7));
    p.a.close();
    await p.closed;
    expect(p.received().length).toBe(500);
    await p.stop();
  });
});
