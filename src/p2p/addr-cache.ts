// The answer to GETADDR, selected once per interval and served to every asker (Bitcoin Core's
// m_addr_response_caches in CConnman::GetAddresses, refreshed every ~24 h). Two reasons, as in Core:
// a spy that reconnects and asks again sees the book only as it was at the interval's start (it cannot
// time when an address was learnt or connected, nor tell the node apart across its addresses by its
// book), and a node that many newcomers ask selects and encodes its answer once, not once per asker.
import { encodeMessageFrame } from '../wire/codec.js';
import { MsgType, type NetAddr } from '../wire/types.js';
import type { AddrBook } from './addrbook.js';

/** Addresses in one GETADDR answer (the protocol's ADDR maximum). */
export const ADDR_RESPONSE_MAX = 1000;

export class AddrResponseCache {
  private expires = -Infinity;
  private list: NetAddr[] = [];
  /** Key in the book → index in list: the asker's own address is left out by key, as good()'s skip did. */
  private index = new Map<string, number>();
  private frameBytes: Uint8Array | null = null;

  /** lifetimeMs 0: selected afresh for every asker (no cache). */
  constructor(
    private readonly book: AddrBook,
    private readonly lifetimeMs: number,
  ) {}

  /** Up to `limit` (≤ 1000) of the interval's addresses, without `askerKey`. */
  addrs(now: number, limit: number, askerKey: string): NetAddr[] {
    this.refresh(now);
    return this.pick(limit, askerKey);
  }

  /** The encoded ADDR answer for `askerKey`: the interval's shared frame unless the asker is in it. */
  frame(now: number, askerKey: string): Uint8Array {
    this.refresh(now);
    const i = this.index.get(askerKey) ?? -1;
    if (i >= 0 && i < ADDR_RESPONSE_MAX) return encodeMessageFrame({ type: MsgType.ADDR, addrs: this.pick(ADDR_RESPONSE_MAX, askerKey) });
    this.frameBytes ??= encodeMessageFrame({ type: MsgType.ADDR, addrs: this.list.slice(0, ADDR_RESPONSE_MAX) });
    return this.frameBytes;
  }

  private pick(limit: number, askerKey: string): NetAddr[] {
    const i = this.index.get(askerKey) ?? -1;
    if (i < 0 || i >= limit) return this.list.slice(0, limit);
    return [...this.list.slice(0, i), ...this.list.slice(i + 1, limit + 1)];
  }

  private refresh(now: number): void {
    if (now < this.expires) return;
    this.expires = now + this.lifetimeMs;
    const keys: string[] = [];
    // one more than an answer holds, so leaving the asker out still fills it
    this.list = this.book.good(ADDR_RESPONSE_MAX + 1, undefined, keys);
    this.index = new Map(keys.map((k, i) => [k, i]));
    this.frameBytes = null;
  }
}
