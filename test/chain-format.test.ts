import { describe, expect, it } from 'vitest';
import { DIFFICULTY_INTERVAL, HALVING_INTERVAL, INITIAL_SUBSIDY, MAINNET, TX_SIZE } from '../src/constants.js';
import { decodeBlock, encodeBlock, merkleRoot } from '../src/chain/block.js';
import { CERT_SIZE, decodeCert, encodeCert } from '../src/chain/cert.js';
import { toHex } from '../src/bytes.js';
import { checkTimestamp, maxTarget, nextBits, subsidy } from '../src/chain/consensus.js';
import { genesisBlock } from '../src/chain/genesis.js';
import { bitsToTarget, decodeHeader, encodeHeader, targetToBits, workOf } from '../src/chain/header.js';
import { addressOf, decodeTx, encodeTx, keyPairFromSeed, signTx, txid, verifyTxSignature } from '../src/chain/tx.js';
import { ValidationError } from '../src/errors.js';
import { core, goodCert, MINER_A, profile } from './helpers/chain.js';

const alice = keyPairFromSeed(new Uint8Array(32).fill(1));

describe('header format', () => {
  it('round-trips 118 bytes with LE fields and the nonce last', () => {
    const h = { version: 1, height: 0x01020304, prevHash: new Uint8Array(32).fill(7), merkleRoot: new Uint8Array(32).fill(8), certHash: new Uint8Array(32).fill(9), timestamp: 1_770_000_000_123, bits: 0x1f0fffff, nonce: 0xdeadbeef };
    const b = encodeHeader(h);
    expect(b.length).toBe(118);
    expect([...b.subarray(2, 6)]).toEqual([4, 3, 2, 1]);
    expect([...b.subarray(114)]).toEqual([0xef, 0xbe, 0xad, 0xde]);
    expect(decodeHeader(b)).toEqual(h);
    expect(() => decodeHeader(b.subarray(0, 117))).toThrow(ValidationError);
  });

  it('expands and compacts targets like Bitcoin', () => {
    expect(bitsToTarget(0x1d00ffff)).toBe(0xffffn << 208n);
    expect(targetToBits(0xffffn << 208n)).toBe(0x1d00ffff);
    expect(bitsToTarget(0x1f0fffff)).toBe(0x0fffffn << 224n);
    expect(bitsToTarget(0x03123456)).toBe(0x123456n);
    expect(bitsToTarget(0x1d800000)).toBeUndefined(); // negative
    expect(bitsToTarget(0x1d000000)).toBeUndefined(); // zero
    expect(bitsToTarget(0xff123456)).toBeUndefined(); // overflow
    for (const t of [1n, 0x80n, 0x123456789n, 0xffffn << 208n, (1n << 255n) - 1n]) {
      const back = bitsToTarget(targetToBits(t))!;
      expect(back <= t).toBe(true);
      expect(targetToBits(back)).toBe(targetToBits(t));
    }
    expect(workOf((1n << 256n) - 1n)).toBe(1n);
    expect(workOf(bitsToTarget(profile.startBits)!)).toBe(4096n);
  });
});

describe('transactions', () => {
  it('signs, verifies, and rejects tampering or another network', () => {
    const b = signTx(alice, { to: MINER_A, amount: 5n, fee: 1n, nonce: 0n }, profile.magic);
    expect(b.length).toBe(TX_SIZE);
    expect(verifyTxSignature(b, profile.magic)).toBe(true);
    expect(verifyTxSignature(b, MAINNET.magic)).toBe(false);
    const t = b.slice();
    t[52]! ^= 1;
    expect(verifyTxSignature(t, profile.magic)).toBe(false);
    const garbageKey = b.slice();
    garbageKey.fill(0xff, 0, 32);
    expect(verifyTxSignature(garbageKey, profile.magic)).toBe(false);
    const d = decodeTx(b);
    expect(d.amount).toBe(5n);
    expect(encodeTx(d)).toEqual(b);
    expect(toHex(addressOf(alice.publicKey))).toBe(toHex(alice.address));
    expect(txid(core, b).length).toBe(32);
  });
});

describe('blocks and certificates', () => {
  it('round-trips a block with txs and a certificate', () => {
    const tx = decodeTx(signTx(alice, { to: MINER_A, amount: 1n, fee: 0n, nonce: 0n }, profile.magic));
    const g = genesisBlock(core, profile);
    const blk = { header: { ...g.header, height: 1 }, minerAddress: MINER_A, cert: goodCert(), txs: [tx, tx] };
    const b = encodeBlock(blk);
    const d = decodeBlock(b);
    expect(d.txs.length).toBe(2);
    expect(d.cert.rounds).toBe(7);
    expect(encodeBlock(d)).toEqual(b);
    expect(encodeCert(decodeCert(encodeCert(goodCert())))).toEqual(encodeCert(goodCert()));
    expect(encodeCert(goodCert()).length).toBe(CERT_SIZE);
    // tx count that disagrees with the length is 'bad-size'
    const bad = b.slice(0, b.length - 1);
    expect(() => decodeBlock(bad)).toThrow(expect.objectContaining({ code: 'bad-size' }));
    const wrongN = b.slice();
    new DataView(wrongN.buffer).setUint32(118 + 24 + 12, 63, true);
    expect(() => decodeBlock(wrongN)).toThrow(expect.objectContaining({ code: 'bad-cert' }));
  });

  it('computes Bitcoin-style merkle roots', () => {
    const a = new Uint8Array(32).fill(1);
    const b = new Uint8Array(32).fill(2);
    const c = new Uint8Array(32).fill(3);
    const ab = core.sha256d(new Uint8Array([...a, ...b]));
    const cc = core.sha256d(new Uint8Array([...c, ...c]));
    expect(merkleRoot(core, [])).toEqual(new Uint8Array(32));
    expect(merkleRoot(core, [a])).toEqual(a);
    expect(merkleRoot(core, [a, b])).toEqual(ab);
    expect(merkleRoot(core, [a, b, c])).toEqual(core.sha256d(new Uint8Array([...ab, ...cc])));
  });

  it('has fixed genesis hashes per profile', () => {
    expect(toHex(genesisBlock(core, profile).hash)).toBe('c45c3fae358d459dd4540ac8641c8c7158ab03915ffcf252b668bdd10482b0bd');
    expect(toHex(genesisBlock(core, MAINNET).hash)).toBe('d6751e1a07eccdc7e40e8d5c1feb775fe1825a87db62e6a71d3033a222a544e5');
  });
});

describe('consensus arithmetic', () => {
  const start = profile.startBits;
  const expected = (DIFFICULTY_INTERVAL - 1) * profile.blockTimeSec * 1000;
  const half = targetToBits(bitsToTarget(start)! / 2n);

  it('keeps bits between retargets', () => {
    expect(nextBits(profile, 5, half, 0, 0)).toBe(half);
    expect(nextBits(profile, DIFFICULTY_INTERVAL + 1, half, 0, 0)).toBe(half);
  });

  it('retargets toward the block time, clamped ×4 / ÷4, never above the start target', () => {
    const t0 = bitsToTarget(half)!;
    const at = (actual: number): bigint => bitsToTarget(nextBits(profile, DIFFICULTY_INTERVAL, half, 1e6 + actual, 1e6))!;
    expect(at(expected)).toBe(bitsToTarget(targetToBits(t0))); // on time: unchanged
    expect(at(expected / 2)).toBe(bitsToTarget(targetToBits(t0 / 2n))); // twice as fast: half the target
    expect(at(1)).toBe(bitsToTarget(targetToBits(t0 / 4n))); // clamp ÷4
    expect(at(expected * 100)).toBe(maxTarget(profile)); // ×4 would pass the start target: capped
    const hard = targetToBits(bitsToTarget(start)! / 1000n);
    expect(bitsToTarget(nextBits(profile, 2 * DIFFICULTY_INTERVAL, hard, 1e6 + expected * 100, 1e6))).toBe(bitsToTarget(targetToBits((bitsToTarget(hard)! * 4n))));
  });

  it('halves the subsidy every HALVING_INTERVAL blocks', () => {
    expect(subsidy(1)).toBe(INITIAL_SUBSIDY);
    expect(subsidy(HALVING_INTERVAL - 1)).toBe(INITIAL_SUBSIDY);
    expect(subsidy(HALVING_INTERVAL)).toBe(INITIAL_SUBSIDY / 2n);
    expect(subsidy(3 * HALVING_INTERVAL)).toBe(INITIAL_SUBSIDY / 8n);
    expect(subsidy(64 * HALVING_INTERVAL)).toBe(0n);
  });

  it('requires timestamps strictly after the parent and at most 2 minutes ahead', () => {
    expect(() => checkTimestamp(100, 100, 1000)).toThrow(expect.objectContaining({ code: 'time-too-old' }));
    expect(() => checkTimestamp(1000 + 120_001, 1, 1000)).toThrow(expect.objectContaining({ code: 'time-too-new' }));
    expect(() => checkTimestamp(1000 + 120_000, 1, 1000)).not.toThrow();
  });
});
