// The operator console's read-only routes: recent blocks with the bytes their proofs hash, a mempool
// summary, the r-per-round series, and the browser core's files under /pkg/ (so the page verifies blocks).
import { toHex } from '../bytes.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PROFILES, Z_C } from '../constants.js';
import { encodeCert } from '../chain/cert.js';
import { encodeHeader } from '../chain/header.js';
import { BROWSER_CORE_ASSETS } from '../core/browser-assets.js';
import { packageRoot } from '../paths.js';
import { ApiError, intParam, type Router } from './http.js';
import { ROUND_SERIES_LEN } from './rounds.js';
import type { BlockInfo, MempoolSummaryJson, NodeView, RecentBlockJson, RecentBlocksJson, RoundsJson } from './types.js';

/** Blocks per /blocks/recent answer at most (each carries 64 phases and its raw bytes). */
export const RECENT_BLOCKS_MAX = 32;
export const RECENT_BLOCKS_DEFAULT = 12;

/** The page's module graph: the browser core's, plus the block checks and what they import. */
export const CONSOLE_ASSETS: readonly string[] = [...BROWSER_CORE_ASSETS, 'dist/api/block-check.js', 'dist/chain/cert.js', 'dist/chain/header.js', 'dist/bytes.js'];

export function recentBlockJson(info: BlockInfo): RecentBlockJson {
  const b = info.block;
  return {
    height: b.header.height,
    hash: toHex(info.hash),
    time: b.header.timestamp,
    txs: b.txs.length,
    size: info.size,
    minerAddress: toHex(b.minerAddress),
    // decode → encode is the identity on stored bytes; the page's check of sha256d(header) = hash proves it
    header: toHex(encodeHeader(b.header)),
    certificate: toHex(encodeCert(b.cert)),
    cert: { r: b.cert.r, rounds: b.cert.rounds, phases: Array.from(b.cert.phases) },
  };
}

/** Count and bytes of the whole mempool; fee range (base units) and oldest over the entries the view lists. */
export function mempoolSummary(view: NodeView): MempoolSummaryJson {
  const entries = view.mempool();
  const fees = entries.map((e) => e.tx.fee).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const { size, bytes } = view.stats().mempool;
  const s = (x: bigint | undefined): string | null => (x === undefined ? null : x.toString());
  return {
    count: size,
    bytes,
    feeMin: s(fees[0]),
    feeMax: s(fees[fees.length - 1]),
    feeMedian: s(fees[Math.floor((fees.length - 1) / 2)]),
    sampled: entries.length,
    oldest: entries.length ? Math.min(...entries.map((e) => e.addedAt)) : null,
  };
}

async function serveAsset(path: string): Promise<{ body: Uint8Array; contentType: string }> {
  if (!CONSOLE_ASSETS.includes(path)) throw new ApiError(404, 'not-found', `no asset ${path}`);
  const contentType = path.endsWith('.wasm') ? 'application/wasm' : 'text/javascript; charset=utf-8';
  return { body: await readFile(join(packageRoot(), path)), contentType };
}

export function addConsoleRoutes(r: Router, view: NodeView): void {
  r.add('GET', '/blocks/recent', async ({ query }): Promise<{ json: RecentBlocksJson }> => {
    const n = intParam(query, 'n', RECENT_BLOCKS_DEFAULT, 1, RECENT_BLOCKS_MAX);
    const height = view.status().height;
    const blocks: RecentBlockJson[] = [];
    for (let h = height; h >= 0 && blocks.length < n; h--) {
      const info = await view.getBlock(h);
      if (info) blocks.push(recentBlockJson(info));
    }
    return { json: { height, blocks } };
  });
  r.add('GET', '/mempool/summary', () => ({ json: mempoolSummary(view) }));
  r.add('GET', '/coherence/rounds', ({ query }): { json: RoundsJson } => {
    const since = intParam(query, 'since', 0, 0, 0xffff_ffff);
    const limit = intParam(query, 'limit', ROUND_SERIES_LEN, 1, ROUND_SERIES_LEN);
    const snap = view.roundSeries?.(since, limit) ?? { rounds: [], tips: [] };
    return {
      json: {
        zc: Z_C,
        intervalMs: PROFILES[view.status().network].gossipIntervalMs,
        rounds: snap.rounds,
        tips: snap.tips.map((m) => ({ ...m, hash: toHex(m.hash) })),
      },
    };
  });
  // package-relative paths up to four segments deep; only CONSOLE_ASSETS are served
  const asset = ({ params }: { params: Record<string, string> }) => serveAsset(Object.values(params).join('/'));
  r.add('GET', '/pkg/:a/:b', asset);
  r.add('GET', '/pkg/:a/:b/:c', asset);
  r.add('GET', '/pkg/:a/:b/:c/:d', asset);
}
