// Which inbound peer makes room for a newcomer: Bitcoin Core's AttemptToEvictConnection (net.cpp).
import type { PeerConn } from './peer.js';

/** Removes from `list` the `n` best by `better` (descending). */
function protect(list: PeerConn[], n: number, better: (a: PeerConn, b: PeerConn) => number): PeerConn[] {
  const sorted = [...list].sort(better);
  const kept = new Set(sorted.slice(0, n));
  return list.filter((p) => !kept.has(p));
}

/**
 * Protects 4 peers of distinct groups, the 8 lowest ping, the 4 that last sent a transaction and the 4 that
 * last sent a block, then half the rest by uptime; evicts the youngest of the group with the most
 * connections left. Null when every candidate is protected.
 */
export function pickEvictee(inbound: readonly PeerConn[]): PeerConn | null {
  let c = [...inbound];
  // distinct network groups: the oldest peer of each of 4 groups (Core uses a keyed hash of the group)
  const firstOfGroup = new Map<string, PeerConn>();
  for (const p of [...c].sort((a, b) => a.connectedAt - b.connectedAt)) if (p.handshaken && !firstOfGroup.has(p.group)) firstOfGroup.set(p.group, p);
  const groupKept = new Set([...firstOfGroup.values()].slice(0, 4));
  c = c.filter((p) => !groupKept.has(p));
  const ping = (p: PeerConn): number => (p.pingMs === null ? Infinity : p.pingMs);
  c = protect(c.filter((p) => p.pingMs !== null), 8, (a, b) => ping(a) - ping(b)).concat(c.filter((p) => p.pingMs === null));
  c = protect(c.filter((p) => p.lastTxAt > 0), 4, (a, b) => b.lastTxAt - a.lastTxAt).concat(c.filter((p) => p.lastTxAt === 0));
  c = protect(c.filter((p) => p.lastBlockAt > 0), 4, (a, b) => b.lastBlockAt - a.lastBlockAt).concat(c.filter((p) => p.lastBlockAt === 0));
  c = protect(c, Math.floor(c.length / 2), (a, b) => a.connectedAt - b.connectedAt);
  if (c.length === 0) return null;
  const groups = new Map<string, PeerConn[]>();
  for (const p of c) groups.set(p.group, [...(groups.get(p.group) ?? []), p]);
  let worst: PeerConn[] | null = null;
  const youngest = (g: PeerConn[]): number => Math.max(...g.map((p) => p.connectedAt));
  for (const g of groups.values()) if (!worst || g.length > worst.length || (g.length === worst.length && youngest(g) > youngest(worst))) worst = g;
  return worst!.reduce((a, b) => (b.connectedAt > a.connectedAt ? b : a));
}
