// SyncManager on virtual time: a scripted PeerNetwork and an in-memory chain, so timeouts and ticks are exact.
import { describe, expect, it } from 'vitest';
import { HEADER_SIZE } from '../src/constants.js';
import type { AddBlockResult, AddHeadersResult, ChainApi, Tip } from '../src/chain/types.js';
import type { ReceivedBlock } from '../src/chain/received.js';
import type { Clock, TimerHandle } from '../src/clock.js';
import type { BroadcastOptions, Handler, Peer, PeerNetwork } from '../src/p2p/types.js';
import { SyncManager } from '../src/sync/manager.js';
import { createReferenceCore } from '../src/core/reference.js';

const { sha256d } = createReferenceCore();
import { MsgType, type Message, type MsgTypeCode } from '../src/wire/types.js';

class TestClock implements Clock {
  t = 1_000_000;
  private timers: { at: number; fn: () => void; every: number; id: number }[] = [];
  private nextId = 1;
  now = (): number => this.t;
  setTimeout(fn: () => void, ms: number): TimerHandle {
    return this.add(fn, ms, 0);
  }
  setInterval(fn: () => void, ms: number): TimerHandle {
    return this.add(fn, ms, ms);
  }
  clearTimeout(h: TimerHandle): void {
    this.timers = this.timers.filter((x) => x.id !== h);
  }
  clearInterval(h: TimerHandle): void {
    this.clearTimeout(h);
  }
  /** Moves time forward, firing due timers in order, letting promise chains settle between them. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (let guard = 0; guard < 100_000; guard++) {
      const next = this.timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.t = next.at;
      if (next.every > 0) next.at += next.every;
      else this.clearTimeout(next.id);
      next.fn();
      await settle();
    }
    this.t = end;
    await settle();
  }
  private add(fn: () => void, ms: number, every: number): number {
    const id = this.nextId++;
    this.timers.push({ at: this.t + ms, fn, every, id });
    return id;
  }
}

const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

function fakePeer(id: number, height: number, chainWork = 0n): Peer {
  return {
    id,
    address: `10.0.0.${id}:1`,
    inbound: false,
    handshaken: true,
    version: 1,
    height,
    chainWork,
    userAgent: 'test',
    listenPort: 1,
    lastSeen: 0,
    connectedAt: 0,
    coherence: 0,
    bytesIn: 0,
    bytesOut: 0,
    msgsIn: 0,
    msgsOut: 0,
    score: 0,
    pingMs: null,
  };
}

class FakeNet implements PeerNetwork {
  readonly list: Peer[] = [];
  readonly sent: { peer: number; msg: Message }[] = [];
  readonly penalties: { peer: number; points: number; reason: string }[] = [];
  private readonly handlers = new Map<number, Handler<MsgTypeCode>[]>();
  private readyCbs: ((p: Peer) => void)[] = [];
  peers(): Peer[] {
    return this.list;
  }
  on<T extends MsgTypeCode>(type: T, h: Handler<T>): void {
    this.handlers.set(type, [...(this.handlers.get(type) ?? []), h as unknown as Handler<MsgTypeCode>]);
  }
  onPeerReady(cb: (p: Peer) => void): void {
    this.readyCbs.push(cb);
  }
  onPeerClosed(): void {}
  send(peer: Peer, msg: Message): boolean {
    this.sent.push({ peer: peer.id, msg });
    return true;
  }
  broadcast(msg: Message, opts: BroadcastOptions = {}): number {
    const to = this.list.filter((p) => p !== opts.exclude);
    for (const p of to) this.sent.push({ peer: p.id, msg });
    return to.length;
  }
  markSeen(): void {}
  misbehave(peer: Peer, points: number, reason: string): void {
    peer.score += points;
    this.penalties.push({ peer: peer.id, points, reason });
  }
  disconnect(): void {}
  ready(p: Peer): void {
    this.list.push(p);
    for (const cb of this.readyCbs) cb(p);
  }
  async deliver(p: Peer, msg: Message): Promise<void> {
    for (const h of this.handlers.get(msg.type) ?? []) await h(p, msg as never);
    await settle();
  }
  of<T extends MsgTypeCode>(type: T): { peer: number; msg: Extract<Message, { type: T }> }[] {
    return this.sent.filter((s) => s.msg.type === type) as never;
  }
  clear(): void {
    this.sent.length = 0;
  }
}

/** A header whose only meaningful fields are height and prev (the fake chain checks nothing else). */
function header(height: number): Uint8Array {
  const h = new Uint8Array(HEADER_SIZE);
  new DataView(h.buffer).setUint32(2, height, true);
  return h;
}
const hashAt = (height: number): Uint8Array => sha256d(header(height));

/** In-memory chain: headers always connect, blocks connect when they are the next height. */
class FakeChain
  implements Pick<ChainApi, 'tip' | 'headerTip' | 'getHeadersRange' | 'addHeaders' | 'missingBlocks' | 'addBlock' | 'addBlocks' | 'getBlockBytes' | 'hasBlock' | 'onTip' | 'getHeader' | 'getHeaderByHeight'>
{
  headerHeight = 0;
  height = 0;
  readonly blocks = new Map<string, Uint8Array>();
  private tipAt(h: number): Tip {
    return { hash: hashAt(h), height: h, chainWork: BigInt(h), header: { height: h } as Tip['header'] };
  }
  tip(): Tip {
    return this.tipAt(this.height);
  }
  headerTip(): Tip {
    return this.tipAt(this.headerHeight);
  }
  async getHeadersRange(start: number, count: number): Promise<Uint8Array[]> {
    const out: Uint8Array[] = [];
    for (let h = start; h < start + count && h <= this.height; h++) out.push(header(h));
    return out;
  }
  async addHeaders(hs: Uint8Array[]): Promise<AddHeadersResult> {
    const last = new DataView(hs[hs.length - 1]!.buffer).getUint32(2, true);
    const added = Math.max(0, last - this.headerHeight);
    this.headerHeight = Math.max(this.headerHeight, last);
    return { added };
  }
  async missingBlocks(max: number): Promise<{ height: number; hash: Uint8Array }[]> {
    const out = [];
    for (let h = this.height + 1; h <= this.headerHeight && out.length < max; h++) out.push({ height: h, hash: hashAt(h) });
    return out;
  }
  async addBlock(b: Uint8Array): Promise<AddBlockResult> {
    const h = new DataView(b.buffer, b.byteOffset).getUint32(2, true);
    const hash = sha256d(b.subarray(0, HEADER_SIZE));
    if (h > this.headerHeight + 1) return { status: 'orphan', hash, height: h };
    if (h === this.height + 1) this.height = h;
    this.headerHeight = Math.max(this.headerHeight, this.height);
    return { status: 'connected', hash, height: h };
  }
  async addBlocks(bs: readonly ReceivedBlock[]): Promise<AddBlockResult[]> {
    const out: AddBlockResult[] = [];
    for (const b of bs) out.push(await this.addBlock(b.bytes));
    return out;
  }
  async getBlockBytes(hash: Uint8Array): Promise<Uint8Array | undefined> {
    return this.blocks.get(Buffer.from(hash).toString('hex'));
  }
  async hasBlock(): Promise<boolean> {
    return false;
  }
  // no decoded headers: the work check treats every run as "parent not on the best chain" and lets addHeaders decide
  async getHeader(): Promise<undefined> {
    return undefined;
  }
  async getHeaderByHeight(): Promise<undefined> {
    return undefined;
  }
  onTip(): void {}
}

function setup(options = {}) {
  const clock = new TestClock();
  const net = new FakeNet();
  const chain = new FakeChain();
  const sync = new SyncManager({ net, chain: chain as unknown as ChainApi, core: createReferenceCore(), clock, options });
  sync.start();
  return { clock, net, chain, sync };
}

describe('SyncManager on virtual time', () => {
  it('a VERSION with a higher chain starts header sync at once, blocks follow; the 10 s tick catches later growth', async () => {
    const { clock, net, chain, sync } = setup();
    const p = fakePeer(1, 25);
    net.ready(p);
    expect(net.of(MsgType.GETBLOCKS).map((s) => s.msg)).toEqual([{ type: MsgType.GETBLOCKS, start: 1, count: 500 }]);
    await net.deliver(p, { type: MsgType.BLOCKS, headers: Array.from({ length: 25 }, (_, i) => header(i + 1)) });
    expect(chain.headerHeight).toBe(25);
    // blocks asked in batches of 16 (what a peer serves per GETDATA) after the headers validated
    const gd = net.of(MsgType.GETDATA);
    expect(gd.map((g) => g.msg.hashes.length)).toEqual([16, 9]);
    expect(Buffer.from(gd[0]!.msg.hashes[0]!)).toEqual(Buffer.from(hashAt(1)));
    net.clear();
    p.height = 40; // learnt without an event: only the continuous tick notices
    await clock.advance(9_000);
    expect(net.of(MsgType.GETBLOCKS)).toHaveLength(0);
    await clock.advance(1_100);
    expect(net.of(MsgType.GETBLOCKS).map((s) => s.msg.start)).toEqual([26]);
    expect(sync.progress()).toMatchObject({ headers: 25, blocks: 0, targetHeight: 40, syncing: true, etaSec: null });
    await sync.stop();
  });

  it('a header request unanswered for 30 s backs the peer off and asks another', async () => {
    // the claim timeout and probes (a session peer that never backed its claim) are set out of the way: this is the seed's 30 s rule
    const { clock, net, sync } = setup({ claimTimeoutMs: 120_000, probeAfterMs: 120_000 });
    const slow = fakePeer(1, 900, 10n);
    const other = fakePeer(2, 900, 5n);
    net.ready(slow);
    net.ready(other);
    // most work first
    expect(net.of(MsgType.GETBLOCKS).map((s) => s.peer)).toEqual([1, 1]);
    net.clear();
    await clock.advance(30_000);
    expect(net.of(MsgType.GETBLOCKS)).toHaveLength(0);
    await clock.advance(1_500);
    expect(net.of(MsgType.GETBLOCKS).map((s) => [s.peer, s.msg.start])).toEqual([
      [2, 1],
      [2, 501],
    ]);
    expect(sync.stats().stalls).toBe(1);
    await sync.stop();
  });

  it('a block batch stalled for 5 s is re-requested from another peer', async () => {
    const { clock, net, chain, sync } = setup({ initialWindow: 1 });
    chain.headerHeight = 10;
    const a = fakePeer(1, 10);
    const b = fakePeer(2, 10);
    net.ready(a);
    await clock.advance(1);
    net.ready(b);
    await clock.advance(1);
    const first = net.of(MsgType.GETDATA);
    expect(first.map((g) => g.peer)).toEqual([1]);
    net.clear();
    await clock.advance(6_000);
    const again = net.of(MsgType.GETDATA);
    expect(again.map((g) => g.peer)).toEqual([2]);
    expect(again[0]!.msg.hashes.map((h) => Buffer.from(h).toString('hex'))).toEqual(first[0]!.msg.hashes.map((h) => Buffer.from(h).toString('hex')));
    expect(sync.stats()).toMatchObject({ stalls: 1, reRequested: 10 });
    // the second peer delivers: blocks connect, the sender is credited
    for (let h = 1; h <= 10; h++) await net.deliver(b, { type: MsgType.BLOCK, block: header(h) });
    expect(chain.height).toBe(10);
    expect(sync.stats().peers.find((v) => v.id === 2)!.delivered).toBe(10);
    await sync.stop();
  });

  it('serves at most 500 headers per GETBLOCKS and at most 16 blocks per GETDATA', async () => {
    const { net, chain, sync } = setup();
    chain.height = 800;
    const p = fakePeer(1, 0);
    net.ready(p);
    net.clear();
    await net.deliver(p, { type: MsgType.GETBLOCKS, start: 100, count: 100_000 });
    const reply = net.of(MsgType.BLOCKS)[0]!.msg;
    expect(reply.headers).toHaveLength(500);
    expect(new DataView(reply.headers[0]!.buffer).getUint32(2, true)).toBe(100);
    const hashes: Uint8Array[] = [];
    for (let h = 1; h <= 20; h++) {
      chain.blocks.set(Buffer.from(hashAt(h)).toString('hex'), header(h));
      hashes.push(hashAt(h));
    }
    hashes.splice(3, 0, new Uint8Array(32)); // unknown: skipped
    await net.deliver(p, { type: MsgType.GETDATA, hashes });
    expect(net.of(MsgType.BLOCK)).toHaveLength(15);
    expect(sync.stats().servedBlocks).toBe(15);
    await sync.stop();
  });

  it('a block from a higher chain (orphan) or an announcement starts header sync with its sender', async () => {
    const { net, sync } = setup();
    const p = fakePeer(1, 0);
    net.ready(p);
    expect(net.of(MsgType.GETBLOCKS)).toHaveLength(0);
    await net.deliver(p, { type: MsgType.BLOCK, block: header(50) });
    expect(p.height).toBe(50);
    expect(net.of(MsgType.GETBLOCKS).map((s) => [s.peer, s.msg.start])).toEqual([[1, 1]]);
    expect(sync.stats()).toMatchObject({ blocksUnsolicited: 1, relayedBlocks: 0 });

    const q = fakePeer(2, 0);
    net.ready(q);
    net.clear();
    await sync.announce(q, { hash: hashAt(7), height: 70 });
    expect(net.of(MsgType.GETDATA).map((s) => [s.peer, s.msg.hashes.length])).toEqual([[2, 1]]);
    expect(q.height).toBe(70);
    await sync.stop();
  });

  it('a new block that connects is relayed to every peer but its sender', async () => {
    const { net, sync } = setup();
    const [a, b, c] = [fakePeer(1, 0), fakePeer(2, 0), fakePeer(3, 0)];
    for (const p of [a, b, c]) net.ready(p);
    net.clear();
    await net.deliver(a, { type: MsgType.BLOCK, block: header(1) });
    expect(net.of(MsgType.BLOCK).map((s) => s.peer)).toEqual([2, 3]);
    // the same block again: not processed, not relayed, counted as a duplicate
    await net.deliver(b, { type: MsgType.BLOCK, block: header(1) });
    expect(net.of(MsgType.BLOCK)).toHaveLength(2);
    expect(sync.stats()).toMatchObject({ relayedBlocks: 2, blocksDuplicate: 1 });
    await sync.stop();
  });
});
