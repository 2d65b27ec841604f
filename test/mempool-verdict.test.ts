// The mempool's verdicts for the relay, the funds check against per-sender running totals, and the
// unfundable shortcut that spares the signature check.
import { describe, expect, it } from 'vitest';
import { DEVNET } from '../src/constants.js';
import { toHex } from '../src/bytes.js';
import { addressOf, keyPairFromSeed, signTx, type KeyPair } from '../src/chain/tx.js';
import type { Account, Block, Tx } from '../src/chain/types.js';
import * as txmod from '../src/chain/tx.js';
import { Mempool, type MempoolChain } from '../src/mempool/mempool.js';
import { core } from './helpers/chain.js';

const key = (n: number): KeyPair => keyPairFromSeed(new Uint8Array(32).fill(n));
const to = new Uint8Array(20).fill(0xee);

/** A ledger in a map; `confirm` plays a block that spends the given txs. */
function ledger(): MempoolChain & { set(k: KeyPair, balance: bigint, nonce?: bigint): void; confirm(pool: Mempool, txs: Tx[]): void } {
  const accounts = new Map<string, Account>();
  return {
    core,
    profile: { magic: DEVNET.magic },
    accountSync: (a) => accounts.get(toHex(a)) ?? { balance: 0n, nonce: 0n },
    onTip: () => undefined,
    set(k, balance, nonce = 0n) {
      accounts.set(toHex(k.address), { balance, nonce });
    },
    confirm(pool, txs) {
      for (const t of txs) {
        const a = toHex(addressOf(t.from));
        const acc = accounts.get(a)!;
        accounts.set(a, { balance: acc.balance - t.amount - t.fee, nonce: acc.nonce + 1n });
      }
      pool.removeConfirmed({ txs } as unknown as Block);
    },
  };
}

describe('mempool verdicts', () => {
  it('tells the relay invalid (final), unfundable (until the tip moves) and honest rejections apart', () => {
    const chain = ledger();
    const pool = new Mempool(chain, { subscribe: false });
    const rich = key(1);
    const poor = key(2);
    chain.set(rich, 1000n);
    expect(pool.add(new Uint8Array(10))).toMatchObject({ accepted: false, code: 'bad-size', fault: 'invalid', rejectFor: 'final' });
    const forged = signTx(rich, { to, amount: 1n, fee: 1n, nonce: 0n }, DEVNET.magic);
    forged[60]! ^= 1;
    expect(pool.add(forged)).toMatchObject({ code: 'bad-tx-sig', fault: 'invalid', rejectFor: 'final' });
    expect(pool.add(signTx(poor, { to, amount: 1n, fee: 1n, nonce: 0n }, DEVNET.magic))).toMatchObject({ code: 'insufficient-funds', fault: 'unfundable', rejectFor: 'tip' });
    const ok = signTx(rich, { to, amount: 1n, fee: 1n, nonce: 0n }, DEVNET.magic);
    expect(pool.add(ok).accepted).toBe(true);
    const dup = pool.add(ok);
    expect(dup).toMatchObject({ code: 'duplicate', rejectFor: 'final' });
    expect(dup.fault).toBeUndefined(); // a second relayer of a good tx is honest
    const gap = pool.add(signTx(rich, { to, amount: 1n, fee: 1n, nonce: 5n }, DEVNET.magic));
    expect(gap.code).toBe('bad-tx-nonce');
    expect(gap.fault).toBeUndefined();
    expect(gap.rejectFor).toBeUndefined();
    // fundable alone but not after the queue: an honest race, not the sender's fault
    const over = pool.add(signTx(rich, { to, amount: 998n, fee: 1n, nonce: 1n }, DEVNET.magic));
    expect(over.code).toBe('insufficient-funds');
    expect(over.fault).toBeUndefined();
  });

  it('an unfundable tx is refused before its signature is checked (a replay costs a lookup)', () => {
    const chain = ledger();
    const pool = new Mempool(chain, { subscribe: false });
    const t = signTx(key(3), { to, amount: 5n, fee: 1n, nonce: 0n }, DEVNET.magic);
    t[100]! ^= 1; // the signature is broken too: a verify would say bad-tx-sig
    expect(pool.add(t)).toMatchObject({ code: 'insufficient-funds', fault: 'unfundable' });
    expect(txmod.verifyTxSignature(t, DEVNET.magic)).toBe(false);
  });

  it('keeps the per-sender running total exact through accepts, confirmations and revalidation', () => {
    const chain = ledger();
    const pool = new Mempool(chain, { subscribe: false });
    const k = key(4);
    chain.set(k, 100n);
    const txs: Tx[] = [];
    const bytes: Uint8Array[] = [];
    for (let n = 0n; n < 5n; n++) {
      const b = signTx(k, { to, amount: 9n, fee: 1n, nonce: n }, DEVNET.magic); // 10 each
      expect(pool.add(b).accepted).toBe(true);
      bytes.push(b);
      txs.push(pool.get(core.sha256d(b))!.tx);
    }
    // 50 pending of 100: 51 is one too many, 50 fits exactly
    expect(pool.add(signTx(k, { to, amount: 50n, fee: 1n, nonce: 5n }, DEVNET.magic)).code).toBe('insufficient-funds');
    // two confirmed: balance 80, 30 still pending → 50 fits, 51 does not
    chain.confirm(pool, txs.slice(0, 2));
    expect(pool.size).toBe(3);
    expect(pool.add(signTx(k, { to, amount: 50n, fee: 1n, nonce: 5n }, DEVNET.magic)).code).toBe('insufficient-funds');
    expect(pool.add(signTx(k, { to, amount: 49n, fee: 1n, nonce: 5n }, DEVNET.magic)).accepted).toBe(true);
    // the ledger drops to 35 elsewhere: revalidation keeps what is affordable (3 × 10) and the total follows
    chain.set(k, 35n, 2n);
    pool.readd([]);
    pool.removeConfirmed({ txs: [] } as unknown as Block);
    (pool as unknown as { revalidate(a: Uint8Array): void }).revalidate(k.address);
    expect(pool.size).toBe(3);
    expect(pool.add(signTx(k, { to, amount: 5n, fee: 1n, nonce: 5n }, DEVNET.magic)).code).toBe('insufficient-funds'); // 30 + 6 > 35
    expect(pool.add(signTx(k, { to, amount: 4n, fee: 1n, nonce: 5n }, DEVNET.magic)).accepted).toBe(true); // 30 + 5 = 35
  });
});
