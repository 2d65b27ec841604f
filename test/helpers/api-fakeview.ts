// An in-memory NodeView for API, metrics and dashboard tests (real formats, no network or store).
import { HEADER_SIZE } from '../../src/constants.js';
import { encodeHeader } from '../../src/chain/header.js';
import { decodeTx, keyPairFromSeed, signTx } from '../../src/chain/tx.js';
import type { Block, Header, Tx } from '../../src/chain/types.js';
import type { BlockInfo, MempoolTxInfo, NodeStats, NodeStatus, NodeView, SubmitResult, TxInfo } from '../../src/api/types.js';
import * as reference from '../../src/core/reference.js';
import { encodeTx, txid } from '../../src/chain/tx.js';

export const MAGIC = 0xb1_00_de_01;
export const alice = keyPairFromSeed(new Uint8Array(32).fill(7));
export const bob = keyPairFromSeed(new Uint8Array(32).fill(9));

export function makeTx(nonce: bigint, amount = 5n): Uint8Array {
  return signTx(alice, { to: bob.address, amount, fee: 1n, nonce }, MAGIC);
}

function header(height: number, prev: Uint8Array): Header {
  return {
    version: 1,
    height,
    prevHash: prev,
    merkleRoot: new Uint8Array(32).fill(height),
    certHash: new Uint8Array(32).fill(0xcc),
    timestamp: 1_770_000_000_000 + height * 2000,
    bits: 0x1f0fffff,
    nonce: 1000 + height,
  };
}

export class FakeView implements NodeView {
  readonly blocks: BlockInfo[] = [];
  readonly headers: Uint8Array[] = [];
  readonly pool: MempoolTxInfo[] = [];
  readonly accounts = new Map<string, { balance: bigint; nonce: bigint }>();
  statsCalls = 0;
  r = 0.91;
  throwOnStatus = false;

  constructor(height = 3) {
    let prev: Uint8Array = new Uint8Array(32);
    for (let h = 0; h <= height; h++) {
      const hd = header(h, prev);
      const bytes = encodeHeader(hd);
      const hash = reference.sha256d(bytes);
      const txs: Tx[] = h === 1 ? [decodeTx(makeTx(0n))] : [];
      const block: Block = {
        header: hd,
        minerAddress: alice.address,
        cert: { r: 0.93, psi: 1.5, rounds: 9, phases: new Float64Array(64).fill(1.5) },
        txs,
      };
      this.blocks.push({ hash, block, size: HEADER_SIZE + 20 + 8 + 272 + txs.length * 140, mainChain: true });
      this.headers.push(bytes);
      prev = hash;
    }
    this.accounts.set(Buffer.from(alice.address).toString('hex'), { balance: 50n * 100_000_000n, nonce: 1n });
  }

  status(): NodeStatus {
    if (this.throwOnStatus) throw new Error('boom');
    const tip = this.blocks[this.blocks.length - 1]!;
    return {
      network: 'devnet',
      warnings: [],
      version: '0.1.0',
      protocolVersion: 1,
      userAgent: '/bloomcoin:0.1.0/',
      height: tip.block.header.height,
      tipHash: tip.hash,
      tipTime: tip.block.header.timestamp,
      peers: 2,
      coherence: { r: this.r, psi: 1.25 },
      coherenceRounds: 12,
      networkCoherence: 0.88,
      mining: true,
      syncing: false,
      sync: { headers: 3, blocks: 3, targetHeight: 3, rate: 0, etaSec: 0 },
      uptimeSec: 42,
      listen: '127.0.0.1:17618',
    };
  }

  peers() {
    return [
      { id: 1, address: '127.0.0.1:40001', inbound: true, version: 1, userAgent: '/bloomcoin:0.1.0/', height: 3, coherence: 0.9, lastSeen: Date.now(), connectedAt: Date.now() - 5000, bytesIn: 1200, bytesOut: 900, msgsIn: 12, msgsOut: 10, score: 0, pingMs: 3 },
      { id: 2, address: '127.0.0.1:17620', inbound: false, version: 1, userAgent: '/bloomcoin:0.1.0/', height: 2, coherence: 0.7, lastSeen: Date.now(), connectedAt: Date.now() - 4000, bytesIn: 800, bytesOut: 700, msgsIn: 8, msgsOut: 9, score: 5, pingMs: null },
    ];
  }

  async getBlock(ref: number | Uint8Array): Promise<BlockInfo | undefined> {
    if (typeof ref === 'number') return this.blocks[ref];
    return this.blocks.find((b) => Buffer.from(b.hash).equals(Buffer.from(ref)));
  }

  async getHeaders(from: number, count: number): Promise<Uint8Array[]> {
    return this.headers.slice(from, from + count);
  }

  async getTx(id: Uint8Array): Promise<TxInfo | undefined> {
    const key = Buffer.from(id).toString('hex');
    const p = this.pool.find((e) => Buffer.from(e.txid).toString('hex') === key);
    if (p) return { tx: p.tx, status: 'mempool' };
    for (const b of this.blocks) {
      for (const tx of b.block.txs) {
        if (Buffer.from(txid(reference, encodeTx(tx))).toString('hex') === key) return { tx, status: 'confirmed', blockHash: b.hash, height: b.block.header.height };
      }
    }
    return undefined;
  }

  async getAccount(address: Uint8Array) {
    return this.accounts.get(Buffer.from(address).toString('hex')) ?? { balance: 0n, nonce: 0n };
  }

  mempool(): MempoolTxInfo[] {
    return this.pool;
  }

  async submitTx(bytes: Uint8Array): Promise<SubmitResult> {
    const tx = decodeTx(bytes);
    const id = reference.sha256d(bytes);
    if (this.pool.some((e) => Buffer.from(e.txid).equals(Buffer.from(id)))) return { accepted: false, txid: id, code: 'duplicate' };
    if (tx.amount === 0n) return { accepted: false, txid: id, code: 'bad-amount', reason: 'amount must be positive' };
    this.pool.push({ txid: id, tx, addedAt: Date.now() });
    return { accepted: true, txid: id };
  }

  coherenceHistory() {
    const now = Date.now();
    return Array.from({ length: 30 }, (_, i) => ({ t: now - (30 - i) * 2000, r: 0.5 + i * 0.015, network: 0.45 + i * 0.014 }));
  }

  stats(): NodeStats {
    this.statsCalls++;
    return {
      height: 3,
      headerHeight: 3,
      peers: { inbound: 1, outbound: 1 },
      messagesIn: { VERSION: 2, PHASE: 40 },
      messagesOut: { VERSION: 2, PHASE: 38 },
      bytesIn: { VERSION: 80, PHASE: 12000 },
      bytesOut: { VERSION: 80, PHASE: 11000 },
      invalid: { 'phase-bad-r': 2 },
      bans: 1,
      sync: { headers: 3, blocks: 3, target: 3 },
      mempool: { size: this.pool.length, bytes: this.pool.length * 140 },
      coherence: { r: this.r, psi: 1.25, network: 0.88 },
      rounds: 12,
      roundsTotal: 300,
      blocksMined: 2,
      hashrate: 123456,
      gossip: { shares: 38, relays: 4 },
      pool: { utilization: 0.5, queue: 0 },
    };
  }
}
