// The decision rules behind outbound eviction: Core's ConsiderEviction (sync/peers.ts) and
// EvictExtraOutboundPeers with its protection of peers that deliver (p2p/outbound.ts).
import { describe, expect, it } from 'vitest';
import { DEVNET, MAINNET, outboundTimings } from '../src/constants.js';
import { considerEviction, type ChainSyncState } from '../src/sync/peers.js';
import { pickExtraOutbound, protectedOutbound, type OutboundView } from '../src/p2p/outbound.js';

const T = { chainSyncTimeoutMs: 1_000, headersResponseMs: 100 };
const fresh = (): ChainSyncState => ({ timeout: 0, workHeader: null, sentGetHeaders: false });

describe('considerEviction', () => {
  it('a peer that never shows our tip: deadline, then one header request, then useless', () => {
    const st = fresh();
    expect(considerEviction(st, null, 10n, 0, T)).toBe('ok');
    expect(st.timeout).toBe(1_000);
    expect(considerEviction(st, null, 10n, 1_000, T)).toBe('ok'); // not past the deadline yet
    expect(considerEviction(st, null, 10n, 1_001, T)).toBe('send-getheaders');
    expect(considerEviction(st, null, 10n, 1_050, T)).toBe('ok');
    expect(considerEviction(st, null, 10n, 1_102, T)).toBe('useless');
  });

  it('catching up with our tip at any point clears the deadline', () => {
    const st = fresh();
    considerEviction(st, 5n, 10n, 0, T);
    considerEviction(st, 5n, 10n, 1_001, T);
    expect(st.sentGetHeaders).toBe(true);
    expect(considerEviction(st, 10n, 10n, 1_050, T)).toBe('ok');
    expect(st).toEqual(fresh());
  });

  it('reaching the work of the tip the deadline was set against, while our tip moved on, restarts it', () => {
    const st = fresh();
    considerEviction(st, 5n, 10n, 0, T); // deadline against work 10
    expect(considerEviction(st, 10n, 12n, 900, T)).toBe('ok'); // it reached 10, our tip is now 12
    expect(st.timeout).toBe(1_900);
    expect(st.workHeader).toBe(12n);
    expect(considerEviction(st, 10n, 12n, 1_500, T)).toBe('ok'); // the old deadline no longer applies
    // but a peer stuck below the old target gets no such restart
    const stuck = fresh();
    considerEviction(stuck, 5n, 10n, 0, T);
    expect(considerEviction(stuck, 9n, 12n, 1_001, T)).toBe('send-getheaders');
  });

  it('times scale with the block time, with floors for devnet', () => {
    expect(outboundTimings(MAINNET)).toEqual({ chainSyncTimeoutMs: 840_000, headersResponseMs: 84_000, staleTipMs: 1_260_000, staleCheckMs: 420_000 });
    expect(outboundTimings(DEVNET)).toEqual({ chainSyncTimeoutMs: 60_000, headersResponseMs: 10_000, staleTipMs: 60_000, staleCheckMs: 60_000 });
  });
});

const peer = (id: number, over: Partial<OutboundView> = {}): OutboundView => ({ id, connectedAt: 0, lastBlockAt: 0, lastHeaderAt: 0, automatic: true, ...over });

describe('pickExtraOutbound', () => {
  it('drops the peer that delivered least recently (never first), the youngest on a tie', () => {
    const out = [peer(1, { lastBlockAt: 500 }), peer(2, { connectedAt: 10 }), peer(3, { connectedAt: 20 }), peer(4, { lastHeaderAt: 900 })];
    expect(pickExtraOutbound(out, 10_000, 0)?.id).toBe(3);
  });

  it('protects the 4 most recent deliverers, even if one of them delivered long ago', () => {
    const out = [1, 2, 3, 4].map((i) => peer(i, { lastBlockAt: i * 100 })).concat([peer(5, { lastHeaderAt: 50 })]);
    expect([...protectedOutbound(out)].map((p) => p.id).sort()).toEqual([1, 2, 3, 4]);
    expect(pickExtraOutbound(out, 10_000, 0)?.id).toBe(5);
    expect(pickExtraOutbound(out.slice(0, 4), 10_000, 0)).toBeNull(); // all protected
  });

  it('spares manual links, and waits while the chosen one is younger than the minimum connect time', () => {
    expect(pickExtraOutbound([peer(1, { automatic: false }), peer(2, { lastBlockAt: 5 })], 10_000, 0)).toBeNull();
    const out = [peer(1, { lastBlockAt: 5 }), peer(2, { connectedAt: 9_900 })];
    expect(pickExtraOutbound(out, 10_000, 300)).toBeNull();
    expect(pickExtraOutbound(out, 10_200, 300)?.id).toBe(2);
  });
});
