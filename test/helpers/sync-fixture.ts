// Sync test fixtures: real Chain + real PeerManager + SyncManager on 127.0.0.1, chains generated fast.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CERT_PHASES, DEVNET, HEADER_SIZE, NONCE_OFFSET, type NetworkProfile } from '../../src/constants.js';
import { loadCore } from '../../src/core/index.js';
import type { Core } from '../../src/core/types.js';
import { assembleBlock, merkleRoot } from '../../src/chain/block.js';
import { certHash, encodeCert } from '../../src/chain/cert.js';
import { Chain } from '../../src/chain/chain.js';
import { genesisBlock } from '../../src/chain/genesis.js';
import { bitsToTarget, encodeHeader, targetBytes } from '../../src/chain/header.js';
import { Mempool } from '../../src/mempool/mempool.js';
import { txid } from '../../src/chain/tx.js';
import type { Certificate, Header } from '../../src/chain/types.js';
import { systemClock } from '../../src/clock.js';
import { PeerManager, type PeerManagerOptions } from '../../src/p2p/manager.js';
import { SyncManager, type SyncOptions } from '../../src/sync/manager.js';

/** Devnet with the easiest target: a nonce in ~2 tries, so thousands of blocks take a second. */
export const PROFILE: NetworkProfile = Object.freeze({ ...DEVNET, startBits: 0x207f_ffff });
/** Block spacing equal to the profile's block time: retargets keep the same bits. */
export const SPACING_MS = PROFILE.blockTimeSec * 1000;

let corePromise: Promise<Core> | undefined;
export const getCore = (): Promise<Core> => (corePromise ??= loadCore());

export function goodCert(core: Core): Certificate {
  const phases = new Float64Array(CERT_PHASES);
  for (let i = 0; i < CERT_PHASES; i++) phases[i] = Math.fround(1 + 0.05 * Math.sin(i));
  const { r, psi } = core.orderParameter(phases);
  return { r: Math.fround(r), psi: Math.fround(psi), rounds: 7, phases };
}

export interface Made {
  bytes: Uint8Array;
  hash: Uint8Array;
  header: Header;
}

export interface Parent {
  hash: Uint8Array;
  header: Header;
}

export function genesis(core: Core): Parent {
  const g = genesisBlock(core, PROFILE);
  return { hash: g.hash, header: g.header };
}

/** `n` valid blocks on `parent`; `miner` (20 bytes) distinguishes branches; txs go in the first block. */
export function makeBlocks(core: Core, parent: Parent, n: number, miner: Uint8Array, txs: Uint8Array[] = []): Made[] {
  const certBytes = encodeCert(goodCert(core));
  const out: Made[] = [];
  let p = parent;
  for (let i = 0; i < n; i++) {
    const t = i === 0 ? txs : [];
    const header: Header = {
      version: 1,
      height: p.header.height + 1,
      prevHash: p.hash,
      merkleRoot: merkleRoot(core, t.map((x) => txid(core, x))),
      certHash: certHash(core, certBytes, miner),
      timestamp: p.header.timestamp + SPACING_MS,
      bits: p.header.bits,
      nonce: 0,
    };
    const hb = encodeHeader(header);
    const nonce = core.grindNonces(hb, targetBytes(bitsToTarget(header.bits)!), 0, 1 << 20);
    if (nonce < 0) throw new Error('no nonce');
    new DataView(hb.buffer).setUint32(NONCE_OFFSET, nonce, true);
    header.nonce = nonce;
    const bytes = assembleBlock(hb, miner, certBytes, t);
    const m = { bytes, hash: core.sha256d(bytes.subarray(0, HEADER_SIZE)), header };
    out.push(m);
    p = m;
  }
  return out;
}

const dirs: string[] = [];
const fixtureDirs: string[] = [];
/** A temp dir removed by stopAll (or, for fixtures shared by a file's tests, by removeFixtures). */
export function tempDir(fixture = false): string {
  const d = mkdtempSync(join(tmpdir(), 'bloom-sync-'));
  (fixture ? fixtureDirs : dirs).push(d);
  return d;
}
export function removeFixtures(): void {
  for (const d of fixtureDirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

export async function openChain(dataDir: string): Promise<Chain> {
  return Chain.open({ dataDir, profile: PROFILE, core: await getCore() });
}

/** A data dir holding `blocks` (connected), closed again so it can be copied for several nodes. */
export async function chainDir(blocks: readonly Made[]): Promise<string> {
  const dir = tempDir(true);
  const chain = await openChain(dir);
  for (const b of blocks) {
    const r = await chain.addBlock(b.bytes);
    if (r.status !== 'connected') throw new Error(`fixture block ${b.header.height}: ${r.status} ${r.code ?? ''}`);
  }
  await chain.close();
  return dir;
}

export function copyDir(src: string): string {
  const d = tempDir();
  cpSync(src, d, { recursive: true });
  return d;
}

export interface TestNode {
  chain: Chain;
  net: PeerManager;
  sync: SyncManager;
  mempool: Mempool;
  close(): Promise<void>;
}

const nodes: TestNode[] = [];

export async function startNode(
  dataDir: string,
  opts: { sync?: Partial<SyncOptions>; net?: PeerManagerOptions; withSync?: boolean; chain?: Chain } = {},
): Promise<TestNode> {
  // opts.chain: a chain opened by the test (e.g. on an injected db), closed with the node
  const chain = opts.chain ?? (await openChain(dataDir));
  const net = new PeerManager({
    listenHost: '127.0.0.1',
    listenPort: 0,
    profile: DEVNET,
    outboundTarget: 0,
    localInfo: () => ({ height: chain.tip().height, chainWork: chain.tip().chainWork }),
    ...opts.net,
  });
  const mempool = new Mempool(chain);
  const sync = new SyncManager({ net, chain, core: chain.core, mempool, clock: systemClock, options: opts.sync });
  await net.start();
  if (opts.withSync !== false) sync.start();
  let closed = false;
  const node: TestNode = {
    chain,
    net,
    sync,
    mempool,
    async close() {
      if (closed) return;
      closed = true;
      await sync.stop();
      await net.stop();
      await chain.close();
    },
  };
  nodes.push(node);
  return node;
}

export async function stopAll(): Promise<void> {
  await Promise.all(nodes.splice(0).map((n) => n.close()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

export async function connect(from: TestNode, to: TestNode): Promise<void> {
  await from.net.connect('127.0.0.1', to.net.port);
}

export async function waitFor(pred: () => boolean, ms = 10_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
