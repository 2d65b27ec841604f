// Anti-DoS work check on a header run before it is stored (Bitcoin Core's min-work / PRESYNC idea):
// a fork off our best header chain is kept only once it has more work than the part of our chain it
// would replace. Headers with valid proof but less work than we have cost the sender their proof of
// work; without this check they cost us disk for free (50 forks × 40 headers all stored).
import { encodeHeader, workOfBits } from '../chain/header.js';
import type { ChainApi } from '../chain/types.js';
import { equalBytes as bytesEqual } from '../bytes.js';
import { headerBits, headerHeight, headerPrev } from './util.js';

export type WorkVerdict =
  /** Extends the best header chain, or carries more work than the branch it forks from: store it. */
  | 'enough'
  /** Forks off the best header chain with no more work than ours above the fork point: do not store. */
  | 'low-work'
  /** Its parent is not on the best header chain (unknown, or a side branch): the chain decides. */
  | 'not-main';

/** Reads at most about as many of our headers as the run has work for (one per header at equal bits). */
export async function headerRunWork(chain: ChainApi, hs: readonly Uint8Array[]): Promise<WorkVerdict> {
  const ht = chain.headerTip();
  const first = hs[0]!;
  const prev = headerPrev(first);
  if (bytesEqual(prev, ht.hash)) return 'enough';
  const start = headerHeight(first);
  if (start < 1 || start - 1 > ht.height) return 'not-main';
  const parent = await chain.getHeader(prev);
  const mainParent = await chain.getHeaderByHeight(start - 1);
  if (!parent || !mainParent || !bytesEqual(encodeHeader(parent), encodeHeader(mainParent))) return 'not-main';
  // headers we already have on the best chain are not a fork
  let k = 0;
  while (k < hs.length && start + k <= ht.height) {
    const mine = await chain.getHeaderByHeight(start + k);
    if (!mine || !bytesEqual(encodeHeader(mine), hs[k]!)) break;
    k++;
  }
  if (k === hs.length) return 'enough';
  let forkWork = 0n;
  try {
    for (let i = k; i < hs.length; i++) forkWork += workOfBits(headerBits(hs[i]!));
  } catch {
    return 'enough'; // bad bits: the chain's checks reject it with their own code
  }
  let mainWork = 0n;
  for (let h = start + k; h <= ht.height && mainWork < forkWork; h++) {
    const mine = await chain.getHeaderByHeight(h);
    if (!mine) break;
    mainWork += workOfBits(mine.bits);
  }
  return mainWork >= forkWork ? 'low-work' : 'enough';
}
