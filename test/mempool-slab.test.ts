// The slab mempool against the object-per-tx mempool it replaced (test/helpers/mempool-reference.ts):
// random adds, confirmations and reorgs must give the same verdicts, listing, selection and nonces; and the
// byte cap counts slots and senders, so an 8 MiB pool holds what 8 MiB of memory can.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEVNET, TX_SIZE } from '../src/constants.js';
import { toHex } from '../src/bytes.js';
import { addressOf, decodeTx, keyPairFromSeed, signTx, type KeyPair } from '../src/chain/tx.js';
import type { Account, Block, Tx } from '../src/chain/types.js';
import { Mempool, SENDER_BYTES, SLOT_BYTES, type MempoolChain } from '../src/mempool/mempool.js';
import { core } from './helpers/chain.js';
import { ReferenceMempool } from './helpers/mempool-reference.js';

const to = new Uint8Array(20).fill(0xee);
const keys: KeyPair[] = Array.from({ length: 4 }, (_, i) => keyPairFromSeed(new Uint8Array(32).fill(40 + i)));
const NONCES = 8;
const VARIANTS = 3;
// every tx has its own fee, so fee order alone decides selection (ties would depend on heap internals)
const signed: Uint8Array[][][] = keys.map((k, s) =>
  Array.from({ length: NONCES }, (_, n) =>
    Array.from({ length: VARIANTS }, (_, v) => signTx(k, { to, amount: BigInt(1 + ((s * 31 + n * 7 + v * 13) % 60)), fee: BigInt(s * 100 + n * 10 + v + 1), nonce: BigInt(n) }, DEVNET.magic)),
  ),
);

function ledger(balances: bigint[]): MempoolChain & { accounts: Map<string, Account> } {
  const accounts = new Map<string, Account>();
  keys.forEach((k, i) => accounts.set(toHex(k.address), { balance: balances[i]!, nonce: 0n }));
  return { core, profile: { magic: DEVNET.magic }, accountSync: (a) => accounts.get(toHex(a)) ?? { balance: 0n, nonce: 0n }, onTip: () => undefined, accounts };
}

function apply(accounts: Map<string, Account>, txs: readonly Tx[], sign: 1n | -1n): void {
  for (const t of sign === 1n ? txs : [...txs].reverse()) {
    const a = toHex(addressOf(t.from));
    const acc = accounts.get(a)!;
    accounts.set(a, { balance: acc.balance - sign * (t.amount + t.fee), nonce: acc.nonce + sign });
  }
}

type Op = { kind: 'add'; s: number; dn: number; v: number } | { kind: 'confirm'; k: number } | { kind: 'reorg' };
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('add' as const), s: fc.nat(3), dn: fc.integer({ min: -1, max: 1 }), v: fc.nat(VARIANTS - 1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('confirm' as const), k: fc.integer({ min: 1, max: 6 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reorg' as const) }) },
);

describe('slab mempool', () => {
  it('behaves as the reference mempool under random adds, confirmations and reorgs', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: 20n, max: 400n }), { minLength: 4, maxLength: 4 }), fc.array(op, { maxLength: 60 }), (balances, ops) => {
        const chain = ledger(balances);
        const pool = new Mempool(chain, { subscribe: false });
        const ref = new ReferenceMempool(chain, { subscribe: false });
        const blocks: Tx[][] = [];
        for (const o of ops) {
          if (o.kind === 'add') {
            const n = Number(ref.nextNonce(keys[o.s]!.address)) + o.dn;
            if (n < 0 || n >= NONCES) continue;
            const tx = signed[o.s]![n]![o.v]!;
            const a = pool.add(tx);
            const b = ref.add(tx);
            expect({ accepted: a.accepted, code: a.code, fault: a.fault, rejectFor: a.rejectFor }).toEqual({ accepted: b.accepted, code: b.code, fault: b.fault, rejectFor: b.rejectFor });
          } else if (o.kind === 'confirm') {
            const txs = ref.select(o.k).map(decodeTx);
            if (txs.length === 0) continue;
            apply(chain.accounts, txs, 1n);
            blocks.push(txs);
            pool.removeConfirmed({ txs } as unknown as Block);
            ref.removeConfirmed({ txs } as unknown as Block);
          } else {
            const txs = blocks.pop();
            if (!txs) continue;
            apply(chain.accounts, txs, -1n);
            pool.readd(txs);
            ref.readd(txs);
          }
          expect(pool.size).toBe(ref.size);
          expect(pool.bytes).toBe(ref.bytes);
          expect(pool.list().map((e) => toHex(e.id))).toEqual(ref.list().map((e) => toHex(e.id)));
          expect(pool.select(1000)).toEqual(ref.select(1000));
          for (const k of keys) expect(pool.nextNonce(k.address)).toBe(ref.nextNonce(k.address));
          for (const e of ref.list()) {
            const got = pool.get(e.id)!;
            expect(got.tx).toEqual(e.tx);
            expect(got.cost).toBe(e.cost);
            expect(toHex(got.sender)).toBe(e.senderHex);
          }
        }
      }),
      { numRuns: 150, seed: 19 },
    );
  });

  it('counts slots and senders against the cap: many one-tx senders fill it sooner than one long queue', () => {
    const many = Array.from({ length: 40 }, (_, i) => keyPairFromSeed(new Uint8Array(32).fill(100 + i)));
    const rich: Account = { balance: 1n << 40n, nonce: 0n };
    const chain: MempoolChain = { core, profile: { magic: DEVNET.magic }, accountSync: () => rich, onTip: () => undefined };
    const cap = 20 * SLOT_BYTES + 10 * SENDER_BYTES;
    const spread = new Mempool(chain, { maxBytes: cap, subscribe: false });
    for (const k of many) spread.add(signTx(k, { to, amount: 1n, fee: 5n, nonce: 0n }, DEVNET.magic));
    // one tx per sender: each costs a slot and a sender record
    expect(spread.size).toBe(Math.floor(cap / (SLOT_BYTES + SENDER_BYTES)));
    expect(spread.memoryBytes).toBeLessThanOrEqual(cap);
    const queue = new Mempool(chain, { maxBytes: cap, subscribe: false });
    for (let n = 0; n < 40; n++) queue.add(signTx(many[0]!, { to, amount: 1n, fee: 5n, nonce: BigInt(n) }, DEVNET.magic));
    expect(queue.size).toBe(Math.floor((cap - SENDER_BYTES) / SLOT_BYTES));
    expect(queue.memoryBytes).toBeLessThanOrEqual(cap);
    expect(queue.bytes).toBe(queue.size * TX_SIZE);
    // the accounting covers at least the tx, its txid and the index entry
    expect(SLOT_BYTES).toBeGreaterThan(TX_SIZE + 32 + 48);
  });
});
