// The answer to GETADDR, selected once per interval and served to every asker (Bitcoin Core's
// m_addr_response_caches in CConnman::GetAddresses, refreshed every ~24 h). Two reasons, as in Core:
// a spy that reconnects and asks again sees the book only as it was at the interval's start (it cannot
// time when an address was learnt or connected, nor tell the node apart across its addresses by its
// book), and a node that many newcomers ask selects and encodes its answer once, not once per asker.
import { decodeMessage, encodeMessageFrame } from '../wire/codec.js';
import { FrameDecoder } from '../wire/frame.js';
import { MsgType, type AddrMsg, type NetAddr } from '../wire/types.js';
import type { AddrBook } from './addrbook.js';

/** Addresses in one GETADDR answer (the protocol's ADDR maximum). */
export const ADDR_RESPONSE_MAX = 1000;
/** Addresses kept as objects for short answers (a refusal's 30): the full answer is kept only encoded. */
const HEAD = 64;

export class AddrResponseCache {
  private expires = -Infinity;
  /** The answer's book keys in order: the asker's own address is left out by key, as good()'s skip did. */
  private keys: string[] = [];
  private head: NetAddr[] = [];
  /** The 1001st address: fills the answer when the asker's own is left out. */
  private spare: NetAddr | null = null;
  private frameBytes: Uint8Array | null = null;

  /** lifetimeMs 0: selected afresh for every asker (no cache). */
  constructor(
    private readonly book: AddrBook,
    private readonly lifetimeMs: number,
  ) {}

  /** Up to `limit` (≤ 63) of the interval's addresses, without `askerKey`. */
  addrs(now: number, limit: number, askerKey: string): NetAddr[] {
    this.refresh(now);
    const n = Math.min(limit, HEAD - 1);
    const i = this.keys.indexOf(askerKey);
    if (i < 0 || i >= n) return this.head.slice(0, n);
    return [...this.head.slice(0, i), ...this.head.slice(i + 1, n + 1)];
  }

  /** The encoded ADDR answer for `askerKey`: the interval's shared frame unless the asker is in it. */
  frame(now: number, askerKey: string): Uint8Array {
    this.refresh(now);
    const i = this.keys.indexOf(askerKey);
    if (i < 0 || i >= ADDR_RESPONSE_MAX) return this.frameBytes!;
    const [f] = new FrameDecoder().push(this.frameBytes!);
    const addrs = (decodeMessage(f!.type, f!.payload) as AddrMsg).addrs;
    addrs.splice(i, 1);
    if (this.spare) addrs.push(this.spare);
    return encodeMessageFrame({ type: MsgType.ADDR, addrs });
  }

  /** Frees an expired answer (the peer manager's tick): a node nobody asks keeps nothing. */
  expire(now: number): void {
    if (now < this.expires || this.frameBytes === null) return;
    this.keys = [];
    this.head = [];
    this.spare = null;
    this.frameBytes = null;
  }

  private refresh(now: number): void {
    if (now < this.expires && this.frameBytes !== null) return;
    this.expires = now + this.lifetimeMs;
    const keys: string[] = [];
    // one more than an answer holds, so leaving the asker out still fills it
    const list = this.book.good(ADDR_RESPONSE_MAX + 1, undefined, keys);
    this.keys = keys;
    this.head = list.slice(0, HEAD);
    this.spare = list[ADDR_RESPONSE_MAX] ?? null;
    this.frameBytes = encodeMessageFrame({ type: MsgType.ADDR, addrs: list.slice(0, ADDR_RESPONSE_MAX) });
  }
}
