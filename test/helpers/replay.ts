// Recomputes the ledger by replaying a store's main chain from genesis and compares it with what the
// store holds: the main index, block links, cumulative work, accounts (balance and nonce) and tx index.
import { HEADER_SIZE } from '../../src/constants.js';
import { decodeBlockParts } from '../../src/chain/block.js';
import { toHex } from '../../src/chain/bytes.js';
import type { Chain } from '../../src/chain/chain.js';
import { workOfBits } from '../../src/chain/header.js';
import { applyBlock, decodeAccount } from '../../src/chain/ledger.js';
import { P } from '../../src/chain/store.js';
import type { Account } from '../../src/chain/types.js';

export interface ReplayReport {
  height: number;
  tipHash: string;
  /** Accounts in the replayed ledger. */
  accounts: number;
  /** Transactions on the main chain. */
  txs: number;
  /** txid hex → height, for every main-chain transaction. */
  txHeights: Map<string, number>;
  /** Main-chain block hash (hex) at each height 0 … tip. */
  hashes: string[];
}

/** A store that fails the replay: the message says which rule broke and where. */
export class ReplayMismatch extends Error {
  override name = 'ReplayMismatch';
}

const fail = (msg: string): never => {
  throw new ReplayMismatch(msg);
};

/** Throws ReplayMismatch unless the chain's stored state equals a replay of its own main chain. */
export async function checkReplay(chain: Chain): Promise<ReplayReport> {
  const tip = chain.tip();
  const core = chain.core;
  if (!(await chain.getBlockBytes(tip.hash))) fail(`tip ${tip.height} has no block data`);
  if (await chain.getHashByHeight(tip.height + 1)) fail(`main index has an entry above the tip (${tip.height + 1})`);
  const genesis = await chain.getHashByHeight(0);
  if (!genesis || toHex(genesis) !== toHex(chain.genesisHash)) fail('main index height 0 is not genesis');

  const ledger = new Map<string, Account>();
  const txHeights = new Map<string, number>();
  const hashes = [toHex(chain.genesisHash)];
  let prev = chain.genesisHash;
  let work = workOfBits((await chain.getHeader(chain.genesisHash))!.bits);
  for (let h = 1; h <= tip.height; h++) {
    const hash = (await chain.getHashByHeight(h)) ?? fail(`main index has no block at height ${h} (tip ${tip.height})`);
    const bytes = (await chain.getBlockBytes(hash)) ?? fail(`main block ${h} ${toHex(hash)} has no data`);
    if (toHex(core.sha256d(bytes.subarray(0, HEADER_SIZE))) !== toHex(hash)) fail(`block at height ${h} does not hash to its index entry`);
    const parts = decodeBlockParts(bytes);
    const header = parts.block.header;
    if (header.height !== h) fail(`block indexed at ${h} says height ${header.height}`);
    if (toHex(header.prevHash) !== toHex(prev)) fail(`block ${h} does not link to block ${h - 1}`);
    work += workOfBits(header.bits);
    let effect;
    try {
      effect = applyBlock((hex) => ledger.get(hex), parts.block);
    } catch (e) {
      return fail(`replaying block ${h} fails: ${(e as Error).message}`);
    }
    for (const [k, v] of effect.writes) ledger.set(k, v);
    for (const [i, t] of parts.txBytes.entries()) {
      const id = core.sha256d(t);
      const loc = await chain.getTx(id);
      if (!loc) fail(`tx ${toHex(id)} of block ${h} is not in the tx index`);
      if (loc!.height !== h || toHex(loc!.blockHash) !== toHex(hash) || loc!.index !== i) {
        fail(`tx ${toHex(id)} indexed at ${loc!.height}/${loc!.index}, is at ${h}/${i}`);
      }
      txHeights.set(toHex(id), h);
    }
    hashes.push(toHex(hash));
    prev = hash;
  }
  if (toHex(prev) !== toHex(tip.hash)) fail('main index does not end at the tip');
  if (work !== tip.chainWork) fail(`tip chainWork ${tip.chainWork} ≠ replayed work ${work}`);
  if (chain.headerTip().chainWork < tip.chainWork) fail('best header has less work than the tip');

  // the stored ledger: exactly the replayed accounts, no more, no fewer
  const stored = new Map<string, Account>();
  for await (const [k, v] of chain.store.db.iterator({ gte: Uint8Array.of(P.account), lt: Uint8Array.of(P.account + 1) })) {
    stored.set(toHex(k.subarray(1)), decodeAccount(v));
  }
  for (const [addr, want] of ledger) {
    const got = stored.get(addr);
    if (!got) fail(`account ${addr} missing from the stored ledger (replay: ${want.balance}/${want.nonce})`);
    if (got!.balance !== want.balance || got!.nonce !== want.nonce) {
      fail(`account ${addr}: stored balance/nonce ${got!.balance}/${got!.nonce}, replay ${want.balance}/${want.nonce}`);
    }
    // the read path (cache) agrees with the disk
    const viaApi = await chain.getAccount(Buffer.from(addr, 'hex'));
    if (viaApi.balance !== want.balance || viaApi.nonce !== want.nonce) fail(`getAccount(${addr}) disagrees with the replay`);
  }
  for (const addr of stored.keys()) if (!ledger.has(addr)) fail(`stored account ${addr} is not produced by the main chain`);

  // the tx index holds main-chain transactions only (disconnected blocks took theirs out)
  let indexed = 0;
  for await (const _ of chain.store.db.keys({ gte: Uint8Array.of(P.tx), lt: Uint8Array.of(P.tx + 1) })) indexed++;
  if (indexed !== txHeights.size) fail(`tx index holds ${indexed} entries, main chain has ${txHeights.size} txs`);

  return { height: tip.height, tipHash: toHex(tip.hash), accounts: ledger.size, txs: txHeights.size, txHeights, hashes };
}
