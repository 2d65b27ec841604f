// Account state transitions for one block, with the undo data that reverses them.
import { ValidationError } from '../errors.js';
import { dataView, fromHex, toHex } from '../bytes.js';
import { subsidy } from './consensus.js';
import { addressOf } from './tx.js';
import type { Account, Block } from './types.js';

export const ACCOUNT_SIZE = 16;
const EMPTY: Account = Object.freeze({ balance: 0n, nonce: 0n });

export function encodeAccount(a: Account): Uint8Array {
  const out = new Uint8Array(ACCOUNT_SIZE);
  const dv = dataView(out);
  dv.setBigUint64(0, a.balance, true);
  dv.setBigUint64(8, a.nonce, true);
  return out;
}

export function decodeAccount(b: Uint8Array): Account {
  const dv = dataView(b);
  return { balance: dv.getBigUint64(0, true), nonce: dv.getBigUint64(8, true) };
}

/** Reads an account by hex address; undefined when it never existed. */
export type AccountReader = (addressHex: string) => Account | undefined;

export interface BlockEffect {
  /** New state of every touched account (hex address → account). */
  writes: Map<string, Account>;
  /** Serialized previous state of those accounts (see encodeUndo). */
  undo: Uint8Array;
  fees: bigint;
}

/**
 * Applies the block's transactions in order, then credits subsidy + fees to the miner.
 * Throws 'bad-tx-nonce' or 'insufficient-funds' on the first tx that does not fit.
 */
export function applyBlock(read: AccountReader, block: Block): BlockEffect {
  const writes = new Map<string, Account>();
  const before = new Map<string, Account | undefined>();
  // the address bytes beside each hex key: the undo is written from them, not from the hex again
  const addrs: Uint8Array[] = [];
  const get = (hex: string, addr: Uint8Array): Account => {
    const w = writes.get(hex);
    if (w) return w;
    if (before.has(hex)) return before.get(hex) ?? EMPTY;
    const a = read(hex);
    before.set(hex, a);
    addrs.push(addr);
    return a ?? EMPTY;
  };
  let fees = 0n;
  for (const tx of block.txs) {
    const fromAddr = addressOf(tx.from);
    const from = toHex(fromAddr);
    const acc = get(from, fromAddr);
    if (tx.nonce !== acc.nonce) throw new ValidationError('bad-tx-nonce', `nonce ${tx.nonce}, account at ${acc.nonce}`);
    const cost = tx.amount + tx.fee;
    if (acc.balance < cost) throw new ValidationError('insufficient-funds', `balance ${acc.balance} < ${cost}`);
    writes.set(from, { balance: acc.balance - cost, nonce: acc.nonce + 1n });
    const to = toHex(tx.to);
    const dst = get(to, tx.to);
    writes.set(to, { balance: dst.balance + tx.amount, nonce: dst.nonce });
    fees += tx.fee;
  }
  const miner = toHex(block.minerAddress);
  const m = get(miner, block.minerAddress);
  writes.set(miner, { balance: m.balance + subsidy(block.header.height) + fees, nonce: m.nonce });
  return { writes, undo: writeUndo(before, addrs), fees };
}

/** encodeUndo with the address bytes given in `before`'s order. */
function writeUndo(before: Map<string, Account | undefined>, addrs: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(4 + before.size * (21 + ACCOUNT_SIZE));
  const dv = dataView(out);
  dv.setUint32(0, before.size, true);
  let o = 4;
  let i = 0;
  for (const acc of before.values()) {
    out.set(addrs[i++]!, o);
    out[o + 20] = acc ? 1 : 0;
    if (acc) {
      dv.setBigUint64(o + 21, acc.balance, true);
      dv.setBigUint64(o + 29, acc.nonce, true);
    }
    o += 21 + ACCOUNT_SIZE;
  }
  return out;
}

/** [count u32] then per account [address 20][present u8][account 16]. */
export function encodeUndo(before: Map<string, Account | undefined>): Uint8Array {
  const out = new Uint8Array(4 + before.size * (21 + ACCOUNT_SIZE));
  const dv = dataView(out);
  dv.setUint32(0, before.size, true);
  let o = 4;
  for (const [hex, acc] of before) {
    out.set(fromHex(hex), o);
    out[o + 20] = acc ? 1 : 0;
    if (acc) out.set(encodeAccount(acc), o + 21);
    o += 21 + ACCOUNT_SIZE;
  }
  return out;
}

/** The previous state of each touched account; undefined means "delete". */
export function decodeUndo(b: Uint8Array): Map<string, Account | undefined> {
  const dv = dataView(b);
  const n = dv.getUint32(0, true);
  const m = new Map<string, Account | undefined>();
  let o = 4;
  for (let i = 0; i < n; i++) {
    const hex = toHex(b.subarray(o, o + 20));
    m.set(hex, b[o + 20] ? decodeAccount(b.subarray(o + 21, o + 21 + ACCOUNT_SIZE)) : undefined);
    o += 21 + ACCOUNT_SIZE;
  }
  return m;
}
