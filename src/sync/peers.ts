// Per-peer sync state and the penalties sync hands out (btcd netsync/manager.go keeps `peerStates` the same way).
// Each layer keeps its own per-peer state: this map is sync's, keyed by peer id, dropped when the peer closes.
import { isErrorCode, pointsFor, reasonText, type ErrorCode } from '../errors.js';
import type { Logger } from '../log.js';
import type { Clock } from '../clock.js';
import type { Peer, PeerNetwork } from '../p2p/types.js';

/** Sync's offences' points, read from the one registry (src/errors.ts; BAN_THRESHOLD = 100). */
export const PENALTY = Object.freeze({
  headersInvalid: pointsFor('sync-headers-invalid'),
  headersUnconnected: pointsFor('sync-headers-do-not-connect'),
  headersBadRange: pointsFor('sync-headers-bad-range'),
  headersLowWork: pointsFor('sync-headers-low-work'),
  claimUnbacked: pointsFor('sync-claim-unbacked'),
  cannotServe: pointsFor('sync-cannot-serve-claimed-height'),
  stalled: pointsFor('sync-stalled'),
  invalidBlock: pointsFor('sync-block-invalid'),
  malformedBlock: pointsFor('sync-block-short'),
  unsolicitedFlood: pointsFor('sync-unsolicited-flood'),
  serveFlood: pointsFor('sync-serve-flood'),
});

/** The points an offence costs given its cause (a chain or mempool code, when it is one the registry knows). */
export const pointsOf = (offence: ErrorCode, cause?: string): number => pointsFor(offence, cause !== undefined && isErrorCode(cause) ? cause : undefined);

export interface SyncPeer {
  peer: Peer;
  /** Highest header height this peer has shown us (on any branch). */
  knownTip: number;
  /** Height the peer itself vouched for (VERSION, headers it served); a height only inferred from a block it relayed is not one. */
  claimed: number;
  headerBackoffUntil: number;
  headerStalls: number;
  unsolicited: number;
  unsolicitedSince: number;
  /** Replies still due to header requests we gave up on (walk-back, session end): dropped quietly. */
  staleReplies: number;
  /** It has served headers on a chain we know: its claims are backed. */
  backed: boolean;
  /** When the oldest header request it has not answered at all went out (0: none). */
  waitingSince: number;
  /** One GETBLOCKS sent to a peer ahead of us beside the header session, to see who delivers. */
  probe: { start: number; sentAt: number } | null;
  /** Our tip's work when this peer last showed it has our tip or more (null: never). */
  caughtUpWork: bigint | null;
  /** Core's ConsiderEviction state for an outbound peer. */
  chainSync: ChainSyncState;
}

/** Core's CNodeState::ChainSyncTimeoutState. */
export interface ChainSyncState {
  /** When the peer must have caught up (0: no deadline running). */
  timeout: number;
  /** Our tip's work when the deadline was set: reaching it restarts the deadline. */
  workHeader: bigint | null;
  /** The last-chance header request has gone out. */
  sentGetHeaders: boolean;
}

export type ChainSyncVerdict = 'ok' | 'send-getheaders' | 'useless';

/**
 * Bitcoin Core's ConsiderEviction (net_processing.cpp), pure: an outbound peer whose best known chain
 * stays below our tip's work for chainSyncTimeoutMs is asked for headers once, and is useless if it has
 * still not caught up headersResponseMs later. Mutates `st`.
 */
export function considerEviction(
  st: ChainSyncState,
  peerWork: bigint | null,
  tipWork: bigint,
  now: number,
  t: { chainSyncTimeoutMs: number; headersResponseMs: number },
): ChainSyncVerdict {
  if (peerWork !== null && peerWork >= tipWork) {
    st.timeout = 0;
    st.workHeader = null;
    st.sentGetHeaders = false;
    return 'ok';
  }
  if (st.timeout === 0 || (st.workHeader !== null && peerWork !== null && peerWork >= st.workHeader)) {
    // first time behind, or it reached the old target while our tip moved on: a new deadline against today's tip
    st.timeout = now + t.chainSyncTimeoutMs;
    st.workHeader = tipWork;
    st.sentGetHeaders = false;
    return 'ok';
  }
  if (now <= st.timeout) return 'ok';
  if (st.sentGetHeaders) return 'useless';
  st.sentGetHeaders = true;
  st.timeout = now + t.headersResponseMs;
  return 'send-getheaders';
}

export class SyncPeers {
  private readonly map = new Map<number, SyncPeer>();
  /** Penalties handed out (any points, zero included). */
  penalties = 0;

  constructor(
    private readonly net: PeerNetwork,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly unsolicitedLimit: number,
  ) {}

  add(peer: Peer, now: number): SyncPeer {
    let s = this.map.get(peer.id);
    if (!s) {
      s = this.fresh(peer, now);
      this.map.set(peer.id, s);
    }
    return s;
  }

  has(id: number): boolean {
    return this.map.has(id);
  }

  byId(id: number): SyncPeer | undefined {
    return this.map.get(id);
  }

  /** A closed peer's late work gets a throwaway state: only `add` registers peers (no leak). */
  get(peer: Peer): SyncPeer {
    return this.map.get(peer.id) ?? this.fresh(peer, this.clock.now());
  }

  remove(id: number): void {
    this.map.delete(id);
  }

  values(): IterableIterator<SyncPeer> {
    return this.map.values();
  }

  /** Scores `offence` (its registry points, 0 when `detail` is a cause that is not the sender's fault, or `points`). */
  penalize(peer: Peer, offence: ErrorCode, detail?: string, points = pointsOf(offence, detail)): void {
    const reason = reasonText({ code: offence, detail });
    this.penalties++;
    this.log.debug({ peer: peer.address, points, reason }, 'sync penalty');
    // zero points still goes through: the peer layer counts every reason
    this.net.misbehave(peer, points, reason);
  }

  /** Counts messages that brought nothing; over the per-minute limit the peer gets points. False = drop it. */
  noteUnsolicited(peer: Peer): boolean {
    const s = this.get(peer);
    const now = this.clock.now();
    if (now - s.unsolicitedSince > 60_000) {
      s.unsolicitedSince = now;
      s.unsolicited = 0;
    }
    s.unsolicited++;
    if (s.unsolicited > this.unsolicitedLimit) {
      if (s.unsolicited === this.unsolicitedLimit + 1) this.penalize(peer, 'sync-unsolicited-flood');
      return false;
    }
    return true;
  }

  private fresh(peer: Peer, now: number): SyncPeer {
    return { peer, knownTip: -1, claimed: peer.height, headerBackoffUntil: 0, headerStalls: 0, unsolicited: 0, unsolicitedSince: now, staleReplies: 0, backed: false, waitingSince: 0, probe: null, caughtUpWork: null, chainSync: { timeout: 0, workHeader: null, sentGetHeaders: false } };
  }
}
