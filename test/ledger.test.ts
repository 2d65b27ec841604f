// applyBlock's undo data: the previous state of every touched account, first-touch order, as encodeUndo writes it.
import { describe, expect, it } from 'vitest';
import { toHex } from '../src/bytes.js';
import { decodeBlock } from '../src/chain/block.js';
import { genesisBlock } from '../src/chain/genesis.js';
import { applyBlock, decodeUndo, encodeUndo } from '../src/chain/ledger.js';
import { keyPairFromSeed, signTx } from '../src/chain/tx.js';
import type { Account } from '../src/chain/types.js';
import { core, makeBlock, profile } from './helpers/chain.js';

describe('applyBlock undo', () => {
  it('lists each touched account once with its state before the block (absent ones as absent), byte for byte encodeUndo', () => {
    const alice = keyPairFromSeed(new Uint8Array(32).fill(1));
    const bob = keyPairFromSeed(new Uint8Array(32).fill(2));
    const miner = new Uint8Array(20).fill(9);
    const g = genesisBlock(core, profile);
    const txs = [0n, 1n].map((nonce) => signTx(alice, { to: bob.address, amount: 5n, fee: 1n, nonce }, profile.magic));
    const block = decodeBlock(makeBlock({ hash: g.hash, header: g.header }, { miner, txs }).bytes);
    const state = new Map<string, Account>([[toHex(alice.address), { balance: 100n, nonce: 0n }]]);
    const effect = applyBlock((hex) => state.get(hex), block);
    const undo = decodeUndo(effect.undo);
    expect([...undo.keys()]).toEqual([toHex(alice.address), toHex(bob.address), toHex(miner)]);
    expect([...undo.values()]).toEqual([{ balance: 100n, nonce: 0n }, undefined, undefined]);
    expect(toHex(effect.undo)).toBe(toHex(encodeUndo(undo)));
    expect(effect.writes.get(toHex(bob.address))).toEqual({ balance: 10n, nonce: 0n });
  });
});
