// Which outbound peers stay: Bitcoin Core's EvictExtraOutboundPeers and its protection of peers that deliver.
import { OUTBOUND_PROTECTED } from '../constants.js';

/** What the rule reads of an outbound peer. */
export interface OutboundView {
  readonly id: number;
  readonly connectedAt: number;
  readonly lastBlockAt: number;
  readonly lastHeaderAt: number;
  /** Dialled by the manager (manual links are never evicted). */
  readonly automatic: boolean;
}

/** Clock ms of the last new block or header it delivered (Core's m_last_block_announcement); 0 for never. */
export const lastDelivered = (p: OutboundView): number => Math.max(p.lastBlockAt, p.lastHeaderAt);

/** The OUTBOUND_PROTECTED peers that most recently delivered a new block or header: never evicted for delivering nothing. */
export function protectedOutbound<T extends OutboundView>(out: readonly T[], n = OUTBOUND_PROTECTED): Set<T> {
  const delivered = out.filter((p) => lastDelivered(p) > 0).sort((a, b) => lastDelivered(b) - lastDelivered(a));
  return new Set(delivered.slice(0, n));
}

/**
 * The surplus outbound peer to drop: among automatic, unprotected ones, the one whose last delivery is
 * oldest (never first), the youngest on a tie. Null when that one is younger than minConnectMs (it gets
 * its chance first, as in Core) or none qualifies.
 */
export function pickExtraOutbound<T extends OutboundView>(out: readonly T[], now: number, minConnectMs: number): T | null {
  const kept = protectedOutbound(out);
  let worst: T | null = null;
  for (const p of out) {
    if (!p.automatic || kept.has(p)) continue;
    if (!worst || lastDelivered(p) < lastDelivered(worst) || (lastDelivered(p) === lastDelivered(worst) && (p.connectedAt > worst.connectedAt || (p.connectedAt === worst.connectedAt && p.id > worst.id)))) worst = p;
  }
  if (!worst || now - worst.connectedAt < minConnectMs) return null;
  return worst;
}
